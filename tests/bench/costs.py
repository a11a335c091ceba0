#!/usr/bin/env python3
"""What the library costs a user's build, measured in one run: the time
`g++ -std=c++17 -fsyntax-only` takes on a file that includes the umbrella
header, against the same for <string_view> + <optional> alone and an empty
file (RUNS runs each, interleaved, median and minimum), and the size of a
stripped -O2 program that parses a code and prints its registry text
(size_parse_lookup.cpp) against the same program without the library.
Writes JSON to the path given (default build/bench/costs.json)."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("COSTS_RUNS", "15"))
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CXX = os.environ.get("CXX", "g++")
SOURCES = {
    "umbrella": "#include <smtp_status/smtp_status.hpp>\n",
    "string_view_optional": "#include <string_view>\n#include <optional>\n",
    "empty": "int smtp_status_costs_empty;\n",
}


def compile_times(tmp):
    files = {}
    for name, text in SOURCES.items():
        files[name] = os.path.join(tmp, name + ".cpp")
        with open(files[name], "w", encoding="utf-8") as f:
            f.write(text)
    times = {name: [] for name in SOURCES}
    for _ in range(RUNS):
        for name, path in files.items():
            start = time.perf_counter()
            subprocess.run([CXX, "-std=c++17", "-fsyntax-only", "-I", os.path.join(ROOT, "include"),
                            path], check=True)
            times[name].append(time.perf_counter() - start)
    return {name: {"median_s": statistics.median(t), "min_s": min(t)} for name, t in times.items()}


def binary_sizes(tmp):
    source = os.path.join(ROOT, "tests", "bench", "size_parse_lookup.cpp")
    sizes = {}
    for name, extra in (("parse_lookup", []), ("baseline", ["-DSIZE_BASELINE"])):
        out = os.path.join(tmp, name)
        subprocess.run([CXX, "-std=c++17", "-O2", "-s", "-I", os.path.join(ROOT, "include"), *extra,
                        source, "-o", out], check=True)
        sizes[name] = os.path.getsize(out)
    return sizes


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "bench", "costs.json")
    version = subprocess.run([CXX, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    with tempfile.TemporaryDirectory() as tmp:
        result = {"compiler": version, "runs": RUNS, "include": compile_times(tmp),
                  "binary_bytes": binary_sizes(tmp)}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    inc = result["include"]
    print(f"include: umbrella {inc['umbrella']['median_s'] * 1000:.0f} ms, <string_view>+<optional> "
          f"{inc['string_view_optional']['median_s'] * 1000:.0f} ms (medians of {RUNS}); "
          f"parse+lookup program {result['binary_bytes']['parse_lookup']:,} bytes "
          f"(without the library {result['binary_bytes']['baseline']:,})")


if __name__ == "__main__":
    main()
