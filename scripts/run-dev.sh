#!/usr/bin/env bash
# Sets up, builds and starts a local LLM-Net dev chain (1-second blocks, off-chain workers on)
# with the five dev providers (Bob .. Ferdie) hosted by the node, each pointed at an LLM, then
# submits a sample query and prints its phases, transcript and consensus; serves the web app
# (web/, ./scripts/web.sh) and prints its URL. The chain keeps running until Ctrl-C.
#
#   ./scripts/run-dev.sh                                  # simulator personas 0.9 .. 0.1
#   LLMNET_LLM_URL=http://127.0.0.1:8080 LLMNET_MODEL=smollm2 ./scripts/run-dev.sh   # a real model
#   RPC_PORT=9944 BLOCK_MS=1000 SIM_PORT=8089 PROMPT="What is 6 x 7?" DEBATE=2 ./scripts/run-dev.sh
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$LLMNET_ROOT/scripts/setup.sh"
"$LLMNET_ROOT/scripts/build-node.sh"
timed "build simulator and demo" cargo build --locked --release -p llmnet-sim -p llmnet-e2e --bins
RPC_PORT="${RPC_PORT:-9944}"
BLOCK_MS="${BLOCK_MS:-1000}"
SIM_PORT="${SIM_PORT:-8089}"
BIN="$CARGO_TARGET_DIR/release"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if [ -z "${LLMNET_LLM_URL:-}" ]; then
	"$BIN/llmnet-sim" --addr "127.0.0.1:$SIM_PORT" &
	pids+=($!)
	LLM_URL="http://127.0.0.1:$SIM_PORT"
else
	LLM_URL="$LLMNET_LLM_URL"
fi

LOG="${LLMNET_NODE_LOG:-$CARGO_TARGET_DIR/llmnet-dev-node.log}"
"$LLMNET_NODE" --dev --dev-block-time "$BLOCK_MS" --rpc-port "$RPC_PORT" --rpc-cors all \
	--offchain-worker always --no-telemetry "$@" 2>"$LOG" &
pids+=($!)
wait_rpc "$RPC_PORT"

# The web app, served next to the node (NO_WEB=1 leaves it out; it needs Node.js >= 20.19).
WEB_PORT="${WEB_PORT:-8080}"
WEB_LINE="not started (NO_WEB=1, or no npm: see docs/front-end.md)"
if [ -z "${NO_WEB:-}" ] && command -v npm >/dev/null; then
	WEB_LOG="$CARGO_TARGET_DIR/llmnet-web.log"
	RPC_URL="ws://127.0.0.1:$RPC_PORT" WEB_PORT="$WEB_PORT" "$LLMNET_ROOT/scripts/web.sh" >"$WEB_LOG" 2>&1 &
	pids+=($!)
	WEB_LINE="http://127.0.0.1:$WEB_PORT/?rpc=ws://127.0.0.1:$RPC_PORT  (log: $WEB_LOG)"
fi

cat >&2 <<MSG

  LLM-Net dev chain
  -----------------
  RPC endpoint:   ws://127.0.0.1:$RPC_PORT  (HTTP JSON-RPC on the same port); node log: $LOG
  Web app:        $WEB_LINE
  Requester CLI:  ./scripts/llmnet query "What is 6 x 7?" --rpc ws://127.0.0.1:$RPC_PORT
  Explorer:       https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$RPC_PORT
  Dev accounts:   //Alice (sudo, requester) ... //Ferdie, 1,000,000 LLMN each
  Providers:      Bob, Charlie, Dave, Eve, Ferdie, hosted by this node, LLM at $LLM_URL
  Docs:           docs/front-end.md, docs/operating-a-provider.md, docs/launching-a-testnet.md

MSG

demo=("$BIN/llmnet-demo" --rpc-port "$RPC_PORT" --llm "$LLM_URL")
[ -n "${LLMNET_MODEL:-}" ] && demo+=(--model "$LLMNET_MODEL")
[ -n "${DEBATE:-}" ] && demo+=(--debate "$DEBATE")
"${demo[@]}" --prompt "${PROMPT:-What is 6 x 7?}" || echo "the sample query did not finish; see $LOG" >&2

echo >&2 "The chain keeps running; more queries: ${demo[*]} --prompt '...' [--debate 2]. Stop with Ctrl-C."
wait "${pids[-1]}"
