#!/usr/bin/env bash
# Fresh machine to a full check: create .venv (Python >= 3.11), install mrp_lab with the test
# extras, run ruff, then ONE pytest run over tests/ and (when there are any) the notebooks.
# Extra arguments go to pytest, e.g.  bash scripts/test.sh -k loader -x
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EXTRAS="test"

# shellcheck source=scripts/venv.sh
source "scripts/venv.sh"

ensure_venv

echo "== ruff check ."
.venv/bin/ruff check .

args=(tests/)
shopt -s nullglob
notebooks=(notebooks/*.ipynb)
if (( ${#notebooks[@]} > 0 )); then
    args+=(--nbval notebooks/)
    if [[ -f notebooks/sanitize.cfg ]]; then
        args+=(--nbval-sanitize-with notebooks/sanitize.cfg)
    fi
fi

echo "== pytest $(printf '%q ' "${args[@]}" "$@")"
status=0
.venv/bin/python -m pytest "${args[@]}" "$@" || status=$?
if (( status == 5 )); then
    echo "error: pytest collected no tests; a test run that checks nothing is a failure" >&2
fi
exit "$status"
