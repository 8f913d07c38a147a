#!/usr/bin/env bash
# Serves SmolLM2-135M-Instruct on an OpenAI-compatible endpoint (installs it first if needed).
#   PORT=8080 ./scripts/llm-server.sh
set -euo pipefail
. "$(dirname "$0")/env.sh"
MODEL=$("$LLMNET_ROOT/scripts/setup-llm.sh" | tail -1)
TOOLS="${LLMNET_TOOLS:-$HOME/.cache/llmnet-tools}"
exec node "$LLMNET_ROOT/scripts/llm-server.mjs" --model "$MODEL" --port "${PORT:-8080}" \
	--name smollm2 --modules "$TOOLS/llm-server"
