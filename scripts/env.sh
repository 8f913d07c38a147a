# Shared environment of the LLM-Net scripts. Source it: `. scripts/env.sh`.
# One persistent cargo target dir outside the clone, so CI runs and later sessions reuse builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/llmnet-target}"
export LLMNET_ROOT="${LLMNET_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export LLMNET_NODE="${LLMNET_NODE:-$CARGO_TARGET_DIR/release/llmnet-node}"
# cargo's bin dir is on PATH even before rustup exists: setup.sh installs rustup in a child
# process, and the commands that follow it in the calling script must then find cargo.
case ":$PATH:" in *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;; *) export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;; esac
# Tools the scripts install outside the clone (Node.js when the machine's is too old, ...).
export LLMNET_TOOLS="${LLMNET_TOOLS:-$HOME/.cache/llmnet-tools}"
if [ -x "$LLMNET_TOOLS/node-20.20.2/bin/node" ]; then
	case ":$PATH:" in *":$LLMNET_TOOLS/node-20.20.2/bin:"*) ;; *) export PATH="$LLMNET_TOOLS/node-20.20.2/bin:$PATH" ;; esac
fi
mkdir -p "$CARGO_TARGET_DIR"
# `./target` links to the same dir, so a plain `cargo build` in the clone (which reads
# `./target`) reuses what the scripts built instead of starting an hour-long build over.
if [ ! -e "$LLMNET_ROOT/target" ] && [ ! -L "$LLMNET_ROOT/target" ] \
	&& [ "$(cd "$CARGO_TARGET_DIR" && pwd -P)" != "$LLMNET_ROOT/target" ]; then
	ln -s "$CARGO_TARGET_DIR" "$LLMNET_ROOT/target"
fi

log() { printf '\033[1;34m[llmnet]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[llmnet] error:\033[0m %s\n' "$*" >&2; exit 1; }
# Run a step, timing it; the figure goes to stderr and to $LLMNET_TIMINGS if set.
timed() {
	local name="$1"; shift
	local t0=$(date +%s)
	"$@" || die "step '$name' failed (command: $*)"
	local dt=$(( $(date +%s) - t0 ))
	log "$name: ${dt}s"
	if [ -n "${LLMNET_TIMINGS:-}" ]; then echo "$name ${dt}s" >> "$LLMNET_TIMINGS"; fi
}
# Wait up to 120 s until a node's JSON-RPC answers on localhost:$1 (and the URLs given after it
# answer too); fails otherwise.
wait_rpc() {
	local port="$1"; shift
	for _ in $(seq 1 240); do
		if curl -s -o /dev/null -H 'Content-Type: application/json' \
			-d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' "http://127.0.0.1:$port"; then
			local url ok=1
			for url in "$@"; do curl -s -o /dev/null "$url" || ok=0; done
			[ "$ok" = 1 ] && return 0
		fi
		sleep 0.5
	done
	die "no RPC on port $port after 120 s"
}
