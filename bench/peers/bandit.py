"""Bandit: the tests that match our categories (`-t`), default exclusions, JSON out.
Bandit's own severity is kept: HIGH -> P1, MEDIUM -> P2, LOW -> P3."""

import os

from .common import finding, has_files, load_json, relative_to, tool_version

NAME = "bandit"
PACKAGE = "bandit.txt"
TESTS = {
    "B113": "TIMEOUT",   # request_without_timeout
    "B110": "SWALLOW",   # try_except_pass
    "B112": "SWALLOW",   # try_except_continue
    "B501": "TLS-OFF",   # request_with_no_cert_validation
    "B323": "TLS-OFF",   # unverified_context
    "B105": "SECRET",    # hardcoded_password_string
    "B106": "SECRET",    # hardcoded_password_funcarg
    "B107": "SECRET",    # hardcoded_password_default
    "B201": "DEBUG",     # flask_debug_true
}
CATEGORIES = sorted(set(TESTS.values()))
SEVERITY = {"HIGH": "P1", "MEDIUM": "P2", "LOW": "P3"}


def applies(tree):
    return has_files(tree, ".py")


def command(bindir, root, out):
    argv = [os.path.join(bindir, "bandit"), "-r", ".", "-q", "-f", "json", "-o", out,
            "-t", ",".join(TESTS)]
    return argv, root, None, {}


def convert(out, root):
    doc = load_json(out) or {}
    found = []
    for r in doc.get("results", []):
        cat = TESTS.get(r.get("test_id"))
        if cat:
            found.append(finding(cat, relative_to(r["filename"], root), r.get("line_number"),
                                 r["test_id"], r.get("issue_text", ""),
                                 SEVERITY.get(r.get("issue_severity"))))
    return found


def version(bindir):
    return tool_version([os.path.join(bindir, "bandit"), "--version"])
