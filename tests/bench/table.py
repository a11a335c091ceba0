#!/usr/bin/env python3
"""The tables of tests/bench/run.sh from one run's results: the Google
Benchmark JSON (run with --benchmark_repetitions=N
--benchmark_report_aggregates_only=true), and optionally scan.json
(scan_time.py) and costs.json (costs.py). Then the goals of issue 5, each
against the medians of this run.

MB/s is 10^6 bytes per second of CPU time; "vs whole" is the throughput
relative to BM_parse_reply_whole (2.00x: twice as fast) and "vs PCRE2 JIT"
relative to BM_pcre2_jit; cv is the coefficient of variation of the CPU
time over the repetitions. The extraction benchmarks (BM_extract_*) get a
table of their own, relative to PCRE2 JIT on the same kind of code; the
code string and lookup benchmarks (BM_code_*, BM_lookup_*) tables of CPU
time per string, relative to smtp_status in the same table (2.00x: twice as
long).

Usage: table.py RESULTS.json [scan.json] [costs.json] (either, in any order)"""
import json
import sys

BASELINE = "BM_parse_reply_whole"
PCRE2 = "BM_pcre2_jit"


def ratio(bps, base):
    return f"{bps / base:.2f}x" if base else "n/a"


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
            vs = f"{per[name] / per[baseline]:.2f}x" if baseline in per else "n/a"
            spread = f"{cv[name] * 100:.1f}%" if name in cv else ""
            print(f"| {name[len(prefix):]} | {per[name]:,.2f} | {spread} | {vs} |")



def ns_per_item(rows, name):
    b = rows.get(name)
    return 1e9 / b["items_per_second"] if b and b.get("items_per_second") else None


def goals(rows, scan, costs):
    """Issue 5's goals, each measured in this run: (goal, figure, met)."""
    out = []
    mbs = lambda n: rows.get(n, {}).get("bytes_per_second", 0) / 1e6
    ours, pcre = mbs("BM_extract_enhanced_sse2"), mbs("BM_extract_enhanced_pcre2_jit")
    if ours and pcre:
        out.append(("extraction >= 3x PCRE2 JIT", f"{ours:,.0f} MB/s = {ours / pcre:.2f}x",
                    ours >= 3 * pcre))
    parse, sscanf = ns_per_item(rows, "BM_code_smtp_status"), ns_per_item(rows, "BM_code_sscanf")
    if parse:
        out.append(("code parse <= 5 ns", f"{parse:.2f} ns", parse <= 5))
    if parse and sscanf:
        out.append(("code parse >= 20x sscanf", f"{sscanf / parse:.1f}x", sscanf >= 20 * parse))
    both, look = ns_per_item(rows, "BM_lookup_parse_smtp_status"), ns_per_item(rows, "BM_lookup_smtp_status")
    if both:
        out.append(("parse + lookup <= 6 ns", f"{both:.2f} ns", both <= 6))
    if look:
        out.append(("lookup <= 2 ns", f"{look:.2f} ns", look <= 2))
    reply, pcre_lines = mbs(BASELINE), mbs(PCRE2)
    if reply:
        out.append(("reply parse >= 3 GB/s", f"{reply:,.0f} MB/s", reply >= 3000))
    if reply and pcre_lines:
        out.append(("reply parse >= 2x PCRE2 JIT", f"{reply / pcre_lines:.2f}x", reply >= 2 * pcre_lines))
    if scan:
        rate = scan["bytes"] / 1e6 / scan["median_s"]
        out.append(("scan >= 500 MB/s, I/O included", f"{rate:,.0f} MB/s", rate >= 500))
    if costs:
        inc = costs["include"]
        x = inc["umbrella"]["median_s"] / inc["string_view_optional"]["median_s"]
        out.append(("include cost <= 2x <string_view>+<optional>", f"{x:.2f}x", x <= 2))
    return out


