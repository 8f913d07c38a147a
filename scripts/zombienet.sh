#!/usr/bin/env bash
# The zombienet smoke test (`zombienet/smoke.zndsl` on `zombienet/llmnet-network.toml`): relay
# chain up, parachain registered, both collators producing and finalizing, provider nodes
# following. A few minutes; the full network test is ./scripts/test-network.sh.
# Needs the node and the relay binaries (./scripts/build-node.sh, ./scripts/build-relay.sh);
# installs the zombienet CLI if missing.
set -euo pipefail
. "$(dirname "$0")/env.sh"
BIN="$CARGO_TARGET_DIR/release"
for b in llmnet-node polkadot polkadot-prepare-worker polkadot-execute-worker; do
	[ -x "$BIN/$b" ] || die "$BIN/$b missing: run ./scripts/build-node.sh and ./scripts/build-relay.sh"
done
ZOMBIENET=$("$LLMNET_ROOT/scripts/setup-zombienet.sh")
# The parachain's genesis: this tree's runtime, `local_testnet` preset, para id 1000.
export LLMNET_PARA_SPEC="$CARGO_TARGET_DIR/network-spec/current/plain.json"
"$LLMNET_ROOT/scripts/chain-spec.sh" --para-id 1000 --out "$(dirname "$LLMNET_PARA_SPEC")"
cd "$LLMNET_ROOT/zombienet"
PATH="$BIN:$PATH" exec "$ZOMBIENET" -p native -l text test smoke.zndsl
