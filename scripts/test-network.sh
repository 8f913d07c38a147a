#!/usr/bin/env bash
# The network test for deployers: starts the LLM-Net test network with zombienet (native
# provider, `zombienet/llmnet-network.toml`: two relay validators, two collators, three provider
# nodes that are not collators) and runs `tests/tests/network.rs` against it: relay-chain
# finality of parachain blocks, providers registered and hosted on their own nodes, a runtime
# upgrade from the released runtime (runtime/releases/) to this tree's with try-runtime on the
# live state and a query in flight, a Swarm and a Debate query settled across nodes, a
# collator and a provider node killed and restarted.
#
#   ./scripts/test-network.sh          # builds what is missing first (the relay binaries take
#                                      # about an hour cold: see docs/build-and-run.md)
#   LLMNET_KEEP_NETWORK=1 ./scripts/test-network.sh   # leave the network running afterwards
#
# The network's files and node logs are in $LLMNET_NETWORK_DIR (default
# $CARGO_TARGET_DIR/network); the test's output in $LLMNET_NETWORK_DIR/test.log.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
t0=$(date +%s)
BIN="$CARGO_TARGET_DIR/release"
if [ "${LLMNET_NO_BUILD:-0}" != 1 ]; then
	"$LLMNET_ROOT/scripts/setup.sh"
	"$LLMNET_ROOT/scripts/build-node.sh"
	"$LLMNET_ROOT/scripts/build-relay.sh"
fi
for b in llmnet-node polkadot polkadot-prepare-worker polkadot-execute-worker; do
	[ -x "$BIN/$b" ] || die "$BIN/$b missing: run ./scripts/build-node.sh and ./scripts/build-relay.sh"
done
ZOMBIENET=$("$LLMNET_ROOT/scripts/setup-zombienet.sh")
timed "build network test" cargo test --locked --release -p llmnet-e2e --test network --no-run
# try-runtime for the upgrade step: this tree's runtime, natively, with the try-runtime
# feature (no wasm: SKIP_WASM_BUILD, so the node's wasm build is not disturbed).
timed "build llmnet-try-runtime" env SKIP_WASM_BUILD=1 cargo build --locked -p llmnet-try-runtime
export LLMNET_TRY_RUNTIME="$CARGO_TARGET_DIR/debug/llmnet-try-runtime"
# polkadot.js for scripts/upgrade-runtime.mjs, which the test runs as a deployer would.
LLMNET_POLKADOT_JS=$("$LLMNET_ROOT/scripts/setup-polkadot-js.sh")
export LLMNET_POLKADOT_JS
# The network starts with the released runtime (spec_version 1) and the test upgrades it to
# the one build-node.sh built.
RELEASED="$LLMNET_ROOT/runtime/releases/llmnet-runtime-v1.compact.compressed.wasm"
export LLMNET_UPGRADE_WASM="$BIN/wbuild/llmnet-runtime/llmnet_runtime.compact.compressed.wasm"
export LLMNET_PARA_SPEC="$CARGO_TARGET_DIR/network-spec/v1/plain.json"
"$LLMNET_ROOT/scripts/chain-spec.sh" --para-id 1000 --runtime "$RELEASED" --out "$(dirname "$LLMNET_PARA_SPEC")"

export LLMNET_NETWORK_DIR="${LLMNET_NETWORK_DIR:-$CARGO_TARGET_DIR/network}"
# A previous run's processes (a crash of this script) would hold the fixed ports.
pkill -f -- "$LLMNET_NETWORK_DIR/" 2>/dev/null || true
rm -rf "$LLMNET_NETWORK_DIR"
mkdir -p "$(dirname "$LLMNET_NETWORK_DIR")"
for port in 9900 9901 9910 9911 9920 9921 9922; do
	! curl -s -o /dev/null "http://127.0.0.1:$port" || die "port $port is in use: stop what listens there"
done

zpid=""
stop_network() {
	[ "${LLMNET_KEEP_NETWORK:-0}" = 1 ] && { log "network left running (zombienet pid $zpid)"; return; }
	if [ -n "$zpid" ] && kill -INT "$zpid" 2>/dev/null; then sleep 3; kill -9 "$zpid" 2>/dev/null || true; fi
	# Nodes the test restarted are not zombienet's children any more.
	pkill -9 -f -- "$LLMNET_NETWORK_DIR/" 2>/dev/null || true
}
trap stop_network EXIT INT TERM

log "starting the network (zombienet native; files and logs in $LLMNET_NETWORK_DIR)"
ts=$(date +%s)
PATH="$BIN:$PATH" "$ZOMBIENET" -p native -l text -d "$LLMNET_NETWORK_DIR" -f \
	spawn zombienet/llmnet-network.toml >"$LLMNET_NETWORK_DIR.zombienet.log" 2>&1 &
zpid=$!
for _ in $(seq 1 600); do
	[ -s "$LLMNET_NETWORK_DIR/zombie.json" ] && break
	kill -0 "$zpid" 2>/dev/null || { tail -40 "$LLMNET_NETWORK_DIR.zombienet.log" >&2; die "zombienet exited"; }
	sleep 1
done
[ -s "$LLMNET_NETWORK_DIR/zombie.json" ] || die "network not launched in 600 s"
log "network launched in $(( $(date +%s) - ts ))s"
[ -n "${LLMNET_TIMINGS:-}" ] && echo "network launch $(( $(date +%s) - ts ))s" >> "$LLMNET_TIMINGS"

tt=$(date +%s)
if ! cargo test --locked --release -p llmnet-e2e --test network -- --ignored --nocapture 2>&1 \
	| tee "$LLMNET_NETWORK_DIR/test.log"; then
	die "network test failed (test output: $LLMNET_NETWORK_DIR/test.log, node logs: $LLMNET_NETWORK_DIR/*.log)"
fi
log "network test: $(( $(date +%s) - tt ))s"
[ -n "${LLMNET_TIMINGS:-}" ] && echo "network test $(( $(date +%s) - tt ))s" >> "$LLMNET_TIMINGS"
log "network test passed in $(( $(date +%s) - t0 ))s"
