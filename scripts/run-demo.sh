#!/usr/bin/env bash
# The main job: install what is needed, build, and run a reference camera
# through a scripted day on a virtual clock (power on, record, hold to stop,
# dock, charge). Arguments go to bwc-demo (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec "${BWC_BUILD_DIR:-build}/firmware/bwc-demo" "$@"
