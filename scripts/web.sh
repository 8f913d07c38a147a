#!/usr/bin/env bash
# Builds and serves the web app (web/) on http://127.0.0.1:$WEB_PORT (default 8080) for the node
# at $RPC_URL (default ws://127.0.0.1:9944). Installs the app's packages on first use.
#   ./scripts/web.sh                                   # next to ./scripts/run-dev.sh
#   RPC_URL=ws://10.0.0.5:9944 WEB_PORT=3000 WEB_HOST=0.0.0.0 ./scripts/web.sh
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LLMNET_ROOT/web"
command -v npm >/dev/null || die "the web app needs Node.js >= 20.19 with npm (https://nodejs.org)"
[ -d node_modules/@polkadot/api ] || timed "npm ci (web)" npm ci --no-audit --no-fund >&2
timed "build the web app" npx vite build --logLevel warn >&2
PORT="${WEB_PORT:-8080}" HOST="${WEB_HOST:-127.0.0.1}" RPC="${RPC_URL:-ws://127.0.0.1:9944}"
log "web app: http://$HOST:$PORT/?rpc=$RPC"
exec node node_modules/vite/bin/vite.js preview --host "$HOST" --port "$PORT" --strictPort
