#!/usr/bin/env python3
"""Tests of the smtp-status command-line tool (Python 3, standard library only).

Usage: python3 tests/cli/test_cli.py PATH/TO/smtp-status [--reference-tools DIR]

DIR holds check-registry (default: ../shared/tools beside the repository); the
registry check is skipped when it is absent. Prints each failure, then
"N passed, M failed"; exits 1 on any failure.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TOOLS = os.path.join(HERE, "..", "..", "..", "shared", "tools")
DATA = os.path.join(HERE, "data")

EXPLAIN_FIELDS = [
    "input", "valid", "error", "reply_code", "enhanced_code", "class", "subject", "detail",
    "sample_text", "description", "associated_reply_codes", "references", "match",
    "consistent", "bounce_kind", "reason",
]
TSV_HEADER = "kind\tcode\tsample_text\tassociated_reply_codes\treference\tdescription"
REPLY_FIELDS = ["reply_code", "enhanced_code", "lines", "valid", "error", "warnings", "offset"]
SCAN_FIELDS = ["file", "message", "recipient", "action", "status", "reply_code", "diagnostic",
               "source", "bounce_kind", "reason", "error"]
BOUNCES = os.path.join(HERE, "..", "data", "bounces")
REGISTRY_ROWS, REPLY_ROWS = 92, 72

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")
    return ok


def run(*args, stdin=subprocess.DEVNULL, input=None):
    """Runs the tool (input: bytes for stdin); returns (exit status, stdout, stderr) as text."""
    feed = {"stdin": stdin} if input is None else {"input": input}
    p = subprocess.run([TOOL, *args], **feed, capture_output=True, timeout=30)
    try:
        out = p.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        check(False, f"{list(args)}: output is not UTF-8 ({e})")
        out = p.stdout.decode("utf-8", "replace")
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate keys in {keys}")
    return dict(pairs)


def json_lines(out, what):
    """Every line of out as JSON; a failure for each line that is not."""
    objects = []
    for n, line in enumerate(out.splitlines(), 1):
        try:
            objects.append(json.loads(line, object_pairs_hook=no_duplicate_keys))
        except ValueError as e:
            check(False, f"{what}: line {n} is not a JSON object ({e}): {line!r}")
    return objects


def explain(*args, status=0, lines=1):
    """explain --json ARGS: checks exit status, line count and field order."""
    what = "explain --json " + " ".join(repr(a) for a in args)
    rc, out, _ = run("explain", "--json", *args)
    check(rc == status, f"{what}: exit status {rc}, want {status}")
    objs = json_lines(out, what)
    check(len(objs) == lines, f"{what}: {len(objs)} lines, want {lines}")
    for o in objs:
        check(list(o) == EXPLAIN_FIELDS, f"{what}: fields {list(o)}")
    return objs[0] if objs else {}


def expect(obj, what, **want):
    for key, value in want.items():
        check(obj.get(key) == value, f"{what}: {key} = {obj.get(key)!r}, want {value!r}")


def expect_invalid(arg, message, offset):
    o = explain(arg, status=1)
    expect(o, repr(arg), valid=False, enhanced_code=None, reply_code=None, match="none")
    err = o.get("error") or ""
    check(message in err and f"offset {offset}" in err,
          f"{arg!r}: error {err!r}, want {message!r} at offset {offset}")


def test_explain(rows):
    """rows: the registry and reply rows of list --json, by kind and code."""
    def sample(code):
        return rows.get(("registry", code), {}).get("sample_text", f"(no row {code} in list)")

    def reply_rows(code):
        return rows.get(("reply", code)) or [{}]

    o = explain("5.1.1")
    expect(o, "5.1.1", input="5.1.1", valid=True, error=None, reply_code=None,
           enhanced_code="5.1.1", **{"class": "permanent_failure"}, subject=1, detail=1,
           sample_text=sample("X.1.1"), associated_reply_codes=[451, 550],
           references=["[RFC3463] (Standards Track)"], match="exact", consistent=None,
           bounce_kind="hard", reason="user_unknown")

    replies_550 = reply_rows(550)
    o = explain("550")
    expect(o, "550", valid=True, reply_code=550, enhanced_code=None,
           **{"class": "permanent_failure"}, subject=None, detail=None, match="none",
           consistent=None, associated_reply_codes=[], sample_text=replies_550[0].get("text"),
           description=replies_550[0].get("meaning"),
           references=[r.get("reference") for r in replies_550])

    pair = dict(valid=True, reply_code=550, enhanced_code="5.1.1", match="exact",
                consistent=True, bounce_kind="hard", reason="user_unknown",
                sample_text=sample("X.1.1"), associated_reply_codes=[451, 550])
    o = explain("550", "5.1.1")  # the two-argument form is one reply
    expect(o, "550 5.1.1 (pair)", input="550 5.1.1", **pair)
    check(o.get("references", [None])[0] == "[RFC3463] (Standards Track)"
          and "RFC 5321 §4.2.2, §4.2.3" in o.get("references", []),
          f"550 5.1.1: references {o.get('references')}")
    expect(explain("550 5.1.1 User unknown"), "'550 5.1.1 User unknown'", **pair)
    expect(explain("550-5.1.1 text"), "'550-5.1.1 text'", **pair)
    expect(explain("550 text"), "'550 text'", valid=True, reply_code=550, enhanced_code=None,
           consistent=None, match="none")
    explain("550", "5.1.1", "5.1.2", lines=2)  # only the code right after 550 pairs

    for code in ("4.7.708", "5.7.708"):  # unregistered: valid, X.7.0 stands in
        expect(explain(code), code, valid=True, enhanced_code=code, match="subject",
               subject=7, detail=708, sample_text=sample("X.7.0"), associated_reply_codes=[])
    expect(explain("4.7.708"), "4.7.708", **{"class": "transient_failure"}, bounce_kind="soft")
    expect(explain("5.1.99"), "5.1.99", valid=True, match="subject", sample_text=sample("X.1.0"))
    expect(explain("5.99.1"), "5.99.1", valid=True, match="class", subject=99, detail=1,
           sample_text=sample("X.0.0"), **{"class": "permanent_failure"})

    expect(explain("550 4.2.2"), "550 4.2.2", valid=True, consistent=False)
    expect(explain("552 5.2.2"), "552 5.2.2", valid=True, consistent=True, reason="mailbox_full")
    expect(explain("550 5.2.2"), "550 5.2.2", consistent=True)  # a warning is consistent

    o = explain("454")
    refs = [r.get("reference") for r in reply_rows(454)]
    check(len(refs) == 2 and o.get("references") == refs,
          f"454: references {o.get('references')}, want the two rows' {refs}")
    expect(explain("354"), "354", **{"class": "intermediate"}, bounce_kind="none")

    expect_invalid("6.1.1", "class must be 2, 4 or 5", 0)
    expect_invalid("abc", "expected a digit", 0)
    expect_invalid("", "empty", 0)
    expect_invalid("5.1.1234", "too many digits", 7)
    expect_invalid("550 6.1.1 text", "class must be 2, 4 or 5", 4)
    check((explain("6.1.1", status=1).get("error") or "").startswith('"6.1.1": '),
          "6.1.1: the error names the input")

    # Strict RFC 3463 says no leading zeros; lenient parsing accepts them: valid,
    # and the human output says that only lenient parsing accepted it.
    expect(explain("5.01.1"), "5.01.1", valid=True, enhanced_code="5.1.1", match="exact")
    expect(explain(" 5.1.1: "), "' 5.1.1: '", valid=True, enhanced_code="5.1.1")
    rc, out, _ = run("explain", "5.01.1")
    check(rc == 0 and "lenient" in out and "leading zero" in out,
          f"explain 5.01.1 (human): exit {rc}, no lenient note in {out!r}")

    # Several inputs: one line each, exit 1 when any is invalid.
    explain("5.1.1", "6.1.1", "550", status=1, lines=3)

    # Arbitrary bytes: quotes, backslashes and control characters escaped,
    # malformed UTF-8 replaced by U+FFFD, well-formed UTF-8 passed through.
    rc, out, _ = run("explain", "--json", b"5.1.1\x01\"\\\xff\xc3\xa9")
    check(rc == 1 and "\\u0001" in out and '\\"\\\\' in out and "\ufffd\u00e9" in out,
          f"escaping: exit {rc}, output {out!r}")
    expect(next(iter(json_lines(out, "escaping")), {}), "escaping",
           input="5.1.1\x01\"\\\ufffd\u00e9", valid=False)


def test_explain_human():
    rc, out, _ = run("explain", "550", "5.1.1")
    for text in ("5.1.1", "X.1.1", "Bad destination mailbox address", "consistent", "hard",
                 "user_unknown", "[RFC3463]", "RFC 5321"):
        check(text in out, f"explain 550 5.1.1 (human): {text!r} missing")
    check(rc == 0, f"explain 550 5.1.1 (human): exit status {rc}")
    rc, out, _ = run("explain", "454")
    check("RFC 3207" in out and "RFC 4954" in out, "explain 454 (human): both rows")
    rc, out, _ = run("explain", "5.1.99")
    check("X.1.0" in out and "X.1.YYY" in out and "5.XXX.YYY" in out,
          "explain 5.1.99 (human): stand-in, subject and class rows")
    rc, out, _ = run("explain", "6.1.1")
    check(rc == 1 and "offset 0" in out, f"explain 6.1.1 (human): exit {rc}, {out!r}")


def test_list(tools):
    rc, tsv, _ = run("list", "--tsv")
    lines = tsv.splitlines()
    check(rc == 0, f"list --tsv: exit status {rc}")
    check(len(lines) == 1 + REGISTRY_ROWS + REPLY_ROWS,
          f"list --tsv: {len(lines)} lines, want {1 + REGISTRY_ROWS + REPLY_ROWS}")
    check(lines[:1] == [TSV_HEADER], f"list --tsv: header {lines[:1]}")
    for n, line in enumerate(lines, 1):
        check(len(line.split("\t")) == 6, f"list --tsv: line {n} has not 6 fields: {line!r}")
    kinds = [line.split("\t")[0] for line in lines[1:]]
    check(kinds.count("reply") == REPLY_ROWS, "list --tsv: reply rows")

    checker = os.path.join(tools, "check-registry")
    if os.path.exists(checker):
        p = subprocess.run([sys.executable, checker, "-"], input=tsv.encode("utf-8"),
                           capture_output=True, timeout=60)
        last = (p.stdout.decode("utf-8").splitlines() or [""])[-1]
        check(p.returncode == 0, f"check-registry: exit {p.returncode}: {p.stdout.decode()}")
        check(last == "registry: 92/92 IANA rows match, 0 reply codes missing, 0 problems",
              f"check-registry: {last!r}")
    else:
        print(f"skipped: {checker} not found")

    rc, out, _ = run("list", "--json")
    check(rc == 0, f"list --json: exit status {rc}")
    objs = json_lines(out, "list --json")
    check(len(objs) == REGISTRY_ROWS + REPLY_ROWS,
          f"list --json: {len(objs)} lines, want {REGISTRY_ROWS + REPLY_ROWS}")
    registry_fields = ["kind", "code", "sample_text", "associated_reply_codes", "associated_codes",
                       "description", "reference", "submitter", "change_controller", "deprecated"]
    reply_fields = ["kind", "code", "text", "meaning", "reference"]
    rows = {}
    for o in objs:
        if o.get("kind") == "reply":
            check(list(o) == reply_fields and isinstance(o.get("code"), int), f"list --json: {o}")
            rows.setdefault(("reply", o.get("code")), []).append(o)
        else:
            check(list(o) == registry_fields and o.get("kind") in ("class", "subject", "detail"),
                  f"list --json: {o}")
            rows[("registry", o.get("code"))] = o
    x11 = rows.get(("registry", "X.1.1"), {})
    expect(x11, "list --json X.1.1", associated_reply_codes="451, 550",
           associated_codes=[451, 550], deprecated=False)

    rc, out, _ = run("list")
    check(rc == 0 and "X.7.26" in out and "554" in out, f"list: exit {rc}")
    return rows


def test_usage():
    for args in ([], ["frob"], ["list", "--xml"], ["explain"], ["explain", "--tsv", "5.1.1"],
                 ["list", "--json", "--tsv"], ["list", "extra"], ["--json"], [""],
                 ["reply", "--tsv"], ["reply", "a", "b"], ["reply", "--max-line", "40"],
                 ["format"], ["format", "--max-line"], ["format", "--max-line", "x", "550"],
                 ["format", "--max-line", "-5", "550"], ["format", "--json", "550", "x"],
                 ["format", "--lenient", "550"]):
        rc, out, err = run(*args)
        check(rc == 2 and out == "" and "usage" in err,
              f"{args}: exit {rc}, want 2 with usage on stderr (stdout {out!r})")
    for args in (["--help"], ["-h"], ["explain", "--help"], ["list", "-h"], ["frob", "--help"],
                 ["reply", "--help"], ["format", "-h"]):
        rc, out, _ = run(*args)
        check(rc == 0 and all(c in out for c in ("explain", "list", "reply", "format", "scan")),
              f"{args}: exit {rc}")
    rc, out, _ = run("explain", "--json", "--", "--help")  # after --, an input
    check(rc == 1 and '"input":"--help"' in out, f"explain -- --help: exit {rc}")


def test_no_stdin():
    """stdin is a pipe nobody writes to or closes: reading it would hang."""
    read_end, write_end = os.pipe()
    try:
        for args in (["explain", "5.1.1"], ["list", "--tsv"]):
            try:
                rc, _, _ = run(*args, stdin=read_end)
                check(rc == 0, f"{args} with open stdin: exit {rc}")
            except subprocess.TimeoutExpired:
                check(False, f"{args}: reads stdin")
    finally:
        os.close(read_end)
        os.close(write_end)


def reply_obj(code, enhanced, lines, offset, warnings=(), error=None):
    """A `reply --json` object, fields in their order."""
    return dict(reply_code=code, enhanced_code=enhanced, lines=list(lines), valid=error is None,
                error=error, warnings=list(warnings), offset=offset)


def invalid(offset, error):
    return reply_obj(None, None, [], offset, error=error)


def as_json_lines(objects):
    """The tool's exact text for objects: compact, UTF-8, one per line."""
    return "".join(json.dumps(o, separators=(",", ":"), ensure_ascii=False) + "\n"
                   for o in objects)


