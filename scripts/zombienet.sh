#!/usr/bin/env bash
# Runs the zombienet smoke test (relay chain + two LLM-Net collators) when the binaries are on
# PATH; otherwise says what is missing and how to get it, and exits 2.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT/zombienet"
export PATH="$(dirname "$LLMNET_NODE"):$PATH"
missing=()
for bin in zombienet polkadot polkadot-prepare-worker polkadot-execute-worker llmnet-node; do
	command -v "$bin" >/dev/null || missing+=("$bin")
done
if [ ${#missing[@]} -gt 0 ]; then
	cat >&2 <<MSG
[llmnet] zombienet: missing on PATH: ${missing[*]}
  - polkadot, polkadot-prepare-worker, polkadot-execute-worker: cargo install polkadot --locked
  - zombienet: npm install -g @zombienet/cli   (or a release binary of zombienet v1)
  - llmnet-node: ./scripts/build-node.sh
See docs/launching-a-testnet.md.
MSG
	exit 2
fi
exec zombienet -p native test smoke.zndsl
