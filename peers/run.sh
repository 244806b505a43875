#!/usr/bin/env bash
# Deft against its peers: builds the harness twice (mlua links one Lua: LuaJIT, then Lua 5.4, both
# vendored from crates.io), then runs both. Each run compares every language's result and prints
# medians and ratios; CPython runs as a subprocess of each. DEFT_BENCH_QUICK=1 for a smoke test.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet
cp target/release/deft-peers target/release/deft-peers-luajit
cargo build --release --quiet --no-default-features --features lua54
cp target/release/deft-peers target/release/deft-peers-lua54
target/release/deft-peers-luajit
target/release/deft-peers-lua54