def reply(data, *args, status=0, want=None):
    """reply --json ARGS with data on stdin: checks the exit status and the fields of each
    object, and the exact output if `want` (objects) is given; returns the objects."""
    what = f"reply --json {' '.join(args)} <<< {data[:60]!r}"
    rc, out, err = run("reply", "--json", *args, input=data)
    check(rc == status, f"{what}: exit status {rc}, want {status} ({err.strip()})")
    objs = json_lines(out, what)
    bad = [list(o) for o in objs if list(o) != REPLY_FIELDS]
    check(not bad, f"{what}: fields {bad[:1]}")
    if want is not None:
        check(out == as_json_lines(want), f"{what}:\n{out}want\n{as_json_lines(want)}")
    return objs


SESSION = [  # tests/cli/data/session.txt, reply by reply
    reply_obj(220, None, ["mail.example.com ESMTP Postfix", "Service ready"], 0),
    reply_obj(250, None, ["mail.example.com", "PIPELINING", "SIZE 10240000",
                          "ENHANCEDSTATUSCODES", "8BITMIME"], 55),
    reply_obj(334, None, [""], 151),
    reply_obj(250, None, [""], 156, ["bare_lf"]),
    reply_obj(250, "2.1.0", ["Ok"], 160, ["bare_lf"]),  # pipelined: MAIL, RCPT, RCPT, DATA
    reply_obj(550, "5.1.1", ["User unknown"], 173),
    reply_obj(250, "2.1.5", ["Ok"], 197),
    reply_obj(354, None, ["End data with <CR><LF>.<CR><LF>"], 211),
    reply_obj(250, "2.0.0", ["Ok: queued as 4F2A1"], 248, ["bare_lf"]),
    reply_obj(421, "4.7.0", ["Try again later"], 278),
]


