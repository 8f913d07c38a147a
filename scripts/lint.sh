#!/usr/bin/env bash
# Clippy with the workspace lints (runtime crates deny unwrap/expect/indexing/unchecked
# arithmetic) and rustfmt. Slow from cold: it type-checks the whole dependency graph.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
cargo fmt --all -- --check
# llmnet-try-runtime enables the runtime's `try-runtime` features; linted on its own so that
# they do not spread to the whole workspace's check (which would re-check everything).
SKIP_WASM_BUILD=1 cargo clippy --locked --workspace --exclude llmnet-try-runtime --all-targets \
	--features pallet-llmnet-staking/runtime-benchmarks,pallet-llmnet-reputation/runtime-benchmarks,pallet-llmnet-query-contracts/runtime-benchmarks,pallet-llmnet-validation/runtime-benchmarks \
	-- -D warnings
SKIP_WASM_BUILD=1 cargo clippy --locked -p llmnet-try-runtime -- -D warnings
