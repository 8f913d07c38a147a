#!/usr/bin/env bash
# Installs @polkadot/api 16 (17.x does not install from the registry here; 16.5.6 reads the
# runtime's metadata V16) outside the repository and prints its node_modules dir. The project's
# .mjs scripts load it from there (or from $LLMNET_POLKADOT_JS): node scripts/register-para.mjs
set -euo pipefail
. "$(dirname "$0")/env.sh"
DIR="${LLMNET_TOOLS:-$HOME/.cache/llmnet-tools}/polkadot-api"
if [ ! -d "$DIR/node_modules/@polkadot/api" ]; then
	command -v npm >/dev/null || die "node and npm are needed"
	mkdir -p "$DIR"
	[ -f "$DIR/package.json" ] || echo '{"name":"llmnet-polkadot-js","private":true,"type":"module"}' >"$DIR/package.json"
	(cd "$DIR" && timed "npm install @polkadot/api@16.5.6" npm install --no-audit --no-fund --ignore-scripts @polkadot/api@16.5.6 >&2)
fi
echo "$DIR/node_modules"
