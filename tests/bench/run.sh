#!/bin/sh
# Builds the `bench` preset (Release, -O2), runs the benchmarks 5 times and
# prints a markdown table of the medians. JSON: build/bench/results.json.
# Extra arguments go to the benchmark binary (e.g. --benchmark_filter=regex).
set -eu
cd "$(dirname "$0")/../.."
cmake --preset bench >/dev/null
cmake --build --preset bench
out=build/bench/results.json
build/bench/tests/bench/smtp_status_bench \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json "$@"
echo
python3 tests/bench/table.py "$out"
