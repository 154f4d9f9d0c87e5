#!/usr/bin/env python3
"""Checks of the peer converters and the divan parser on small outputs written by hand
(no peer is run): `python3 bench/test_peers.py`."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench  # noqa: E402
import peers  # noqa: E402
from peers import bandit, checkov, detect_secrets, ruff, semgrep  # noqa: E402


def write(dirname, name, doc):
    path = os.path.join(dirname, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc))
    return path


class Converters(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_ruff_maps_codes_and_drops_the_rest(self):
        out = write(self.root, "o.json", [
            {"code": "S113", "filename": os.path.join(self.root, "svc/a.py"),
             "location": {"row": 7, "column": 5}, "message": "no timeout"},
            {"code": "E501", "filename": os.path.join(self.root, "svc/a.py"),
             "location": {"row": 1, "column": 1}, "message": "long line"},
        ])
        self.assertEqual(ruff.convert(out, self.root), [
            {"category": "TIMEOUT", "path": "svc/a.py", "line": 7, "severity": "P1",
             "rule": "S113", "message": "no timeout"}])

    def test_bandit_keeps_its_severity(self):
        out = write(self.root, "o.json", {"results": [
            {"test_id": "B105", "filename": "./x/settings.py", "line_number": 3,
             "issue_severity": "LOW", "issue_text": "password"}]})
        f = bandit.convert(out, self.root)
        self.assertEqual((f[0]["category"], f[0]["path"], f[0]["severity"]),
                         ("SECRET", "x/settings.py", "P3"))

    def test_semgrep_category_from_metadata(self):
        out = write(self.root, "o.json", {"results": [
            {"check_id": "a.b.go-http-default-client", "path": "cmd/main.go",
             "start": {"line": 12}, "extra": {"severity": "WARNING", "message": "m",
                                              "metadata": {"category": "TIMEOUT"}}}]})
        f = semgrep.convert(out, self.root)
        self.assertEqual((f[0]["category"], f[0]["line"], f[0]["rule"], f[0]["severity"]),
                         ("TIMEOUT", 12, "go-http-default-client", "P2"))

    def test_detect_secrets_is_p0_secret(self):
        out = write(self.root, "o.json", {"results": {"a/b.env": [
            {"type": "Secret Keyword", "line_number": 2}]}})
        self.assertEqual(detect_secrets.convert(out, self.root)[0]["severity"], "P0")

    def test_checkov_places_findings_like_the_labels(self):
        write(self.root, "k8s/app.yaml", "\n".join([
            "apiVersion: apps/v1",          # 1
            "kind: Deployment",             # 2
            "spec:",                        # 3
            "  template:",                  # 4
            "    spec:",                    # 5
            "      initContainers:",        # 6
            "      - name: init",           # 7
            "        image: busybox",       # 8
            "      containers:",            # 9
            "      - name: server",         # 10
            "        image: app",           # 11
            "        ports:",               # 12
            "        - containerPort: 80",  # 13
            "      - name: sidecar",        # 14
            "        image: proxy",         # 15
        ]) + "\n")
        out = write(self.root, "o.json", [
            {"check_type": "dockerfile", "results": {"failed_checks": [
                {"check_id": "CKV_DOCKER_3", "file_path": "/svc/Dockerfile",
                 "file_line_range": [1, 20], "resource": "/svc/Dockerfile."},
                {"check_id": "CKV_DOCKER_7", "file_path": "/svc/Dockerfile",
                 "file_line_range": [4, 4], "resource": "/svc/Dockerfile.FROM"}]}},
            {"check_type": "kubernetes", "results": {"failed_checks": [
                {"check_id": "CKV_K8S_14", "file_path": "/k8s/app.yaml",
                 "file_line_range": [1, 15], "resource": "Deployment.default.app",
                 "check_result": {"evaluated_keys": ["spec/template/spec/containers/[1]/image"]}},
                {"check_id": "CKV_K8S_8", "file_path": "/k8s/app.yaml",
                 "file_line_range": [1, 15], "resource": "Deployment.default.app",
                 "check_result": {"evaluated_keys": ["spec/template/spec/initContainers/[0]"]}},
                {"check_id": "CKV_K8S_10", "file_path": "/k8s/app.yaml",
                 "file_line_range": [1, 15], "resource": "Deployment.default.app",
                 "check_result": {}},
                {"check_id": "CKV_K8S_40", "file_path": "/k8s/app.yaml",
                 "file_line_range": [1, 15], "resource": "Deployment.default.app"}]}},
        ])
        got = [(f["category"], f["path"], f["line"]) for f in checkov.convert(out, self.root)]
        self.assertEqual(got, [
            ("DOCKER-USER", "svc/Dockerfile", None),
            ("DOCKER-TAG", "svc/Dockerfile", 4),
            ("K8S-IMAGE-TAG", "k8s/app.yaml", 14),
            ("K8S-PROBES", "k8s/app.yaml", 7),
            ("K8S-RESOURCES", "k8s/app.yaml", 10),
        ])

    def test_every_peer_declares_what_the_driver_needs(self):
        for mod in peers.ALL:
            for attr in ("NAME", "PACKAGE", "CATEGORIES", "applies", "command", "convert", "version"):
                self.assertTrue(hasattr(mod, attr), f"{mod.__name__}.{attr}")


class Divan(unittest.TestCase):
    def test_parse_divan_rows(self):
        text = "\n".join([
            "hot_path                  fastest       │ slowest       │ median        │ mean          │ samples │ iters",
            "├─ build_dispatch_tables  291 µs        │ 4.508 ms      │ 335.6 µs      │ 678.7 µs      │ 20      │ 20",
            "├─ parse                                │               │               │               │         │",
            "│  ├─ go                  441.9 µs      │ 6.337 ms      │ 612.5 µs      │ 996.3 µs      │ 20      │ 20",
            "│  │                      5.788 MB/s    │ 403.6 KB/s    │ 4.175 MB/s    │ 2.567 MB/s    │         │",
        ])
        self.assertEqual(bench.parse_divan(text), [
            {"group": None, "name": "build_dispatch_tables", "fastest": "291 µs", "median": "335.6 µs"},
            {"group": "parse", "name": "go", "fastest": "441.9 µs", "median": "612.5 µs",
             "median_rate": "4.175 MB/s"}])


if __name__ == "__main__":
    unittest.main()
