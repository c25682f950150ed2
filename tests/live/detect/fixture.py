# fixture.py
#
# Copyright 2026 Authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The autodetection fixtures (this directory) as mail-harness sees them.

Shared by tests/live/test-tool-detect.py and tests/bench/bench-detect.py: both start one
harness run with harness_options() and run `mail-tool detect` inside it.
"""

import os
import shlex

DIR = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(os.path.dirname(os.path.dirname(DIR)), "harness", "mail-harness")
ISPDB_URL = "https://autoconfig.example.test/ispdb/"
HUGE_BYTES = 5 * 1024 * 1024

# The provider directories of the local source ($XDG_DATA_HOME and $XDG_CONFIG_DIRS).
LOCAL_DATA_HOME = os.path.join(DIR, "local", "data")
LOCAL_CONFIG_DIRS = os.path.join(DIR, "local", "config")


def harness_options():
    """--dns-extra, --www and the lines of harness-options.txt."""
    opts = ["--dns-extra", os.path.join(DIR, "dns.conf"), "--www", os.path.join(DIR, "www")]
    with open(os.path.join(DIR, "harness-options.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                opts += shlex.split(line)
    return opts


def harness_command(argv, artifacts=None):
    """The mail-harness run command line that runs argv inside the fixtures."""
    cmd = [HARNESS, "run"] + harness_options()
    if artifacts:
        cmd += ["--artifacts", artifacts]
    return cmd + ["--"] + list(argv)


def add_runtime_files(docroot):
    """Files too big to keep in git, written into the running web server's docroot: a
    well-formed config-v1.1 file of 5 MiB (padding in a comment) for huge.test."""
    path = os.path.join(docroot, "autoconfig.huge.test", "mail", "config-v1.1.xml")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<clientConfig version="1.1">\n'
            '  <emailProvider id="huge.test">\n    <domain>huge.test</domain>\n<!-- ')
    tail = (' -->\n    <incomingServer type="imap">\n      <hostname>huge.huge.test</hostname>\n'
            '      <port>993</port>\n      <socketType>SSL</socketType>\n'
            '      <username>%EMAILADDRESS%</username>\n'
            '      <authentication>password-cleartext</authentication>\n'
            '    </incomingServer>\n  </emailProvider>\n</clientConfig>\n')
    pad = HUGE_BYTES - len(head) - len(tail)
    with open(path, "w", encoding="ascii") as f:
        f.write(head + ("padding " * (pad // 8 + 1))[:pad] + tail)
    return path


def isolated_env(empty_dir, local=False):
    """The environment for one mail-tool run: no provider files from this machine, or
    (local=True) the fixture's own."""
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = LOCAL_DATA_HOME if local else empty_dir
    env["XDG_CONFIG_DIRS"] = LOCAL_CONFIG_DIRS if local else empty_dir
    env.pop("G_MESSAGES_DEBUG", None)
    return env


# Scenarios of the benchmark: name -> (address, password, source expected, local files).
BENCH_SCENARIOS = [
    ("https-own", "alice@example.test", "alice-password", "https", False),
    ("local", "alice@example.test", "alice-password", "local", True),
    ("ispdb", "erin@ispdb.test", "erin-password", "ispdb", False),
    ("mx", "frank@mxonly.test", "frank-password", "mx", False),
    ("srv", "gina@srvown.test", "gina-password", "srv", False),
    ("http", "jack@httponly.test", "jack-password", "http", False),
    ("guess", "kate@guessonly.test", "kate-password", "guess", False),
    ("tarpit-mixed", "max@mixed.test", "max-password", "guess", False),
]