def test_reply():
    session = os.path.join(DATA, "session.txt")
    with open(session, "rb") as f:
        data = f.read()
    for args in (["reply", "--json", session], ["reply", "--json"], ["reply", "--json", "-"]):
        rc, out, _ = run(*args, input=None if session in args else data)
        check(rc == 0 and out == as_json_lines(SESSION),
              f"{args} (session.txt): exit {rc}, output\n{out}want\n{as_json_lines(SESSION)}")
    rc, out, _ = run("reply", session)
    lines = out.splitlines()
    check(rc == 0 and lines[:1] == ["220 (2 lines) mail.example.com ESMTP Postfix / Service ready"]
          and "550 5.1.1 (1 line) User unknown" in lines and "334 (1 line)" in lines
          and lines.count("  warnings: bare_lf") == 3,
          f"reply session.txt (human): exit {rc}, {out!r}")

    # vertx-mail-client#81: a greeting whose lines carry different codes. Rejected at the
    # second line; reading goes on with the next reply.
    mismatch = "reply code differs from the first line's at offset 26 (line 2)"
    vertx = (b"220-someserver.net ESMTP\r\n"
             b"521 5.7.1 Service unavailable; client [192.0.2.1] blocked using blacklist.org\r\n"
             b"250 2.0.0 Ok\r\n")
    reply(vertx, status=1, want=[invalid(0, mismatch), reply_obj(250, "2.0.0", ["Ok"], 105)])
    rc, out, _ = run("reply", input=vertx)
    check(rc == 1 and out == f"invalid: {mismatch}\n250 2.0.0 (1 line) Ok\n",
          f"reply (human, vertx#81): exit {rc}, {out!r}")

    # Odd but kept: 401 with 4.1.3 is consistent as a reply (the registry's list for X.1.3
    # does not name 401, a matter for explain); 550 with 4.2.2 is a class mismatch.
    reply(b"401 4.1.3 Bad recipient address syntax\r\n"
          b"550-4.2.2 Mailbox full\r\n550 4.2.2 Go away\r\n",
          want=[reply_obj(401, "4.1.3", ["Bad recipient address syntax"], 0),
                reply_obj(550, "4.2.2", ["Mailbox full", "Go away"], 40, ["class_mismatch"])])

    # Line length, CRLF included: 512 octets are allowed, 513 are not (--lenient: 8192).
    long_line = b"550 " + b"x" * 507 + b"\r\n"  # 513 octets
    after = b"250 2.0.0 Ok\r\n"
    reply(long_line[:-3] + b"\r\n" + after,
          want=[reply_obj(550, None, ["x" * 506], 0), reply_obj(250, "2.0.0", ["Ok"], 512)])
    reply(long_line + after, status=1, want=[invalid(0, "line too long at offset 0 (line 1)"),
                                              reply_obj(250, "2.0.0", ["Ok"], 513)])
    reply(long_line + after, "--lenient",
          want=[reply_obj(550, None, ["x" * 507], 0), reply_obj(250, "2.0.0", ["Ok"], 513)])
    reply(b"250-" + b"y" * 9000 + b"\r\n250 end\r\n" + after, "--lenient", status=1,
          want=[invalid(0, "line too long at offset 0 (line 1)"),
                reply_obj(250, None, ["end"], 9006), reply_obj(250, "2.0.0", ["Ok"], 9015)])

    # 8-bit text: Latin-1 is not UTF-8 (kept, shown as U+FFFD); UTF-8 passes; control
    # characters are escaped.
    reply(b"550 5.1.1 Benutzer M\xfcller unbekannt\r\n250 caf\xc3\xa9\r\n250 a\x01b\r\n",
          want=[reply_obj(550, "5.1.1", ["Benutzer M\ufffdller unbekannt"], 0, ["invalid_utf8"]),
                reply_obj(250, None, ["caf\u00e9"], 37, ["utf8"]),
                reply_obj(250, None, ["a\x01b"], 48, ["control_characters"])])

    # The input ends within a reply: one final invalid result.
    incomplete = "input ends before the final line of the reply"
    reply(b"250 2.1.0 Ok\r\n250-first\r\n250-second\r\n", status=1,
          want=[reply_obj(250, "2.1.0", ["Ok"], 0),
                invalid(14, f"{incomplete} at offset 37 (line 4)")])
    reply(b"250 2.1.0 Ok", status=1, want=[invalid(0, f"{incomplete} at offset 12 (line 1)")])
    reply(b"", want=[])
    no_code = "line does not start with a three-digit reply code"
    reply(b"hello\r\n250 Ok\r\n\r\n", status=1,
          want=[invalid(0, f"{no_code} at offset 0 (line 1)"), reply_obj(250, None, ["Ok"], 7),
                invalid(15, f"{no_code} at offset 15 (line 3)")])

    # Across the tool's 64 KiB reads: offsets and lines count from the start of the stream.
    parts, want = [], []
    for i in range(3000):
        offset = sum(map(len, parts))
        if i % 97 == 5:
            parts.append(b"550 " + b"z" * (600 + i) + b"\r\n")
            want.append(invalid(offset, f"line too long at offset {offset} (line {i + 1})"))
        else:
            parts.append(b"250 2.1.%d message %d\r\n" % (i % 8, i))
            want.append(reply_obj(250, f"2.1.{i % 8}", [f"message {i}"], offset))
    reply(b"".join(parts), status=1, want=want)

    for args in (["reply", os.path.join(DATA, "no-such-file")], ["reply", DATA]):
        rc, out, err = run(*args)
        check(rc == 2 and out == "" and "smtp-status:" in err and "usage" not in err,
              f"{args}: exit {rc}, stdout {out!r}, stderr {err!r}")


