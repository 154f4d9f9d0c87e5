"""Semgrep with our own comparable local rules (bench/semgrep/*.yml), `--metrics=off`,
no registry, no version check. Each rule names its category in `metadata.category`.
Rule severity: ERROR -> P1, WARNING -> P2, INFO -> P3."""

import os

from .common import finding, load_json, relative_to, tool_version

NAME = "semgrep"
PACKAGE = "semgrep.txt"
RULES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "semgrep")
CATEGORIES = ["DEBUG", "SECRET", "SWALLOW", "TIMEOUT", "TLS-OFF"]
SEVERITY = {"ERROR": "P1", "WARNING": "P2", "INFO": "P3"}
ENV = {"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}


def applies(tree):
    return True


def command(bindir, root, out):
    argv = [os.path.join(bindir, "semgrep"), "scan", "--config", RULES_DIR, "--metrics=off",
            "--disable-version-check", "--json", "--output", out, "--quiet", "."]
    return argv, root, None, dict(ENV)


def convert(out, root):
    doc = load_json(out) or {}
    found = []
    for r in doc.get("results", []):
        extra = r.get("extra") or {}
        cat = (extra.get("metadata") or {}).get("category")
        if not cat:
            continue
        sev = SEVERITY.get(extra.get("severity"))
        found.append(finding(cat, relative_to(r["path"], root), (r.get("start") or {}).get("line"),
                             r.get("check_id", "").rsplit(".", 1)[-1], extra.get("message", ""), sev))
    return found


def rule_count():
    n = 0
    for name in sorted(os.listdir(RULES_DIR)):
        if name.endswith(".yml"):
            with open(os.path.join(RULES_DIR, name)) as f:
                n += sum(1 for line in f if line.startswith("  - id:"))
    return n


def version(bindir):
    return tool_version([os.path.join(bindir, "semgrep"), "--version", "--disable-version-check"])
