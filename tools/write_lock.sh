#!/usr/bin/env bash
# Print requirements/lock.txt for the environment in the venv given as $1 (used by `make lock`).
set -euo pipefail
venv=${1:?usage: tools/write_lock.sh VENV}
cat <<'HEAD'
# Exact versions of every package in the pack's environment (Python 3.11+).
# Installed with 'pip install --no-deps -r requirements/lock.txt' by 'make lab' and 'make test'.
# Regenerate with 'make lock' after changing pyproject.toml; environment.yml must follow (tests check).
# Left out on purpose: rfc3987-syntax and lark (an optional jsonschema extra that jupyter-events
# asks for). Importing them compiles 39 grammars and adds about 2.5 s to every kernel that
# renders a plotly figure; without them jsonschema skips only the 'iri' format check.
HEAD
"$venv/bin/python" -m pip freeze --all --exclude-editable --disable-pip-version-check 2>/dev/null \
  | grep -v '^-e' \
  | grep -viE '^(pip|pcd-notebooks|rfc3987-syntax|lark)==' \
  | sort -f