def test_format():
    def fmt(*args, want=None, status=0):
        """format ARGS: checks the exit status, the output if `want`; returns the output."""
        rc, out, err = run("format", *args)
        check(rc == status and (want is None or out == want) and (status == 0) == (err == ""),
              f"format {args}: exit {rc}, want {status}; output {out!r}, want {want!r}; {err!r}")
        return out

    fmt("550", "5.1.1", "User", "unknown", want="550 5.1.1 User unknown\r\n")
    fmt("250", "mail.example.com\nPIPELINING\nSIZE 10240000",
        want="250-mail.example.com\r\n250-PIPELINING\r\n250 SIZE 10240000\r\n")
    fmt("--max-line", "40", "550", "5.1.1", "The mailbox you tried to reach does not exist,",
        "please check the address",
        want="550-5.1.1 The mailbox you tried to\r\n550-5.1.1 reach does not exist, please\r\n"
             "550 5.1.1 check the address\r\n")
    fmt("550", "--", "-x", want="550 -x\r\n")

    # A long text: wrapped at spaces into lines of at most 512 octets, CRLF included, the
    # codes on every line; `reply` reads it back as one reply with the same words.
    for options, count, limit in (([], 400, 512), (["--max-line", "40"], 30, 40)):
        words = [f"word{i}" for i in range(count)]
        lines = fmt(*options, "550", "5.1.1", *words).split("\r\n")
        n = len(lines) - 1
        what = f"format {options} 550 5.1.1 (words 0 to {count - 1})"
        check(lines[-1] == "" and n >= 3 and all(len(l) + 2 <= limit for l in lines),
              f"{what}: {n} lines, lengths {[len(l) + 2 for l in lines[:-1]]}")
        check(all(l.startswith("550-5.1.1 ") for l in lines[:n - 1])
              and lines[n - 1].startswith("550 5.1.1 "), f"{what}: prefixes {lines}")
        back = reply("\r\n".join(lines).encode(),
                     want=[reply_obj(550, "5.1.1", [l[10:] for l in lines[:-1]], 0)])
        check(back and " ".join(back[0].get("lines", [])) == " ".join(words),
              f"{what} | reply: the words differ")

    for args in (["550", "4.1.1", "x"], ["600", "x"], ["abc"], ["250", "a\rb"],
                 ["--max-line", "12", "550", "5.1.1", "x"]):
        fmt(*args, want="", status=1)
    _, _, err = run("format", "550", "4.1.1", "x")
    check("class" in err and "550 4.1.1" in err, f"format 550 4.1.1 x: {err!r}")
    _, _, err = run("format", "250", "ok", "a\rb")
    check("offset 4 (line 1)" in err, f"format 250 'a\\rb': {err!r}")


