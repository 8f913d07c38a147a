#!/usr/bin/env bash
# Installs the zombienet v1 CLI (`@zombienet/cli` from npm) outside the repository and prints
# the path of its executable. Idempotent.
#
# `@zombienet/utils` asks for `toml` from a GitHub fork (github:pepoviola/toml-node), which a
# machine with only package registries cannot fetch; npm `overrides` pins the registry's
# `toml` 3.0.0 instead (it parses the network files of this project).
set -euo pipefail
. "$(dirname "$0")/env.sh"
TOOLS="${LLMNET_TOOLS:-$HOME/.cache/llmnet-tools}"
DIR="$TOOLS/zombienet"
VERSION=1.3.138
BIN="$DIR/node_modules/.bin/zombienet"
if [ ! -x "$BIN" ] || ! grep -q "\"version\": \"$VERSION\"" "$DIR/node_modules/@zombienet/cli/package.json" 2>/dev/null; then
	command -v npm >/dev/null || die "node and npm are needed for zombienet (apt-get install nodejs npm)"
	mkdir -p "$DIR"
	cat >"$DIR/package.json" <<JSON
{
  "name": "llmnet-zombienet",
  "private": true,
  "dependencies": { "@zombienet/cli": "$VERSION" },
  "overrides": { "toml": "3.0.0" }
}
JSON
	(cd "$DIR" && timed "npm install @zombienet/cli@$VERSION" npm install --no-audit --no-fund --ignore-scripts >&2)
fi
echo "$BIN"
