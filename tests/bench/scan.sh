#!/bin/sh
# End-to-end throughput of `smtp-status scan` on a large mbox (I/O included):
# builds the `bench` preset, writes build/bench/bounces.mbox from the bounce
# corpus (tests/bench/make_mbox.py, MEGABYTES default 200), runs
# `smtp-status scan --json` on it 9 times (tests/bench/scan_time.py) and
# prints the median wall time, messages per second and MB/s; JSON:
# build/bench/scan.json.
#   tests/bench/scan.sh [MEGABYTES]
set -eu
cd "$(dirname "$0")/../.."
cmake --preset bench >/dev/null
cmake --build --preset bench --target smtp-status >/dev/null
mbox=build/bench/bounces.mbox
python3 tests/bench/make_mbox.py "$mbox" "${1:-200}"
python3 tests/bench/scan_time.py build/bench/examples/smtp-status "$mbox" 9 build/bench/scan.json
