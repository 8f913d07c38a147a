#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test LLM-Net.
# Idempotent: each step checks first and says what it did or what failed.
set -uo pipefail
. "$(dirname "$0")/env.sh"

failed=()
step_fail() { printf '\033[1;31m[llmnet] setup: %s\033[0m\n' "$*" >&2; failed+=("$1"); }

# 1. System packages: protoc (litep2p, sc-network), clang/libclang (RocksDB bindgen), a C/C++
#    toolchain with make and perl (RocksDB, binaryen, vendored OpenSSL), pkg-config, git, curl.
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

# 3. The web app (web/) and its browser tests: Node.js >= 20.19 with npm, the app's packages
#    (`npm ci`, exact versions from web/package-lock.json) and Debian's chromium, which the
#    Playwright tests drive (Playwright's own browser downloads are not used).
if command -v node >/dev/null && command -v npm >/dev/null \
	&& node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
	if [ ! -d "$LLMNET_ROOT/web/node_modules/@playwright/test" ] \
		|| [ "$LLMNET_ROOT/web/package-lock.json" -nt "$LLMNET_ROOT/web/node_modules/.package-lock.json" ]; then
		log "installing the web app's packages (npm ci in web/)"
		(cd "$LLMNET_ROOT/web" && npm ci --no-audit --no-fund >/dev/null) || step_fail "npm ci in web/"
	fi
else
	step_fail "Node.js >= 20.19 with npm (https://nodejs.org; found: $(node --version 2>/dev/null || echo none))"
fi
if ! command -v "${CHROMIUM:-chromium}" >/dev/null; then
	log "installing chromium (the web app's browser tests)"
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
	{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; } \
		|| step_fail "apt-get install chromium (or set CHROMIUM to a Chromium/Chrome binary)"
fi

if [ ${#failed[@]} -gt 0 ]; then
	printf '\033[1;31m[llmnet] setup failed:\033[0m\n' >&2
	printf '  - %s\n' "${failed[@]}" >&2
	exit 1
fi
log "setup complete (cargo target dir: $CARGO_TARGET_DIR)"
