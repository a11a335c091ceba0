#!/usr/bin/env python3
"""The README's first C++ block must be examples/readme.cpp, which the build compiles and runs."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
block = re.search(r"```cpp\n(.*?)```", (root / "README.md").read_text(), re.S).group(1)
if block != (root / "examples" / "readme.cpp").read_text():
    print("README.md's first example differs from examples/readme.cpp")
    sys.exit(1)
print("README example matches examples/readme.cpp")
