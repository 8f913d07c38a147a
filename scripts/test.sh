#!/usr/bin/env bash
# Sets up and runs every test: formatting, pallet and runtime unit tests (with try_state and
# benchmark tests), the web app's unit tests, a short run of the runtime fuzzer, then the
# end-to-end tests against a real release node (the web app's browser tests among them), then
# the network test
# (relay chain + collators + provider nodes, `scripts/test-network.sh`) when the relay binaries of
# `scripts/build-relay.sh` are in the target dir; without them it says loudly that it skipped it.
# Timings of each step are printed (and appended to $LLMNET_TIMINGS if set).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
t0=$(date +%s)
timed "setup" "$LLMNET_ROOT/scripts/setup.sh"
timed "rustfmt --check" cargo fmt --all -- --check
# Pallets and the off-chain worker library: native only, no wasm.
timed "unit tests (primitives, pallets, ocw, simulator)" env SKIP_WASM_BUILD=1 cargo test --locked \
	-p llmnet-primitives -p pallet-llmnet-staking -p pallet-llmnet-reputation -p pallet-llmnet-query-contracts -p pallet-llmnet-validation -p llmnet-ocw -p llmnet-sim \
	--features pallet-llmnet-staking/runtime-benchmarks,pallet-llmnet-reputation/runtime-benchmarks,pallet-llmnet-query-contracts/runtime-benchmarks,pallet-llmnet-validation/runtime-benchmarks
# The web app's own logic (formatting, query parameters, transcripts from events, the CLI's
# arguments) and its types; its browser tests run with the end-to-end tests (tests/tests/web.rs).
timed "web app: type check and unit tests" bash -c 'cd web && npx tsc --noEmit && npx vitest run'
# The runtime's own configuration (XCM), natively on the fuzzer's build.
timed "runtime tests (try-runtime crate)" env SKIP_WASM_BUILD=1 cargo test --locked -p llmnet-try-runtime
# The runtime fuzzer, a short run (docs/reliability.md): the debug build it uses is the one the
# network test's try-runtime step uses too.
timed "runtime fuzzer (short run)" "$LLMNET_ROOT/scripts/fuzz.sh" --seeds 20 --steps 300
timed "build node (release)" cargo build --locked --release -p llmnet-node
timed "end-to-end tests" env LLMNET_NODE="$LLMNET_NODE" cargo test --locked --release -p llmnet-e2e -- --test-threads=1 --nocapture
RELAY_BINS=("$CARGO_TARGET_DIR/release/polkadot" "$CARGO_TARGET_DIR/release/polkadot-prepare-worker" "$CARGO_TARGET_DIR/release/polkadot-execute-worker")
if [ -x "${RELAY_BINS[0]}" ] && [ -x "${RELAY_BINS[1]}" ] && [ -x "${RELAY_BINS[2]}" ]; then
	# The relay binaries as built (rebuilding them would not fit the CI budget when cold).
	timed "network test (zombienet)" env LLMNET_NO_BUILD=1 "$LLMNET_ROOT/scripts/test-network.sh"
else
	printf '\n\033[1;33m%s\n%s\n%s\033[0m\n\n' \
		"[llmnet] ************************************************************************" \
		"[llmnet] SKIPPED the network test: no relay binaries in $CARGO_TARGET_DIR/release." \
		"[llmnet] Build them once with ./scripts/build-relay.sh (about an hour cold), then rerun." >&2
fi
log "all tests passed in $(( $(date +%s) - t0 ))s"