def expected_records(path):
    """The .expected file beside a corpus file: (message, recipient, action, status,
    reply_code, source, bounce_kind, reason) tuples."""
    rows = []
    with open(os.path.splitext(path)[0] + ".expected", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line and not line.startswith("#"):
                rows.append(tuple(line.split("\t")))
    return rows


def test_scan():
    files = sorted(os.path.join(BOUNCES, f) for f in os.listdir(BOUNCES)
                   if f.endswith((".eml", ".mbox")))
    check(len(files) >= 30, f"scan: {len(files)} corpus files")
    totals = dict(messages=0, recipients=0, hard=0, soft=0, none=0)
    for path in files:
        rc, out, err = run("scan", "--json", path)
        objs = json_lines(out, f"scan --json {path}")
        got, empty = [], 0
        for o in objs:
            check(list(o) == SCAN_FIELDS, f"scan {path}: fields {list(o)}")
            check(o["file"] == path, f"scan {path}: file {o['file']!r}")
            if o["recipient"] is None:
                empty += 1
                check(o["error"] == "no recognisable bounce" and o["bounce_kind"] is None,
                      f"scan {path}: {o}")
                continue
            check(o["error"] is None, f"scan {path}: error {o['error']!r}")
            check(o["diagnostic"] is None or "\n" not in o["diagnostic"],
                  f"scan {path}: diagnostic not unfolded: {o['diagnostic']!r}")
            reply_code = "-" if o["reply_code"] is None else str(o["reply_code"])
            got.append((str(o["message"]), o["recipient"], o["action"], o["status"] or "-",
                        reply_code, o["source"], o["bounce_kind"], o["reason"]))
            totals[o["bounce_kind"]] += 1
        check(got == expected_records(path), f"scan {path}: {got} != {expected_records(path)}")
        check(rc == (1 if empty else 0), f"scan {path}: exit {rc} with {empty} non-bounces")
        messages = len({o["message"] for o in objs})
        totals["messages"] += messages
        totals["recipients"] += len(got)
        check(err.startswith(f"scan: {messages} messages, {len(got)} recipients"),
              f"scan {path}: summary {err!r}")
    # all files in one run: the same records, and the summary adds up
    rc, out, err = run("scan", "--json", *files)
    records = [o for o in json_lines(out, "scan all") if o["recipient"] is not None]
    check(len(records) == totals["recipients"], f"scan all: {len(records)} records")
    want = (f"scan: {totals['messages']} messages, {totals['recipients']} recipients, "
            f"{totals['hard']} hard, {totals['soft']} soft")
    check(err.startswith(want) and err.count("\n") == 1, f"scan all: {err!r}, want {want!r}")
    # standard input, the human form, errors
    with open(files[0], "rb") as f:
        data = f.read()
    rc_stdin, out_stdin, _ = run("scan", "--json", input=data)
    rc_file, out_file, _ = run("scan", "--json", files[0])
    check(rc_stdin == rc_file and out_stdin == out_file.replace(json.dumps(files[0]), '"-"'),
          "scan: stdin and file give the same records")
    rc, out, _ = run("scan", input=b"From: MAILER-DAEMON@x.org\n\n<a@x.org>: said 550 5.1.1 gone\n")
    check(rc == 0 and out == "-:0: a@x.org failed 5.1.1 550 hard user_unknown (text)\n"
          "  <a@x.org>: said 550 5.1.1 gone\n", f"scan human: {out!r}")
    rc, out, _ = run("scan", input=b"Subject: hello\n\nnothing here\n")
    check(rc == 1 and out == "-:0: no recognisable bounce\n", f"scan non-bounce: {rc} {out!r}")
    rc, out, err = run("scan", os.path.join(BOUNCES, "does-not-exist.eml"))
    check(rc == 2 and "cannot open" in err, f"scan missing file: {rc} {err!r}")
    rc, _, err = run("scan", "--tsv")
    check(rc == 2 and "usage" in err, f"scan --tsv: {rc}")


def main():
    global TOOL
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("--reference-tools", default=DEFAULT_TOOLS)
    a = ap.parse_args()
    TOOL = os.path.abspath(a.tool)
    rows = test_list(a.reference_tools)
    test_explain(rows)
    test_explain_human()
    test_reply()
    test_format()
    test_scan()
    test_usage()
    test_no_stdin()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
