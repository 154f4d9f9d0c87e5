"""Helpers shared by the peer converters."""

import json
import os
import subprocess

# Our taxonomy's default severity per category (../shared/spec/taxonomy.md). A peer that
# gives no severity of its own gets this one, the same default pagerproof starts from.
DEFAULT_SEVERITY = {
    "TIMEOUT": "P1", "SWALLOW": "P2", "SECRET": "P0", "TLS-OFF": "P0", "DEBUG": "P1",
    "LOG-CONTEXT": "P3", "K8S-PROBES": "P1", "K8S-RESOURCES": "P1", "K8S-SECURITY": "P1",
    "K8S-IMAGE-TAG": "P2", "K8S-REPLICAS": "P2", "K8S-GRACE": "P3", "DOCKER-USER": "P2",
    "DOCKER-TAG": "P2", "DOCKER-HEALTHCHECK": "P3", "DOCKER-SECRETS": "P0",
}


def finding(category, path, line, rule, message="", severity=None):
    return {
        "category": category,
        "path": rel(path),
        "line": int(line) if line else None,
        "severity": severity or DEFAULT_SEVERITY.get(category, "P2"),
        "rule": rule,
        "message": message,
    }


def rel(path):
    p = (path or ".").replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p.strip("/") or "."


def relative_to(path, root):
    """`path` as the tool printed it (absolute or relative to cwd=root) -> root-relative."""
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path, root)
        except ValueError:
            pass
    return rel(path)


def load_json(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    # Some tools print a banner before the document; start at the first bracket.
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    if not starts:
        return None
    return json.loads(text[min(starts):])


def has_files(tree, *suffixes, names=()):
    """Whether the tree's file list holds a file ending in one of `suffixes` or named so."""
    for p in tree["files"]:
        base = p.rsplit("/", 1)[-1]
        if base in names or p.endswith(suffixes):
            return True
    return False


def tool_version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0].strip() if text else "?"
