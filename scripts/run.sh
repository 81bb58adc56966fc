#!/usr/bin/env bash
# Fresh machine to a planned scenario: create .venv (Python >= 3.11), install mrp_lab with the
# notebook extras, print one plan with its explanation, then open the notebooks if any.
# Safe to run again: the install is skipped while pyproject.toml is unchanged.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EXTRAS="notebooks"

# shellcheck source=scripts/venv.sh
source "scripts/venv.sh"

ensure_venv

scenario="scenarios/overflow-70-to-40-after.yaml"
.venv/bin/mrp-lab plan "$scenario" --explain

shopt -s nullglob
notebooks=(notebooks/*.ipynb)
if (( ${#notebooks[@]} > 0 )); then
    echo
    echo "Starting Jupyter Lab on notebooks/ (Ctrl+C to stop)"
    root_flag=()
    if [[ "$(id -u)" == "0" ]]; then
        root_flag=(--allow-root)    # Jupyter refuses root unless told; containers often are root
    fi
    exec .venv/bin/jupyter lab "${root_flag[@]}" notebooks/
else
    echo
    echo "No notebooks in notebooks/ yet; nothing more to open."
fi
