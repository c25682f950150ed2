#!/usr/bin/python3
# bench-detect.py
#
# Copyright 2026 Authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Autodetection time per scenario: `mail-tool detect --json` with a password (so both
servers are verified by signing in), against the fixtures of tests/live/detect.

    tests/bench/bench-detect.py _build/src/tool/mail-tool [--runs 5] [--output FILE]

or through meson: meson test -C _build --benchmark --suite bench detect -v

Needs root (for tests/harness/mail-harness). All scenarios run inside one harness run,
one after the other, each --runs times after one untimed warm-up. Prints a Markdown table
(the wall-clock time of the whole command, and the engine's own elapsed_ms) and writes it
to --output. Exits 1 when a scenario does not find its expected source.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "live", "detect"))
import fixture  # noqa: E402


def run_once(tool, ca, empty, address, password, local):
    # --approve: the ISPDB, MX and plain-HTTP scenarios are signed in to as well, as they
    # would be once the user approved them.
    argv = [tool, "detect", address, "--json", "--password-stdin", "--approve", "--ca-file", ca,
            "--ispdb-url", fixture.ISPDB_URL]
    start = time.monotonic()
    proc = subprocess.run(argv, input=password + "\n", capture_output=True, text=True,
                          timeout=60, env=fixture.isolated_env(empty, local))
    ms = (time.monotonic() - start) * 1000
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = {}
    incoming = data.get("incoming") or [{}]
    return ms, data.get("elapsed_ms"), incoming[0].get("source"), proc.returncode


def inner(args):
    ca = os.environ["MAIL_TEST_CA_FILE"]
    empty = tempfile.mkdtemp(prefix="mail-bench-detect-")
    rows, failed = [], False
    for name, address, password, expected, local in fixture.BENCH_SCENARIOS:
        times, engine, sources, statuses = [], [], set(), set()
        for run in range(-1, args.runs):
            ms, elapsed, source, status = run_once(args.tool, ca, empty, address, password,
                                                   local)
            if run < 0:
                continue
            times.append(ms)
            if elapsed is not None:
                engine.append(elapsed)
            sources.add(source)
            statuses.add(status)
        ok = sources == {expected} and statuses == {0}
        failed |= not ok
        rows.append((name, ", ".join(sorted(str(s) for s in sources)) + ("" if ok else " ✗"),
                     statistics.median(times), max(times),
                     statistics.median(engine) if engine else float("nan")))
        print("%s: %s, median %.0f ms" % (name, sources, statistics.median(times)),
              file=sys.stderr, flush=True)
    shutil.rmtree(empty, ignore_errors=True)

    lines = ["| scenario | source found | median ms | max ms | engine elapsed_ms (median) |",
             "| --- | --- | ---: | ---: | ---: |"]
    lines += ["| %s | %s | %.0f | %.0f | %.0f |" % row for row in rows]
    lines += ["", "Median and maximum of %d runs of `mail-tool detect --json --password-stdin --approve` "
              "(wall clock, incoming and outgoing verified by signing in), after one warm-up."
              % args.runs]
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    if args.output:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(table)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tool", help="the mail-tool executable")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per scenario (default 5)")
    ap.add_argument("--output", help="also write the Markdown table here")
    args = ap.parse_args()
    args.tool = os.path.abspath(args.tool)

    if "MAIL_TEST_HARNESS" in os.environ:
        return inner(args)
    if os.geteuid() != 0:
        print("bench-detect: the mail harness needs root; skipping", file=sys.stderr)
        return 77
    argv = [sys.executable, os.path.abspath(__file__), args.tool, "--runs", str(args.runs)]
    if args.output:
        argv += ["--output", os.path.abspath(args.output)]
    return subprocess.run([sys.executable] + fixture.harness_command(argv)).returncode


if __name__ == "__main__":
    sys.exit(main())
