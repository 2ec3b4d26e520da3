#!/usr/bin/env bash
# Runs every extraction fuzz target for a while, each corpus seeded from ../shared
# (samples and the real-world PDFs). Usage: scripts/fuzz.sh [seconds per target, 180].
# cargo-fuzz needs nightly flags; this machine has only the stable toolchain, so the
# flags are allowed with RUSTC_BOOTSTRAP=1 (same compiler, unstable options unlocked).
set -euo pipefail
SECS="${1:-180}"
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# erase_components: the library's UI code is built the way every other build here does.
export RUSTC_BOOTSTRAP=1 RUSTFLAGS="--cfg erase_components" \
  CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/ledgerlens/fuzz-target}"
SHARED="../../shared"
for target in csv xlsx pdf; do
  mkdir -p "corpus/$target"
  find "$SHARED/samples" "$SHARED/corpus" -name "*.$target" -exec cp -n {} "corpus/$target/" \;
  echo "==> fuzzing $target for ${SECS}s"
  cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=20 \
    2>&1 | grep -E "^#[0-9]+.*(DONE|pulse)|Done|ERROR|SUMMARY|panicked|deadly" | tail -5
done
