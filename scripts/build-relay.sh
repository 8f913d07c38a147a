#!/usr/bin/env bash
# Builds the relay-chain binaries a test network needs (`polkadot` with the rococo-local runtime,
# `polkadot-prepare-worker`, `polkadot-execute-worker`) from the workspace member `relay/`, into
# the persistent $CARGO_TARGET_DIR. An interrupted build resumes where it stopped: run it again.
# Cold, this is the longest build of the project (see docs/build-and-run.md); start it early.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
timed "build relay binaries (release)" cargo build --locked --release -p llmnet-relay
for bin in polkadot polkadot-prepare-worker polkadot-execute-worker; do
	ls -l "$CARGO_TARGET_DIR/release/$bin" >&2
done
"$CARGO_TARGET_DIR/release/polkadot" --version >&2
