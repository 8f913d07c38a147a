#!/usr/bin/env bash
# Builds the release node (and with it the runtime wasm) into $CARGO_TARGET_DIR.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
timed "build node (release)" cargo build --locked --release -p llmnet-node
ls -l "$LLMNET_NODE" >&2
