#!/usr/bin/env bash
# Runs the runtime fuzzer (try-runtime/src/bin/llmnet-fuzz.rs): random sequences of the LLM-Net
# pallets' extrinsics, root calls, slashes and blocks on this tree's runtime, natively, with
# every pallet's try_state, issuance and no-change-on-error oracles after every step.
#   ./scripts/fuzz.sh                      # 40 seeds x 200 steps (the short run of test.sh)
#   ./scripts/fuzz.sh --seeds 5000 --steps 400 --from 1000
#   ./scripts/fuzz.sh --seed 17            # replay one seed
#   ./scripts/fuzz.sh --release --seeds 500 --from 100000 --steps 300   # long runs: optimised
#     build (about 12 min once, after the release node), about 13x faster (625 calls/s here)
# Built in the debug profile with the try-runtime features, the build test-network.sh uses for
# llmnet-try-runtime (one build for both).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT"
profile=debug build=(-p llmnet-try-runtime)
if [ "${1:-}" = "--release" ]; then
	profile=release build=(--release -p llmnet-try-runtime --bin llmnet-fuzz)
	shift
fi
timed "build llmnet-fuzz ($profile)" env SKIP_WASM_BUILD=1 cargo build --locked "${build[@]}"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--seeds 40 --steps 200)
timed "fuzz ${args[*]}" "$CARGO_TARGET_DIR/$profile/llmnet-fuzz" "${args[@]}"
