#!/usr/bin/env bash
# The whole test suite: install what is needed, build, run every CTest test
# (unit, integration, build checks; hardware-in-the-loop tests skip without
# hardware). Ends with ctest's summary; exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd "${BWC_BUILD_DIR:-build}"
ctest --output-on-failure -j "$(nproc)"
