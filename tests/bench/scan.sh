#!/bin/sh
# End-to-end throughput of `smtp-status scan` on a large mbox (I/O included):
# builds the `bench` preset, writes build/bench/bounces.mbox from the bounce
# corpus (tests/bench/make_mbox.py, MEGABYTES default 256), runs
# `smtp-status scan --json` on it 5 times (output to /dev/null) and prints the
# median wall time, messages per second and MB/s.
#   tests/bench/scan.sh [MEGABYTES]
set -eu
cd "$(dirname "$0")/../.."
cmake --preset bench >/dev/null
cmake --build --preset bench --target smtp-status >/dev/null
mbox=build/bench/bounces.mbox
python3 tests/bench/make_mbox.py "$mbox" "${1:-256}"
tool=build/bench/examples/smtp-status
python3 - "$tool" "$mbox" <<'PY'
import os, statistics, subprocess, sys, time
tool, mbox = sys.argv[1], sys.argv[2]
times, summary = [], ""
for _ in range(5):
    start = time.perf_counter()
    p = subprocess.run([tool, "scan", "--json", mbox], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    times.append(time.perf_counter() - start)
    summary = p.stderr.strip()
messages = int(summary.split()[1])
size = os.path.getsize(mbox)
t = statistics.median(times)
print(summary)
print(f"scan --json {size / 1e6:.1f} MB, {messages:,} messages: median {t:.3f} s of 5, "
      f"{messages / t:,.0f} messages/s, {size / 1e6 / t:,.0f} MB/s")
PY
