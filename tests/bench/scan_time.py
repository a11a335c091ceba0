#!/usr/bin/env python3
"""Times `smtp-status scan --json MBOX` (output to /dev/null), RUNS times,
and prints the median wall time, messages per second and MB/s; with a JSON
path, writes them there too (table.py reads it).

Usage: scan_time.py TOOL MBOX [RUNS (default 5)] [JSON]"""
import json
import os
import statistics
import subprocess
import sys
import time


def main(tool, mbox, runs=5, out=None):
    times, summary = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.run([tool, "scan", "--json", mbox], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        summary = p.stderr.strip()
        if p.returncode not in (0, 1) or not summary.startswith("scan: "):
            sys.exit(f"scan failed (exit {p.returncode}): {summary}")
    messages, records = int(summary.split()[1]), int(summary.split()[3])
    size = os.path.getsize(mbox)
    t = statistics.median(times)
    print(summary)
    print(f"scan --json {size / 1e6:.1f} MB, {messages:,} messages: median {t:.3f} s of {runs} "
          f"(fastest {min(times):.3f} s), {messages / t:,.0f} messages/s, {size / 1e6 / t:,.0f} MB/s")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"bytes": size, "messages": messages, "records": records, "runs": runs,
                       "median_s": t, "times_s": times}, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5,
         sys.argv[4] if len(sys.argv) > 4 else None)
