#!/usr/bin/env bash
# Stops what start.sh started in <state dir> (by the pids it recorded) and
# removes the state unless LNPAYD_REGTEST_KEEP=1.
set -uo pipefail
dir=${1:?usage: stop.sh <state dir>}
for name in lnpayd outside btcd; do
  pidfile="$dir/$name.pid"
  [[ -f $pidfile ]] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null
  for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$pidfile"
done
if [[ ${LNPAYD_REGTEST_KEEP:-0} != 1 ]]; then rm -rf "$dir"; fi