def main(path, *extra_paths):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    scan = costs = None
    for extra in extra_paths:  # told apart by their keys
        with open(extra, encoding="utf-8") as f:
            doc = json.load(f)
        if "include" in doc:
            costs = doc
        else:
            scan = doc
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
    pcre2 = rows.get(PCRE2, {}).get("bytes_per_second")
    mb = int(ctx.get("corpus_bytes", 0)) / 1e6
    print(f"Corpus: {int(ctx.get('corpus_replies', 0)):,} replies, "
          f"{int(ctx.get('corpus_lines', 0)):,} lines, {mb:.1f} MB "
          f"(std::regex: first {int(ctx.get('slice_replies', 0)):,} replies, "
          f"{int(ctx.get('slice_bytes', 0)) / 1e6:.1f} MB); PCRE2: {ctx.get('pcre2', 'no')}; "
          f"RE2: {ctx.get('re2', 'no')}; Hyperscan: {ctx.get('hyperscan', 'no')}; "
          f"{ctx.get('num_cpus')} CPUs, load {', '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))}")
    print()
    print(f"Medians of {next(iter(rows.values()))['repetitions']} repetitions, CPU time.")
    replies = {k: v for k, v in rows.items()
               if not k.startswith(("BM_extract_", "BM_code_", "BM_lookup_"))}
    extract = {k: v for k, v in rows.items() if k.startswith("BM_extract_")}
    if replies:
        print()
        print("| benchmark | MB/s | ns/reply | cv | vs whole | vs PCRE2 JIT |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, b in replies.items():
            bps = b["bytes_per_second"]
            spread = f"{cv[name] * 100:.1f}%" if name in cv else ""
            per = f"{b['time_per_reply'] * 1e9:,.1f}" if "time_per_reply" in b else ""
            print(f"| {name} | {bps / 1e6:,.0f} | {per} | {spread} | {ratio(bps, base)} "
                  f"| {ratio(bps, pcre2)} |")
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
            spread = f"{cv[name] * 100:.1f}%" if name in cv else ""
            codes = f"{int(b['codes']):,}" if "codes" in b else ""
            print(f"| {name} | {bps / 1e6:,.0f} | {codes} | {spread} | {ratio(bps, pcre)} |")
    code_tables(rows, cv, ctx)
    if scan:
        print()
        print(f"Whole messages: `smtp-status scan --json`, {scan['bytes'] / 1e6:.1f} MB mbox, "
              f"{scan['messages']:,} messages, {scan['records']:,} records: median of "
              f"{scan['runs']} {scan['median_s']:.3f} s wall (fastest {min(scan['times_s']):.3f} s), "
              f"{scan['messages'] / scan['median_s']:,.0f} messages/s, "
              f"{scan['bytes'] / 1e6 / scan['median_s']:,.0f} MB/s.")
    if costs:
        inc, size = costs["include"], costs["binary_bytes"]
        print()
        print(f"Build costs ({costs['compiler']}, medians of {costs['runs']} runs):")
        print()
        print("| what | figure |")
        print("| --- | ---: |")
        print(f"| `-fsyntax-only`, umbrella header | {inc['umbrella']['median_s'] * 1000:.0f} ms |")
        print(f"| `-fsyntax-only`, `<string_view>` + `<optional>` | "
              f"{inc['string_view_optional']['median_s'] * 1000:.0f} ms |")
        print(f"| `-fsyntax-only`, empty file | {inc['empty']['median_s'] * 1000:.0f} ms |")
        print(f"| stripped -O2 program: parse + lookup + print | {size['parse_lookup']:,} bytes |")
        print(f"| the same program without the library | {size['baseline']:,} bytes |")
    met = goals(rows, scan, costs)
    if met:
        print()
        print("| goal (issue 5) | this run | met |")
        print("| --- | ---: | :---: |")
        for goal, figure, ok in met:
            print(f"| {goal} | {figure} | {'yes' if ok else 'no'} |")
    for e in errors:
        print(f"\nERROR {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    if not 2 <= len(sys.argv) <= 4:
        sys.exit("usage: table.py RESULTS.json [scan.json] [costs.json]")
    sys.exit(main(*sys.argv[1:]))
