#!/usr/bin/env bash
# Long fuzz runs by hand, with the arguments CTest gives each target (corpora,
# dictionary, -max_len) but a larger number of executions. One line per run is
# appended to the log, so that the totals per target can be added up:
#   <UTC time> <target> <executions> <seconds> <exit status>
#
#   tests/fuzz/campaign.sh BUILD_DIR RUNS [TARGET...]     (default: every target)
#   LOG=file SECONDS_MAX=n tests/fuzz/campaign.sh build/fuzz 10000000 fuzz_dsn
#
# BUILD_DIR is a clang build with SMTP_STATUS_BUILD_FUZZ (the `fuzz` preset).
# A crash leaves libFuzzer's reproducer (crash-*) in the current directory.
set -euo pipefail

build=${1:?usage: campaign.sh BUILD_DIR RUNS [TARGET...]}
runs=${2:?usage: campaign.sh BUILD_DIR RUNS [TARGET...]}
shift 2
targets=" $* "
log=${LOG:-fuzz-campaign.log}
max_time=${SECONDS_MAX:-0}

# "name arg arg ..." per fuzz test, as CTest would run it
mapfile -t commands < <(ctest --test-dir "$build" --show-only=json-v1 -R '^fuzz\.fuzz_' |
  python3 -c '
import json, shlex, sys
for t in json.load(sys.stdin)["tests"]:
    print(shlex.join([t["name"].removeprefix("fuzz.")] + t["command"]))')

status=0
for line in "${commands[@]}"; do
  eval "set -- $line"
  target=$1
  shift
  if [ "$targets" != "  " ] && [[ $targets != *" $target "* ]]; then
    continue
  fi
  args=()
  for a in "$@"; do
    case $a in
      -runs=*) args+=("-runs=$runs") ;;
      -max_total_time=*) ;;
      *) args+=("$a") ;;
    esac
  done
  start=$(date +%s)
  out=$(mktemp)
  rc=0
  "${args[@]}" -print_final_stats=1 -max_total_time="$max_time" >"$out" 2>&1 || rc=$?
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -1)
  echo "$(date -u +%FT%TZ) $target ${executed:-?} $(($(date +%s) - start)) $rc" | tee -a "$log"
  if [ "$rc" -ne 0 ]; then
    tail -40 "$out"
    status=1
  fi
  rm -f "$out"
done
exit "$status"
