#!/usr/bin/env bash
# Configure a running LLM-Net node to host a provider's off-chain worker:
#   1. insert the provider's sr25519 key under key type `llmn` (author_insertKey);
#   2. store its LLM endpoint in the node's persistent offchain storage
#      (offchain_localStorageSet), node-wide or for this account only.
# Needs curl and Node.js (the values are SCALE-encoded by @polkadot/types, which
# scripts/setup-polkadot-js.sh installs on first use).
#
#   scripts/provider-setup.sh --suri "//Bob" --url http://127.0.0.1:8089 --model sim-persona-0.9 \
#       [--rpc http://127.0.0.1:9944] [--api-key-file FILE] [--timeout-ms 60000] [--max-tokens 256] \
#       [--temperature-milli 200] [--node-wide] [--allow-spec-host HOST ...] [--allow-remote-rpc]
#
# The API key comes from --api-key-file (or $LLMNET_API_KEY), never from the command line, where
# other users of the machine could read it (--api-key still works, with a warning).
# The RPC must be the node's own, on loopback: unsafe methods (author_insertKey,
# offchain_localStorage*) read and write the keystore and the endpoint with its key, so a node
# must never expose them beyond localhost (AUDIT M12; the node's default `--rpc-methods auto`
# allows them on localhost only). A non-loopback --rpc is refused unless --allow-remote-rpc
# (an SSH tunnel is the way to reach a remote node).
#
# --allow-spec-host (repeatable) lets this node's validator workers fetch task documents from
# HOST although it is loopback or in a private range (refused by default, AUDIT M10); it
# replaces the node's allow-list (llmnet::spec-hosts).
# The RPC must allow unsafe methods (a dev node does on localhost). The key never leaves the
# node afterwards; the endpoint can be changed at any time by running this again.
set -euo pipefail
. "$(dirname "$0")/env.sh"

RPC=http://127.0.0.1:9944 SURI="" URL="" MODEL="" API_KEY="${LLMNET_API_KEY:-}" TIMEOUT=60000 MAX_TOKENS=256 TEMP=200 NODE_WIDE=0
REMOTE_RPC=0
ALLOW=()
while [ $# -gt 0 ]; do
	case "$1" in
	--rpc) RPC=$2; shift 2 ;;
	--suri) SURI=$2; shift 2 ;;
	--url) URL=$2; shift 2 ;;
	--model) MODEL=$2; shift 2 ;;
	--api-key) API_KEY=$2; echo "warning: --api-key shows the key to other users (ps); use --api-key-file" >&2; shift 2 ;;
	--api-key-file) API_KEY=$(tr -d '\r\n' < "$2"); shift 2 ;;
	--allow-remote-rpc) REMOTE_RPC=1; shift ;;
	--timeout-ms) TIMEOUT=$2; shift 2 ;;
	--max-tokens) MAX_TOKENS=$2; shift 2 ;;
	--temperature-milli) TEMP=$2; shift 2 ;;
	--node-wide) NODE_WIDE=1; shift ;;
	--allow-spec-host) ALLOW+=("$2"); shift 2 ;;
	*) echo "unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$SURI" ] && [ -n "$URL" ] && [ -n "$MODEL" ] || { echo "need --suri, --url and --model" >&2; exit 2; }
rpc_host=${RPC#*://}
case "$rpc_host" in
\[*) rpc_host=${rpc_host#[}; rpc_host=${rpc_host%%]*} ;;
*) rpc_host=${rpc_host%%[:/]*} ;;
esac
case "$rpc_host" in
127.*|localhost|::1) ;;
*)
	if [ "$REMOTE_RPC" != 1 ]; then
		echo "refusing --rpc $RPC: unsafe RPC methods carry the provider's key and API key; use the node's loopback RPC (an SSH tunnel for a remote node) or pass --allow-remote-rpc" >&2
		exit 2
	fi ;;
esac

rpc() { # method, params-json
	local out
	out=$(curl -sS -H 'Content-Type: application/json' "$RPC" \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":$2}")
	if echo "$out" | grep -q '"error"'; then echo "$1 failed: $out" >&2; exit 1; fi
	echo "$out"
}

# The SCALE values and the key are encoded by @polkadot/types (scripts/provider-setup.mjs).
NODE_PATH_DIR=$("$(dirname "$0")/setup-polkadot-js.sh")
scale() { LLMNET_POLKADOT_JS="$NODE_PATH_DIR" node "$LLMNET_ROOT/scripts/provider-setup.mjs" "$@"; }

PUBLIC=$(LLMNET_SURI="$SURI" scale public)
rpc author_insertKey "[\"llmn\", \"$SURI\", \"$PUBLIC\"]" >/dev/null
echo "inserted llmn key $PUBLIC"

# llmnet_ocw::EndpointConfig and its storage key (offchain-workers/src/config.rs); the API key
# goes through the environment, not argv.
read -r KEY VALUE < <(LLMNET_API_KEY="$API_KEY" scale endpoint "$URL" "$MODEL" "$TIMEOUT" "$MAX_TOKENS" "$TEMP" "$PUBLIC" "$NODE_WIDE")
rpc offchain_localStorageSet "[\"PERSISTENT\", \"$KEY\", \"$VALUE\"]" >/dev/null
echo "endpoint $URL model $MODEL set $([ "$NODE_WIDE" = 1 ] && echo node-wide || echo "for $PUBLIC")"

if [ ${#ALLOW[@]} -gt 0 ]; then
	# Vec<Vec<u8>> of the hosts and the key llmnet::spec-hosts (offchain-workers/src/net.rs).
	read -r HKEY HOSTS < <(scale spec-hosts "${ALLOW[@]}")
	rpc offchain_localStorageSet "[\"PERSISTENT\", \"$HKEY\", \"$HOSTS\"]" >/dev/null
	echo "task documents may be fetched from internal hosts: ${ALLOW[*]}"
fi
