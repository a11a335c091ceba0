#!/usr/bin/env python3
"""Writes a large mbox for the scan benchmark: the messages of the bounce
corpus (tests/data/bounces), repeated with the local parts of their addresses
renumbered, in a shuffled order from a fixed seed, until the file reaches the
size asked for.

Usage: make_mbox.py OUTPUT [MEGABYTES (default 256)]"""
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "data", "bounces")
SEED = 20261128


def messages():
    """Every message of the corpus, as bytes without its mbox From line."""
    found = []
    for name in sorted(os.listdir(CORPUS)):
        if not name.endswith((".eml", ".mbox")):
            continue
        with open(os.path.join(CORPUS, name), "rb") as f:
            data = f.read()
        if not data.startswith(b"From "):
            found.append(data)
            continue
        for part in re.split(rb"(?:^|\n\n)From [^\n]*\n", data):
            if part.strip():
                found.append(part)
    return found


def main(out, megabytes=256):
    rng = random.Random(SEED)
    pool = messages()
    target = int(megabytes) * 1_000_000
    address = re.compile(rb"\b([A-Za-z0-9._+-]+)@(example\.(?:com|net|org))")
    written = count = 0
    with open(out, "wb") as f:
        while written < target:
            m = rng.choice(pool)
            n = count
            m = address.sub(lambda g: g.group(1) + b"." + str(n).encode() + b"@" + g.group(2), m)
            if not m.endswith(b"\n"):
                m += b"\n"
            m = re.sub(rb"\nFrom ", b"\n>From ", m)
            block = b"From MAILER-DAEMON Sat Nov 28 12:00:00 2026\n" + m + b"\n"
            f.write(block)
            written += len(block)
            count += 1
    print(f"{out}: {count} messages, {written / 1e6:.1f} MB")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(*sys.argv[1:])
