#!/usr/bin/env bash
# usage: run_if_configured.sh VARIABLE COMMAND...
# Runs COMMAND when the environment variable VARIABLE names hardware;
# otherwise exits 77, which CTest reports as "skipped".
var=$1
shift
if [ -z "${!var:-}" ]; then
  echo "skipped: set $var to run this hardware-in-the-loop test"
  exit 77
fi
exec "$@"
