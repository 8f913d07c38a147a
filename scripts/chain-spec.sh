#!/usr/bin/env bash
# Writes the chain spec of a new LLM-Net network and what the relay chain needs to onboard it:
#
#   scripts/chain-spec.sh --para-id 2000 [--name "My LLM-Net"] [--id my_llmnet] \
#       [--relay rococo-local] [--preset local_testnet] [--runtime WASM] [--out DIR]
#
# --runtime: the genesis runtime (default: the one ./scripts/build-node.sh built); e.g. the
# released runtime/releases/llmnet-runtime-v1.compact.compressed.wasm, to launch a network
# that a later runtime upgrades (./scripts/test-network.sh does).
# Produces in DIR (default ./chain-spec-<para id>): plain.json (edit it: collators, sudo,
# endowments, providers), raw.json (what nodes run with --chain), genesis-head and
# genesis-wasm (for the relay chain's registration of the para id).
#
# Why a script: `chain-spec-builder create --para-id N` sets the spec's `para_id` but not the
# runtime's `parachainInfo.parachainId`, which the preset fixes at 1000; a collator of such a
# spec builds blocks for para 1000 and the relay chain never includes them. The token symbol
# and decimals are set here too (the builder's default properties have neither).
set -euo pipefail
. "$(dirname "$0")/env.sh"
PARA_ID="" NAME="LLM-Net" ID="" RELAY=rococo-local PRESET=local_testnet OUT="" WASM=""
while [ $# -gt 0 ]; do
	case "$1" in
	--para-id) PARA_ID=$2; shift 2 ;;
	--name) NAME=$2; shift 2 ;;
	--id) ID=$2; shift 2 ;;
	--relay) RELAY=$2; shift 2 ;;
	--preset) PRESET=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--runtime) WASM=$2; shift 2 ;;
	*) die "unknown argument $1 (see the header of $0)" ;;
	esac
done
[ -n "$PARA_ID" ] || die "--para-id is required"
ID="${ID:-llmnet_$PARA_ID}"
OUT="${OUT:-chain-spec-$PARA_ID}"
WASM="${WASM:-$CARGO_TARGET_DIR/release/wbuild/llmnet-runtime/llmnet_runtime.compact.compressed.wasm}"
[ -x "$LLMNET_NODE" ] && [ -f "$WASM" ] || die "build the node first: ./scripts/build-node.sh"
mkdir -p "$OUT"
"$LLMNET_NODE" chain-spec-builder -c "$OUT/plain.json" create -n "$NAME" -i "$ID" -t local \
	--relay-chain "$RELAY" --para-id "$PARA_ID" \
	--properties tokenSymbol=LLMN,tokenDecimals=12,ss58Format=42 -r "$WASM" named-preset "$PRESET"
# Python keeps the 128-bit balances exact (jq 1.6 would turn them into floats).
python3 - "$OUT/plain.json" "$PARA_ID" <<'PY'
import json, sys
path, para = sys.argv[1], int(sys.argv[2])
spec = json.load(open(path))
spec["genesis"]["runtimeGenesis"]["patch"].setdefault("parachainInfo", {})["parachainId"] = para
spec["protocolId"] = spec.get("protocolId") or "llmnet"
json.dump(spec, open(path, "w"), indent=2)
PY
"$LLMNET_NODE" chain-spec-builder -c "$OUT/raw.json" convert-to-raw "$OUT/plain.json"
"$LLMNET_NODE" export-genesis-head --chain "$OUT/raw.json" "$OUT/genesis-head" 2>/dev/null
"$LLMNET_NODE" export-genesis-wasm --chain "$OUT/raw.json" "$OUT/genesis-wasm" 2>/dev/null
# The runtime's para id in the raw genesis storage (ParachainInfo::ParachainId, u32 LE).
stored=$(python3 - "$OUT/raw.json" <<'PY'
import json, sys
top = json.load(open(sys.argv[1]))["genesis"]["raw"]["top"]
v = top["0x0d715f2646c8f85767b5d2764bb2782604a74d81251e398fd8a0a4d55023bb3f"]
print(int.from_bytes(bytes.fromhex(v[2:]), "little"))
PY
)
[ "$stored" = "$PARA_ID" ] || die "raw spec stores para id $stored, not $PARA_ID"
log "wrote $OUT/{plain.json,raw.json,genesis-head,genesis-wasm}: para id $PARA_ID (spec and runtime), relay $RELAY"
