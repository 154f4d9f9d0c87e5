"""Ruff: the flake8-bandit (S), blind-except (BLE), pycodestyle E722 and print (T201)
rules that match our categories. `--isolated` ignores the repository's own Ruff
configuration so every tree is checked with the same rule set."""

import os

from .common import finding, has_files, load_json, relative_to, tool_version

NAME = "ruff"
PACKAGE = "ruff.txt"
RULES = {
    "S113": "TIMEOUT",      # requests call without timeout
    "BLE001": "SWALLOW",    # blind except Exception
    "S110": "SWALLOW",      # try-except-pass
    "S112": "SWALLOW",      # try-except-continue
    "E722": "SWALLOW",      # bare except
    "S501": "TLS-OFF",      # requests with verify=False
    "S323": "TLS-OFF",      # ssl._create_unverified_context
    "S105": "SECRET",       # hardcoded password string
    "S106": "SECRET",       # hardcoded password func arg
    "S107": "SECRET",       # hardcoded password default
    "S201": "DEBUG",        # Flask debug=True
    "T201": "LOG-CONTEXT",  # print
}
CATEGORIES = sorted(set(RULES.values()))


def applies(tree):
    return has_files(tree, ".py", ".pyi")


def command(bindir, root, out):
    argv = [os.path.join(bindir, "ruff"), "check", "--isolated", "--no-cache", "--exit-zero",
            "--output-format", "json", "--select", ",".join(RULES), "."]
    return argv, root, out, {}


def convert(out, root):
    doc = load_json(out) or []
    found = []
    for r in doc:
        cat = RULES.get(r.get("code"))
        if cat:
            loc = r.get("location") or {}
            found.append(finding(cat, relative_to(r["filename"], root), loc.get("row"),
                                 r["code"], r.get("message", "")))
    return found


def version(bindir):
    return tool_version([os.path.join(bindir, "ruff"), "--version"])
