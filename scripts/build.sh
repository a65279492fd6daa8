#!/usr/bin/env bash
# Configures (once) and builds the tree into build/ with Ninja.
# Extra arguments go to the first CMake configure, e.g. -DBWC_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BWC_BUILD_DIR:-build}
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja "$@"
fi
cmake --build "$build_dir" -j "$(nproc)"
