#!/usr/bin/env bash
# The throughput benchmark (issue 18): latency in blocks per query, queries settled per minute,
# LLM calls per query and state bytes per query, on a dev node with 1-second blocks and the
# five dev providers answering from the simulator (tests/tests/throughput.rs). Builds the
# release node if needed. Figures and the machine they came from: docs/performance.md.
#   QUERIES=30 WAVE=200 PROVIDERS=5 ./scripts/bench-throughput.sh
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
timed "build node (release)" cargo build --locked --release -p llmnet-node
timed "throughput benchmark" env LLMNET_NODE="$LLMNET_NODE" QUERIES="${QUERIES:-30}" \
	cargo test --locked --release -p llmnet-e2e --test throughput -- --ignored --nocapture
