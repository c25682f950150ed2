#!/usr/bin/python3
# run-benchmarks.py
#
# Copyright 2026 Authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""IMAP sync benchmarks: our engine side by side with peers in the same run.

Needs root (for tests/harness/mail-harness), Dovecot and the other harness packages, and
isync (mbsync). From the source tree, after building:

    tests/bench/run-benchmarks.py --build _build
    tests/bench/run-benchmarks.py --build _build --envelope-messages 5000 --body-messages 2000

or through meson: meson test -C _build --benchmark --suite bench imap-sync -v

1. Envelopes: the harness with a corpus of --envelope-messages messages (about 70% land
   in INBOX), then bench-imap-fetch --envelopes: on one connection, a raw
   UID FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE) that only frames and counts the bytes,
   against the same command through MailImapClient with every response parsed, alternated.
2. Bodies: the harness with a corpus of --body-messages messages, then, in the same run
   and alternating, mbsync (pull of INBOX into an empty Maildir) and
   bench-imap-fetch --bodies (the same into another empty Maildir), --runs times each
   after one untimed warm-up of each. mbsync runs with FSync no, as ours does not fsync
   each file either (it fsyncs the Maildir directories once at the end).

Prints a Markdown table of medians and ratios (ours / peer; lower is better), and the
clients' CPU time, which other load on the machine blurs less than the wall clock.

The Maildirs and the harness's run directory go under $TMPDIR. On ext4, creating
thousands of files right after deleting the previous run's costs most of the body
benchmark's time in the kernel's inode allocator (for both clients, and very unevenly);
TMPDIR=/dev/shm measures the clients instead of the file system.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SRC_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HARNESS = os.path.join(SRC_DIR, "tests", "harness", "mail-harness")

ENVELOPE_TARGET = 1.3
BODY_TARGET = 1.0

MBSYNCRC = """\
FSync no

IMAPAccount bench
Host {host}
Port {port}
User {user}
Pass {password}
SSLType IMAPS
CertificateFile {ca_file}

IMAPStore bench-far
Account bench

MaildirStore bench-near
Path {maildir}/
Inbox {maildir}/INBOX

Channel bench
Far :bench-far:
Near :bench-near:
Patterns INBOX
Create Near
Sync Pull
SyncState *
"""


def result_line(output):
    """The key=value pairs of the last "RESULT ..." line of bench-imap-fetch."""
    for line in reversed(output.splitlines()):
        if line.startswith("RESULT "):
            return dict(item.split("=", 1) for item in line.split()[1:])
    raise SystemExit("run-benchmarks: no RESULT line in:\n" + output)


def count_messages(maildir):
    return sum(len(os.listdir(os.path.join(maildir, sub)))
               for sub in ("new", "cur") if os.path.isdir(os.path.join(maildir, sub)))


def find_maildir(root):
    """The directory holding new/ and cur/ below root (mbsync's INBOX, or ours)."""
    for path, dirs, _ in os.walk(root):
        if "new" in dirs and "cur" in dirs:
            return path
    return None


# ------------------------------------------------------------------ inside the harness

def harness_server():
    import configparser
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(os.environ["MAIL_TEST_HARNESS"])
    user = "alice@example.test"
    return {
        "host": ini["imap"]["host"],
        "port": ini["imap"]["tls-port"],
        "user": user,
        "password": ini["user " + user]["password"],
        "ca_file": os.environ["MAIL_TEST_CA_FILE"],
    }


