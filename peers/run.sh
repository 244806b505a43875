#!/usr/bin/env bash
# Deft against its peers: builds the harness twice (mlua links one Lua: LuaJIT, then Lua 5.4, both
# vendored from crates.io), then runs both. Each run compares every language's result and prints
# medians and ratios; CPython runs as a subprocess of each. DEFT_BENCH_QUICK=1 for a smoke test.
# py_trees, pinned, comes from PyPI into a venv of the machine's python3 (peers/.venv, made once);
# DEFT_PEERS_PYTHON, when set, names another interpreter that has it instead.
set -euo pipefail
cd "$(dirname "$0")"
PY_TREES_VERSION=2.6.0
if [ -z "${DEFT_PEERS_PYTHON:-}" ]; then
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
    fi
    if ! .venv/bin/python -c "import sys, py_trees.version as v; sys.exit(v.__version__ != '$PY_TREES_VERSION')" \
        2>/dev/null; then
        .venv/bin/python -m pip install --quiet --disable-pip-version-check "py_trees==$PY_TREES_VERSION"
    fi
    export DEFT_PEERS_PYTHON="$PWD/.venv/bin/python"
fi
cargo build --release --quiet
cp target/release/deft-peers target/release/deft-peers-luajit
cargo build --release --quiet --no-default-features --features lua54
cp target/release/deft-peers target/release/deft-peers-lua54
target/release/deft-peers-luajit
target/release/deft-peers-lua54
