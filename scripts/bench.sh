#!/usr/bin/env bash
# Regenerates the LLM-Net pallets' weights.rs from their benchmarks with frame-omni-bencher,
# and the measured points `try-runtime/tests/weights.rs` checks the declared weights against
# (pallets/<pallet>/measured-weights.txt). Builds the runtime with `runtime-benchmarks` (a
# separate wasm, never the one the node embeds); builds frame-omni-bencher 0.28 (stable2609)
# from its crate with this workspace's Cargo.lock into ~/.cache/llmnet-tools if missing (21 min
# the first time, reusing the node's compiled crates); runs every pallet benchmark (12.5 min).
#   STEPS=50 REPEAT=20 ./scripts/bench.sh [pallet ...]
# (the four LLM-Net pallets by default; `pallet_xcm` writes runtime/src/weights/pallet_xcm.rs)
# Run it on an otherwise idle machine: the measured times are the weights.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
TOOLS="${LLMNET_TOOLS:-$HOME/.cache/llmnet-tools}"
BENCHER="$TOOLS/bin/frame-omni-bencher"
if [ ! -x "$BENCHER" ]; then
	# Built from the crate's source with this workspace's Cargo.lock, in the shared target
	# dir: the polkadot-sdk crates the node already compiled at the same versions are reused
	# (and an interrupted build resumes).
	src="$TOOLS/src/frame-omni-bencher-0.28.0"
	if [ ! -f "$src/Cargo.toml" ]; then
		mkdir -p "$TOOLS/src"
		curl -sSfL --retry 3 https://static.crates.io/crates/frame-omni-bencher/frame-omni-bencher-0.28.0.crate |
			tar xz -C "$TOOLS/src"
	fi
	cp Cargo.lock "$src/Cargo.lock"
	(cd "$src" && timed "build frame-omni-bencher" cargo build --release --target-dir "$CARGO_TARGET_DIR")
	mkdir -p "$TOOLS/bin"
	cp "$CARGO_TARGET_DIR/release/frame-omni-bencher" "$BENCHER"
fi
# Its own profile, so the benchmarking wasm never replaces the one the node embeds.
timed "build runtime (runtime-benchmarks)" cargo build --locked --profile bench-runtime -p llmnet-runtime --features runtime-benchmarks
WASM="$CARGO_TARGET_DIR/bench-runtime/wbuild/llmnet-runtime/llmnet_runtime.compact.compressed.wasm"
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(pallet_llmnet_staking pallet_llmnet_reputation pallet_llmnet_query_contracts pallet_llmnet_validation)
RAW="$CARGO_TARGET_DIR/bench-runtime/results"
mkdir -p "$RAW"
for pallet in "${pallets[@]}"; do
	if [[ "$pallet" != pallet_llmnet_* ]]; then
		# A pallet of polkadot-sdk (`pallet_xcm`): its weights live in the runtime, in the
		# bencher's own template (`impl pallet_xcm::WeightInfo for WeightInfo<T>`).
		out="runtime/src/weights/$pallet.rs"
		timed "benchmark $pallet" "$BENCHER" v1 benchmark pallet --runtime "$WASM" \
			--genesis-builder-preset development --pallet "$pallet" --extrinsic "" \
			--steps "${STEPS:-50}" --repeat "${REPEAT:-20}" --output "$out" \
			--json-file "$RAW/$pallet.json"
		# The runtime names polkadot-sdk's crates through its umbrella crate.
		sed -i 's/^use frame_support::/use polkadot_sdk::*;\nuse frame_support::/' "$out"
		continue
	fi
	dir="pallets/$(echo "${pallet#pallet_llmnet_}" | tr _ -)"
	timed "benchmark $pallet" "$BENCHER" v1 benchmark pallet --runtime "$WASM" \
		--genesis-builder-preset development --pallet "$pallet" --extrinsic "" \
		--steps "${STEPS:-50}" --repeat "${REPEAT:-20}" \
		--template scripts/weight-template.hbs --output "$dir/src/weights.rs" \
		--json-file "$RAW/$pallet.json"
	# The measured points `try-runtime/tests/weights.rs` checks the declared weights against.
	python3 scripts/measured-weights.py "$RAW/$pallet.json" "$dir/measured-weights.txt"
done
