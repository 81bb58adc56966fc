# Shared by run.sh and test.sh: find a Python >= 3.11 and keep .venv installed with $EXTRAS.
# Sourced, not run: the caller sets EXTRAS and has already cd'ed to the repository root.

find_python() {
    local candidate
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [[ -x .venv/bin/python ]] &&
        ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "error: .venv uses Python older than 3.11; delete .venv and run again" >&2
        exit 1
    fi
    if [[ ! -x .venv/bin/python ]]; then
        local python
        if ! python="$(find_python)"; then
            echo "error: mrp_lab needs Python 3.11 or newer; none of python3.13, python3.12," \
                "python3.11, python3 on PATH is recent enough" >&2
            exit 1
        fi
        echo "Creating .venv with $python ($("$python" --version 2>&1))"
        if ! "$python" -m venv .venv; then
            echo "error: '$python -m venv' failed (on Debian/Ubuntu: apt install python3-venv)" >&2
            exit 1
        fi
    fi
    # Install (or reinstall) only when pyproject.toml or the extras changed since last time.
    local stamp=".venv/.mrp_lab-installed-$EXTRAS"
    local want
    want="$(cat pyproject.toml; echo "extras=$EXTRAS")"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && .venv/bin/python -c 'import mrp_lab' 2>/dev/null; then
        return 0
    fi
    echo "Installing mrp_lab[$EXTRAS] into .venv"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
    printf '%s' "$want" > "$stamp"
}
