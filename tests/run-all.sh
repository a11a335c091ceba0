#!/usr/bin/env bash
# Configures, builds and tests every build variant of smtp_status, one CMake
# workflow preset after another (see CMakePresets.json), stopping at the first
# failure, with the seconds each took. The last line is the summary:
# `N passed, M failed` (presets). clang-17 is not in the default list: the
# clang-17-sanitize build compiles the same C++17 code with the same warnings.
#
#   tests/run-all.sh                 all variants
#   tests/run-all.sh gcc-17 clang-20 only these
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "$#" -gt 0 ]; then
  presets=("$@")
else
  presets=(gcc-17 gcc-20 clang-20 clang-17-sanitize gcc-17-noexcept clang-20-noexcept fuzz bench)
fi

passed=0
for preset in "${presets[@]}"; do
  echo "==== ${preset} ===="
  start=$SECONDS
  if cmake --workflow --preset "${preset}"; then
    passed=$((passed + 1))
    echo "==== ${preset} passed in $((SECONDS - start)) s ===="
  else
    echo "==== ${preset} FAILED ===="
    echo "${passed} passed, 1 failed"
    exit 1
  fi
done
echo "${passed} passed, 0 failed"
