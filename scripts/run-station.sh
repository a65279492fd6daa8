#!/usr/bin/env bash
# The main job: install what is needed, build, and run the W120 end-of-line
# procedure (procedures/eol/w120.yaml) on an emulated 8-bay station (bwc-emu
# in a W701 dock, virtual time, every fixture emulated by bwc-fixtures and
# calibrated) with one faulty unit — bay 3's record button holds 400 ms
# late — then list the records it left in SQLite
# (bench-results/results.sqlite).
#
# Arguments replace the defaults after `bench run PROCEDURE`, e.g.
#   scripts/run-station.sh --emulate w120 --bays 2
# or another procedure with BWC_PROCEDURE:
#   BWC_PROCEDURE=procedures/eol/w100.yaml scripts/run-station.sh --emulate w100 --bays 2
# With your own arguments the exit status is bench's: 0 all passed, 1 a unit
# failed, 2 usage or file error, 3 station error. The default run injects a
# fault, so there a failing unit is the expected outcome and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
bench="${BWC_BUILD_DIR:-build}/bench/bench"
procedure=${BWC_PROCEDURE:-procedures/eol/w120.yaml}
default_run=0
if [ "$#" -eq 0 ]; then
  default_run=1
  set -- --emulate w120 --bays 8 --fault 3:button.record.threshold_ms=3400 --json bench-results/last-run.json
fi
status=0
"$bench" run "$procedure" --results bench-results "$@" || status=$?
echo
echo "Records in bench-results/results.sqlite (newest first):"
"$bench" results list --results bench-results --limit 8
if [ "$default_run" -eq 1 ] && [ "$status" -eq 1 ]; then
  echo
  echo "Bay 3 failed as injected (its record button holds 400 ms late); the other bays passed."
  status=0
fi
exit "$status"
