#!/usr/bin/env bash
# Regenerates the LLM-Net pallets' weights.rs from their benchmarks with frame-omni-bencher:
# builds the runtime with `runtime-benchmarks` (a separate wasm, never the one the node
# embeds), installs frame-omni-bencher 0.28 (stable2609) into ~/.cache/llmnet-tools if
# missing, and runs every pallet benchmark. Long: the first run compiles the bencher.
#   STEPS=50 REPEAT=20 ./scripts/bench.sh [pallet ...]
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
TOOLS="${LLMNET_TOOLS:-$HOME/.cache/llmnet-tools}"
BENCHER="$TOOLS/bin/frame-omni-bencher"
if [ ! -x "$BENCHER" ]; then
	# A persistent target dir: an interrupted install resumes where it stopped.
	timed "install frame-omni-bencher" cargo install frame-omni-bencher --version 0.28.0 --locked \
		--root "$TOOLS" --target-dir "$TOOLS/target"
fi
# Its own profile, so the benchmarking wasm never replaces the one the node embeds.
timed "build runtime (runtime-benchmarks)" cargo build --locked --profile bench-runtime -p llmnet-runtime --features runtime-benchmarks
WASM="$CARGO_TARGET_DIR/bench-runtime/wbuild/llmnet-runtime/llmnet_runtime.compact.compressed.wasm"
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(pallet_llmnet_staking pallet_llmnet_reputation pallet_llmnet_query_contracts pallet_llmnet_validation)
for pallet in "${pallets[@]}"; do
	dir="pallets/$(echo "${pallet#pallet_llmnet_}" | tr _ -)"
	timed "benchmark $pallet" "$BENCHER" v1 benchmark pallet --runtime "$WASM" \
		--genesis-builder-preset development --pallet "$pallet" --extrinsic "" \
		--steps "${STEPS:-50}" --repeat "${REPEAT:-20}" \
		--template scripts/weight-template.hbs --output "$dir/src/weights.rs"
done
