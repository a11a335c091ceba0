#!/usr/bin/env python3
"""Markdown table of the medians in a Google Benchmark JSON file (run with
--benchmark_repetitions=N --benchmark_report_aggregates_only=true).

MB/s is 10^6 bytes per second of CPU time; "vs whole" is the throughput
relative to BM_parse_reply_whole (2.00x: twice as fast); cv is the
coefficient of variation of the CPU time over the repetitions. The
extraction benchmarks (BM_extract_*) get a table of their own, relative to
PCRE2 JIT on the same kind of code; the code string and lookup benchmarks
(BM_code_*, BM_lookup_*) tables of CPU time per string, relative to
smtp_status in the same table (2.00x: twice as long)."""
import json
import sys

BASELINE = "BM_parse_reply_whole"

# Per-string tables: (title, prefix, baseline); a benchmark goes to the
# longest prefix it starts with.
CODE_TABLES = [
    ("Parse one enhanced code string", "BM_code_", "BM_code_smtp_status"),
    ("Parse one reply code string", "BM_code_reply_", "BM_code_reply_smtp_status"),
    ("Look up a parsed code", "BM_lookup_", "BM_lookup_smtp_status"),
    ("Parse and look up a code string", "BM_lookup_parse_", "BM_lookup_parse_smtp_status"),
]


def code_tables(rows, cv, ctx):
    """The BM_code_* and BM_lookup_* medians: ns per string, vs ours."""
    groups = {prefix: [] for _, prefix, _ in CODE_TABLES}
    for name in rows:
        prefixes = [p for _, p, _ in CODE_TABLES if name.startswith(p)]
        if prefixes:
            groups[max(prefixes, key=len)].append(name)
    if not any(groups.values()):
        return
    print()
    print(f"Code strings: {int(ctx.get('code_strings', 0)):,} of each kind, shuffled, "
          f"{ctx.get('code_valid_percent', '?')}% valid, seed {ctx.get('code_seed', '?')} "
          f"(std::regex: the first {int(ctx.get('code_regex_strings', 0)):,}); "
          f"lookups: the valid ones.")
    for title, prefix, baseline in CODE_TABLES:
        if not groups[prefix]:
            continue
        per = {n: 1e9 / rows[n]["items_per_second"] for n in groups[prefix]}
        print()
        print(f"{title}:")
        print()
        print("| method | ns/op | cv | time vs smtp_status |")
        print("| --- | ---: | ---: | ---: |")
        for name in groups[prefix]:
            ratio = f"{per[name] / per[baseline]:.2f}x" if baseline in per else "n/a"
            spread = f"{cv[name] * 100:.1f}%" if name in cv else ""
            print(f"| {name[len(prefix):]} | {per[name]:,.2f} | {spread} | {ratio} |")


def main(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    ctx = data["context"]
    rows, cv, errors = {}, {}, []
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            errors.append(f"{b['run_name']}: {b.get('error_message', 'error')}")
        elif b.get("run_type") == "aggregate" and b["aggregate_name"] == "median":
            rows[b["run_name"]] = b
        elif b.get("run_type") == "aggregate" and b["aggregate_name"] == "cv":
            cv[b["run_name"]] = b["cpu_time"]
    if not rows:
        sys.exit(f"{path}: no median aggregates (run with --benchmark_repetitions=N)")
    base = rows.get(BASELINE, {}).get("bytes_per_second")
    mb = int(ctx.get("corpus_bytes", 0)) / 1e6
    print(f"Corpus: {int(ctx.get('corpus_replies', 0)):,} replies, "
          f"{int(ctx.get('corpus_lines', 0)):,} lines, {mb:.1f} MB "
          f"(std::regex: first {int(ctx.get('slice_replies', 0)):,} replies, "
          f"{int(ctx.get('slice_bytes', 0)) / 1e6:.1f} MB); PCRE2: {ctx.get('pcre2', 'no')}; "
          f"{ctx.get('num_cpus')} CPUs, load {', '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))}")
    print()
    print(f"Medians of {next(iter(rows.values()))['repetitions']} repetitions, CPU time.")
    replies = {k: v for k, v in rows.items()
               if not k.startswith(("BM_extract_", "BM_code_", "BM_lookup_"))}
    extract = {k: v for k, v in rows.items() if k.startswith("BM_extract_")}
    if replies:
        print()
        print("| benchmark | MB/s | ns/reply | cv | vs whole |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, b in replies.items():
            bps = b["bytes_per_second"]
            ratio = f"{bps / base:.2f}x" if base else "n/a"
            spread = f"{cv[name] * 100:.1f}%" if name in cv else ""
            per = f"{b['time_per_reply'] * 1e9:,.1f}" if "time_per_reply" in b else ""
            print(f"| {name} | {bps / 1e6:,.0f} | {per} | {spread} | {ratio} |")
    if extract:
        print()
        print(f"Extraction: {int(ctx.get('extract_bytes', 0)) / 1e6:.1f} MB of bounce messages "
              f"(std::regex: first {int(ctx.get('extract_slice_bytes', 0)) / 1e6:.1f} MB); "
              f"SSE2: {ctx.get('extract_sse2', '?')}.")
        print()
        print("| benchmark | MB/s | codes | cv | vs PCRE2 JIT |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, b in extract.items():
            bps = b["bytes_per_second"]
            kind = "reply" if name.startswith("BM_extract_reply_") else "enhanced"
            pcre = rows.get(f"BM_extract_{kind}_pcre2_jit", {}).get("bytes_per_second")
            ratio = f"{bps / pcre:.2f}x" if pcre else "n/a"
            spread = f"{cv[name] * 100:.1f}%" if name in cv else ""
            codes = f"{int(b['codes']):,}" if "codes" in b else ""
            print(f"| {name} | {bps / 1e6:,.0f} | {codes} | {spread} | {ratio} |")
    code_tables(rows, cv, ctx)
    for e in errors:
        print(f"\nERROR {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: table.py RESULTS.json")
    sys.exit(main(sys.argv[1]))