def timed(argv):
    """Runs argv; returns its wall-clock seconds, its CPU seconds (user + system, which
    the other load on the machine blurs less) and its output."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit("run-benchmarks: %s failed (%d):\n%s"
                         % (argv[0], proc.returncode, output))
    return seconds, usage.ru_utime + usage.ru_stime, output


def inner_bodies(args):
    server = harness_server()
    bench = os.path.join(args.build, "tests", "bench", "bench-imap-fetch")
    work = tempfile.mkdtemp(prefix="mail-bench-")
    mbsync_times, our_times, mbsync_cpu, our_cpu = [], [], [], []
    mbsync_count = our_count = 0
    try:
        # One untimed run of each first: Dovecot's caches and the page cache warm up for
        # whoever goes first, so neither side pays for it in the medians.
        for run in range(-1, args.runs):
            # mbsync, from an empty local store.
            near = os.path.join(work, "mbsync-%d" % run)
            os.makedirs(near)
            rc = os.path.join(work, "mbsyncrc-%d" % run)
            with open(rc, "w") as f:
                f.write(MBSYNCRC.format(maildir=near, **server))
            mbsync_seconds, mbsync_cpu_seconds, output = timed(["mbsync", "-q", "-c", rc, "-a"])
            if run >= 0:
                mbsync_times.append(mbsync_seconds)
                mbsync_cpu.append(mbsync_cpu_seconds)
            mbsync_count = count_messages(find_maildir(near) or near)
            shutil.rmtree(near)

            # Ours, from an empty directory.
            ours = os.path.join(work, "ours-%d" % run)
            seconds, cpu_seconds, output = timed([bench, "--bodies", ours])
            if run >= 0:
                our_times.append(seconds)
                our_cpu.append(cpu_seconds)
            our_count = int(result_line(output)["messages"])
            if count_messages(ours) != our_count:
                raise SystemExit("run-benchmarks: bench-imap-fetch wrote %d files for %d "
                                 "messages" % (count_messages(ours), our_count))
            shutil.rmtree(ours)
            label = "run %d" % (run + 1) if run >= 0 else "warm-up"
            print("%s: mbsync %.3f s (CPU %.3f s, %d messages), ours %.3f s (CPU %.3f s, "
                  "%d messages)" % (label, mbsync_seconds, mbsync_cpu_seconds, mbsync_count,
                                    seconds, cpu_seconds, our_count),
                  file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if mbsync_count != our_count:
        print("run-benchmarks: warning: mbsync got %d messages, ours %d"
              % (mbsync_count, our_count), file=sys.stderr)
    print("RESULT mode=bodies messages=%d mbsync=%.4f ours=%.4f runs=%d mbsync_cpu=%.4f "
          "ours_cpu=%.4f"
          % (our_count, statistics.median(mbsync_times), statistics.median(our_times),
             args.runs, statistics.median(mbsync_cpu), statistics.median(our_cpu)))


# ------------------------------------------------------------------ outside

def harness_run(corpus, argv, timeout):
    cmd = [HARNESS, "run", "--corpus", str(corpus), "--"] + argv
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=timeout)
    sys.stderr.write(proc.stdout)
    if proc.returncode != 0:
        raise SystemExit("run-benchmarks: the harness run failed (%d)" % proc.returncode)
    return result_line(proc.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(SRC_DIR, "_build"),
                    help="the meson build directory (default: _build in the source tree)")
    ap.add_argument("--envelope-messages", type=int, default=50000, metavar="N",
                    help="corpus size for the envelope benchmark; 0 skips it")
    ap.add_argument("--body-messages", type=int, default=10000, metavar="M",
                    help="corpus size for the body benchmark; 0 skips it")
    ap.add_argument("--rounds", type=int, default=7,
                    help="timed rounds of each envelope FETCH (default 7)")
    ap.add_argument("--runs", type=int, default=3,
                    help="runs of mbsync and of ours for the bodies (default 3)")
    ap.add_argument("--inner-bodies", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)

    if args.inner_bodies:
        inner_bodies(args)
        return 0

    if os.geteuid() != 0:
        print("run-benchmarks: the mail harness needs root; skipping", file=sys.stderr)
        return 77
    if args.body_messages and shutil.which("mbsync") is None:
        print("run-benchmarks: mbsync (isync) is not installed; skipping", file=sys.stderr)
        return 77

    bench = os.path.join(args.build, "tests", "bench", "bench-imap-fetch")
    rows = []
    notes = []
    failed = False

    if args.envelope_messages:
        r = harness_run(args.envelope_messages,
                        [bench, "--envelopes", "--rounds", str(args.rounds)], 3600)
        n = int(r["messages"])
        raw, ours, ratio = float(r["raw"]), float(r["ours"]), float(r["ratio"])
        rows.append(("Envelope FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE), %d rounds"
                     % int(r["rounds"]), "raw read of the same command", n,
                     "%.3f s (%.0f msg/s)" % (ours, n / ours),
                     "%.3f s (%.0f msg/s)" % (raw, n / raw), ratio, ENVELOPE_TARGET))
        failed |= ratio > ENVELOPE_TARGET
        if "ours_cpu" in r:
            notes.append("Envelopes, client CPU (median): ours %.3f s (%.2f µs/message), "
                         "raw %.3f s (%.2f µs/message)"
                         % (float(r["ours_cpu"]), float(r["ours_cpu"]) * 1e6 / n,
                            float(r["raw_cpu"]), float(r["raw_cpu"]) * 1e6 / n))

    if args.body_messages:
        r = harness_run(args.body_messages,
                        [sys.executable, os.path.abspath(__file__), "--inner-bodies",
                         "--build", args.build, "--runs", str(args.runs)], 3600)
        n = int(r["messages"])
        mbsync, ours = float(r["mbsync"]), float(r["ours"])
        ratio = ours / mbsync
        rows.append(("Bodies of INBOX into an empty Maildir, median of %d" % int(r["runs"]),
                     "mbsync %s" % mbsync_version(), n,
                     "%.3f s (%.0f msg/s)" % (ours, n / ours),
                     "%.3f s (%.0f msg/s)" % (mbsync, n / mbsync), ratio, BODY_TARGET))
        failed |= ratio > BODY_TARGET
        if "ours_cpu" in r:
            notes.append("Bodies, CPU of the client process (median): ours %.3f s, mbsync "
                         "%.3f s (ratio %.2f)"
                         % (float(r["ours_cpu"]), float(r["mbsync_cpu"]),
                            float(r["ours_cpu"]) / float(r["mbsync_cpu"])))

    print()
    print("| benchmark | peer | INBOX messages | ours | peer | ours/peer | target |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, peer, n, ours, theirs, ratio, target in rows:
        print("| %s | %s | %d | %s | %s | %.2f | ≤ %.1f%s |"
              % (name, peer, n, ours, theirs, ratio, target, "" if ratio <= target else " ✗"))
    if notes:
        print()
        for note in notes:
            print("- " + note)

    return 1 if failed else 0


def mbsync_version():
    try:
        out = subprocess.run(["mbsync", "--version"], stdout=subprocess.PIPE, text=True).stdout
        m = re.search(r"[\d.]+", out)
        return m.group(0) if m else ""
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
