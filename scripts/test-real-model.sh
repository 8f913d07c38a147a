#!/usr/bin/env bash
# The real-model path end to end: SmolLM2-135M-Instruct (from PyPI) served by node-llama-cpp
# (from npm) on an OpenAI-compatible endpoint; a dev node hosts the five dev providers, all on
# that model; one Swarm query must settle with the model's answers. Slow on 2 cores (every
# answer, judgement and feedback is a real completion): allow 10-20 minutes. Then one
# validator runs an evaluation benchmark round through the same model.
#   ./scripts/test-real-model.sh
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$LLMNET_ROOT/scripts/setup.sh"
MODEL=$("$LLMNET_ROOT/scripts/setup-llm.sh" | tail -1)
"$LLMNET_ROOT/scripts/build-node.sh"
timed "build demo" cargo build --locked --release -p llmnet-e2e --bins
TOOLS="${LLMNET_TOOLS:-$HOME/.cache/llmnet-tools}"
LLM_PORT="${LLM_PORT:-8095}" RPC_PORT="${RPC_PORT:-9955}"
WORK=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

node "$LLMNET_ROOT/scripts/llm-server.mjs" --model "$MODEL" --port "$LLM_PORT" --name smollm2 \
	--modules "$TOOLS/llm-server" >"$WORK/llm.log" 2>&1 &
pids+=($!)
"$LLMNET_NODE" --dev --dev-block-time 1000 --rpc-port "$RPC_PORT" --base-path "$WORK/node" \
	--offchain-worker always --no-telemetry --no-prometheus -lruntime::llmnet-query=info \
	2>"$WORK/node.log" &
pids+=($!)
wait_rpc "$RPC_PORT" "http://127.0.0.1:$LLM_PORT/health"
start=$(date +%s)
if "$CARGO_TARGET_DIR/release/llmnet-demo" --rpc-port "$RPC_PORT" --llm "http://127.0.0.1:$LLM_PORT" \
	--model smollm2 --prompt "What is 6 x 7?" | tee "$WORK/demo.log"; then
	grep -q '^consensus: ' "$WORK/demo.log" || { echo "no consensus" >&2; exit 1; }
	echo "real-model query settled in $(( $(date +%s) - start )) s; completions served:" \
		"$(grep -c '^completion in' "$WORK/llm.log")"
	grep '^completion in' "$WORK/llm.log" | head -5
else
	tail -40 "$WORK/node.log" >&2
	tail -20 "$WORK/llm.log" >&2
	exit 1
fi
# The benchmark path on the same server: one validator's worker runs a five-question
# evaluation round through the real model (tests/tests/benchmark_ocw.rs, ignored by default).
timed "real-model benchmark run" env LLMNET_REAL_LLM="http://127.0.0.1:$LLM_PORT" LLMNET_REAL_MODEL=smollm2 \
	cargo test --locked --release -p llmnet-e2e --test benchmark_ocw -- --ignored --nocapture
