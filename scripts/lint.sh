#!/usr/bin/env bash
# Clippy with the workspace lints (runtime crates deny unwrap/expect/indexing/unchecked
# arithmetic) and rustfmt. Slow from cold: it type-checks the whole dependency graph.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
cargo fmt --all -- --check
SKIP_WASM_BUILD=1 cargo clippy --locked --workspace --all-targets \
	--features pallet-llmnet-staking/runtime-benchmarks,pallet-llmnet-reputation/runtime-benchmarks,pallet-llmnet-query-contracts/runtime-benchmarks,pallet-llmnet-validation/runtime-benchmarks \
	-- -D warnings
