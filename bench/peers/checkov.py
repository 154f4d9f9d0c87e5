"""Checkov on the `dockerfile` and `kubernetes` frameworks only, `--skip-download` (no
Prisma Cloud calls), compact JSON. Checks are mapped to our manifest categories; checks
with no counterpart in our taxonomy (ADD vs COPY, apt flags, UID >= 10000, ...) are dropped.
Checkov points at a resource, not at the line a reviewer would name, so the converter
places each finding the way the labels place a gap (../shared/bench/labels/README.md):
- a Dockerfile check on the whole file (resource `path.`: no USER, no HEALTHCHECK) is a
  file-level finding (`line: null`); an instruction check keeps its instruction's line;
- a Kubernetes check on a workload is placed at the container it evaluated
  (`evaluated_keys` like `spec/template/spec/containers/[1]/image`: the `- ` line of the
  second item under `containers:`), else at the first container, else at the workload."""

import os
import re

from .common import finding, has_files, load_json, tool_version

NAME = "checkov"
PACKAGE = "checkov.txt"
CHECKS = {
    # Dockerfile
    "CKV_DOCKER_2": "DOCKER-HEALTHCHECK",  # HEALTHCHECK instruction
    "CKV_DOCKER_3": "DOCKER-USER",         # a user is created
    "CKV_DOCKER_8": "DOCKER-USER",         # last USER is not root
    "CKV_DOCKER_7": "DOCKER-TAG",          # base image has a non-latest tag
    "CKV2_DOCKER_2": "TLS-OFF",            # curl -k
    "CKV2_DOCKER_3": "TLS-OFF",            # wget --no-check-certificate
    "CKV2_DOCKER_4": "TLS-OFF",            # pip --trusted-host
    "CKV2_DOCKER_5": "TLS-OFF",            # PYTHONHTTPSVERIFY=0
    "CKV2_DOCKER_6": "TLS-OFF",            # NODE_TLS_REJECT_UNAUTHORIZED=0
    "CKV2_DOCKER_11": "TLS-OFF",           # GIT_SSL_NO_VERIFY
    "CKV2_DOCKER_12": "TLS-OFF",           # NPM_CONFIG_STRICT_SSL=false
    "CKV2_DOCKER_13": "TLS-OFF",           # npm strict-ssl false
    "CKV2_DOCKER_14": "TLS-OFF",           # git http.sslVerify false
    # Kubernetes
    "CKV_K8S_8": "K8S-PROBES",             # liveness probe
    "CKV_K8S_9": "K8S-PROBES",             # readiness probe
    "CKV_K8S_10": "K8S-RESOURCES",         # CPU requests
    "CKV_K8S_11": "K8S-RESOURCES",         # CPU limits
    "CKV_K8S_12": "K8S-RESOURCES",         # memory requests
    "CKV_K8S_13": "K8S-RESOURCES",         # memory limits
    "CKV_K8S_14": "K8S-IMAGE-TAG",         # image tag fixed, not latest or blank
    "CKV_K8S_43": "K8S-IMAGE-TAG",         # image by digest
    "CKV_K8S_16": "K8S-SECURITY",          # privileged
    "CKV_K8S_20": "K8S-SECURITY",          # allowPrivilegeEscalation
    "CKV_K8S_22": "K8S-SECURITY",          # readOnlyRootFilesystem
    "CKV_K8S_23": "K8S-SECURITY",          # root containers (runAsNonRoot)
    "CKV_K8S_28": "K8S-SECURITY",          # NET_RAW capability
    "CKV_K8S_37": "K8S-SECURITY",          # capabilities not dropped
}
CATEGORIES = sorted(set(CHECKS.values()))


def applies(tree):
    return has_files(tree, ".yaml", ".yml", ".dockerfile", names=("Dockerfile",)) or any(
        p.rsplit("/", 1)[-1].startswith("Dockerfile") for p in tree["files"])


def command(bindir, root, out):
    argv = [os.path.join(bindir, "checkov"), "-d", ".", "--framework", "dockerfile",
            "kubernetes", "-o", "json", "--quiet", "--compact", "--skip-download",
            "--soft-fail"]
    env = {"CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "BC_SKIP_MAPPING": "TRUE",
           "CHECKOV_NO_VERSION_CHECK": "1", "ENABLE_SECRETS_SCAN_ALL_FILES": "false"}
    return argv, root, out, env


def convert(out, root):
    doc = load_json(out)
    reports = doc if isinstance(doc, list) else [doc] if doc else []
    found = []
    lines_of = {}
    for rep in reports:
        for r in ((rep or {}).get("results") or {}).get("failed_checks", []):
            cat = CHECKS.get(r.get("check_id"))
            if not cat:
                continue
            path = r.get("file_path", "")
            rng = r.get("file_line_range") or [None, None]
            line = rng[0]
            if rep.get("check_type") == "dockerfile" and str(r.get("resource", "")).endswith("."):
                line = None
            elif rep.get("check_type") == "kubernetes" and rng[0]:
                if path not in lines_of:
                    lines_of[path] = read_lines(os.path.join(root, path.lstrip("/")))
                keys = (r.get("check_result") or {}).get("evaluated_keys") or []
                line = container_line(lines_of[path], rng, keys) or rng[0]
            found.append(finding(cat, path, line, r["check_id"], r.get("check_name", "")))
    return found


def read_lines(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()
    except OSError:
        return []


def container_line(lines, rng, keys):
    """1-based line of the container a check evaluated, inside the workload's range."""
    want = ("containers", 0)
    for k in keys:
        m = re.search(r"(initContainers|containers)/\[(\d+)\]", k)
        if m:
            want = (m.group(1), int(m.group(2)))
            break
    start, end = rng[0], rng[1] or len(lines)
    for i in range(start - 1, min(end, len(lines))):
        m = re.match(r"(\s*)" + want[0] + r":\s*$", lines[i])
        if not m:
            continue
        indent, n = None, -1
        for j in range(i + 1, min(end, len(lines))):
            item = re.match(r"(\s*)- ", lines[j])
            text = lines[j].strip()
            if not text or text.startswith("#"):
                continue
            cur = len(lines[j]) - len(lines[j].lstrip())
            if cur <= len(m.group(1)) and not (item and cur == len(m.group(1))):
                break
            if item and (indent is None or len(item.group(1)) == indent):
                indent = len(item.group(1))
                n += 1
                if n == want[1]:
                    return j + 1
        return None
    return None


def version(bindir):
    return tool_version([os.path.join(bindir, "checkov"), "--version"])
