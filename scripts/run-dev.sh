#!/usr/bin/env bash
# Sets up, builds and starts a local LLM-Net dev chain (1-second blocks, off-chain workers on).
#   RPC_PORT=9944 BLOCK_MS=1000 ./scripts/run-dev.sh [extra llmnet-node args]
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$LLMNET_ROOT/scripts/setup.sh"
"$LLMNET_ROOT/scripts/build-node.sh"
RPC_PORT="${RPC_PORT:-9944}"
BLOCK_MS="${BLOCK_MS:-1000}"
cat >&2 <<MSG

  LLM-Net dev chain
  -----------------
  RPC endpoint:   ws://127.0.0.1:$RPC_PORT  (HTTP JSON-RPC on the same port)
  Explorer:       https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$RPC_PORT
  Dev accounts:   //Alice (sudo) ... //Ferdie, 1,000,000 LLMN each
  Next:
    - list the LLM domains through the runtime API:
        curl -s -H 'Content-Type: application/json' \\
          -d '{"id":1,"jsonrpc":"2.0","method":"state_call","params":["LlmnetStakingApi_domains","0x"]}' \\
          http://127.0.0.1:$RPC_PORT
    - in polkadot.js: await api.call.llmnetStakingApi.domains()
    - docs/front-end.md, docs/operating-a-provider.md, docs/launching-a-testnet.md
  Stop with Ctrl-C (the chain state is temporary).

MSG
exec "$LLMNET_NODE" --dev --dev-block-time "$BLOCK_MS" --rpc-port "$RPC_PORT" --rpc-cors all \
	--offchain-worker always --no-telemetry "$@"
