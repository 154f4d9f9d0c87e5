"""The peer tools the benchmark runs beside pagerproof, one module each.

Every module defines:
  NAME        tool name as printed
  PACKAGE     requirements file under bench/requirements/ (None: not from PyPI)
  CATEGORIES  our taxonomy categories its mapping covers (the others print as "n/a")
  applies(tree)            -> bool: whether the tool has anything to look at in the tree
  command(bin, root, out)  -> (argv, cwd, stdout_file or None, env additions)
  convert(out, root)       -> findings in the report contract's shape:
                              {category, path, line, severity, rule, message}
  version(bin)             -> version string

Converters map the peer's own rule ids to our categories; a rule id with no mapping is
dropped (it checks something we do not claim). Paths are made relative to the
repository root with "/" separators, lines are 1-based.
"""

from . import bandit, checkov, detect_secrets, ruff, semgrep

ALL = [ruff, bandit, semgrep, checkov, detect_secrets]
BY_NAME = {m.NAME: m for m in ALL}
