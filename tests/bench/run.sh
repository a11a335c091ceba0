#!/bin/sh
# The whole benchmark suite in one run, for README's table: builds the
# `bench` preset (Release, -O2), runs the Google Benchmark binary with 5
# repetitions (build/bench/results.json), the whole-message scan of a 200 MB
# mbox (scan.sh: build/bench/scan.json) and the include-time and binary-size
# measurements (costs.py: build/bench/costs.json), then prints the tables
# and the issue's goals against the medians (table.py).
# Extra arguments go to the benchmark binary (e.g. --benchmark_filter=regex);
# SKIP_SCAN=1 or SKIP_COSTS=1 leave those parts out.
set -eu
cd "$(dirname "$0")/../.."
cmake --preset bench >/dev/null
cmake --build --preset bench
out=build/bench/results.json
build/bench/tests/bench/smtp_status_bench \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json "$@"
extra=""
if [ "${SKIP_SCAN:-0}" != 1 ]; then
  tests/bench/scan.sh 200
  extra="$extra build/bench/scan.json"
fi
if [ "${SKIP_COSTS:-0}" != 1 ]; then
  python3 tests/bench/costs.py build/bench/costs.json
  extra="$extra build/bench/costs.json"
fi
echo
# shellcheck disable=SC2086
python3 tests/bench/table.py "$out" $extra
