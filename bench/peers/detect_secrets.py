"""detect-secrets `scan` with its default plugins and filters, run from the repository
root (it lists files with `git ls-files` when the tree is a git checkout). Every hit is a
SECRET at the taxonomy's default severity (P0): the tool presents each as a credential
to remove."""

import os

from .common import finding, load_json, relative_to, tool_version

NAME = "detect-secrets"
PACKAGE = "detect-secrets.txt"
CATEGORIES = ["SECRET"]


def applies(tree):
    return True


def command(bindir, root, out):
    return [os.path.join(bindir, "detect-secrets"), "scan"], root, out, {}


def convert(out, root):
    doc = load_json(out) or {}
    found = []
    for path, hits in sorted((doc.get("results") or {}).items()):
        for h in hits:
            found.append(finding("SECRET", relative_to(path, root), h.get("line_number"),
                                 h.get("type", "secret"), h.get("type", "")))
    return found


def version(bindir):
    return tool_version([os.path.join(bindir, "detect-secrets"), "--version"])
