#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already present.
# Safe to re-run; a machine that has run it once takes a second or two.
# Versions: ../shared/TOOLCHAIN.md (measured on this machine kind); timings: docs/ci.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# The Makefile exports build settings for the project; tools build with cargo's defaults
# (own temporary target dir, no offline sqlx, no project flags).
unset CARGO_TARGET_DIR SQLX_OFFLINE LEPTOS_OUTPUT_NAME RUSTFLAGS

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos: no_downloads, because this machine cannot fetch prebuilt binaries;
# 0.3.11 needs a newer rustc than 1.95.
if ! have_version cargo-leptos "0.3.10"; then
  log "installing cargo-leptos 0.3.10 (about 15 minutes on a cold machine)"
  cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads
fi
# Must equal the wasm-bindgen crate pinned in Cargo.toml. No --locked: one locked
# dependency is missing from the registry.
if ! have_version wasm-bindgen "0.2.130"; then
  log "installing wasm-bindgen-cli 0.2.130"
  cargo install wasm-bindgen-cli --version 0.2.130
fi
if ! have_version sqlx "0.8.6"; then
  log "installing sqlx-cli 0.8.6"
  cargo install sqlx-cli --version 0.8.6 --locked --no-default-features --features postgres,rustls
fi
# S3-compatible server for the storage tests (0.15+ needs a newer rustc).
if ! have_version s3s-fs "0.14.1"; then
  log "installing s3s-fs 0.14.1"
  cargo install s3s-fs@0.14.1 --features binary --locked
fi

# Debian packages: chromium for Playwright (Playwright's own browser download cannot
# work here); poppler-utils for `pdftotext`, the reference in the extraction benchmark.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftotext ]; then
  log "installing Debian chromium and poppler-utils"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils >/dev/null
fi

# npm packages: Tailwind v4 CLI, binaryen (wasm-opt 132; Debian's 108 breaks hydration),
# Playwright test runner. Reinstalled only when the lock file changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  # `npm install`, not `npm ci`: npm 11 leaves other platforms' optional Tailwind
  # binaries out of the lock and `npm ci` then refuses it. With exact versions in
  # package.json and the committed lock, `npm install` installs the same tree.
  npm install --no-audit --no-fund --loglevel=error
fi

log "tools ready"
