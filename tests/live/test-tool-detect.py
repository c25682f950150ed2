#!/usr/bin/env python3
# test-tool-detect.py
#
# Copyright 2026 Authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""mail-tool detect against the harness's real servers, one scenario per test domain.

    test-tool-detect.py MAIL_TOOL [--artifacts DIR]

Outside a harness run it starts one (tests/harness/mail-harness run, with the fixtures of
tests/live/detect: DNS records, web files, extra certificate names and logins) and runs
itself inside. Prints TAP. Each case runs the tool as a user would and reads its JSON.
"""

import configparser
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "detect"))
import fixture  # noqa: E402

if len(sys.argv) < 2:
    sys.exit("usage: test-tool-detect.py MAIL_TOOL [--artifacts DIR]")
TOOL = os.path.abspath(sys.argv[1])

if "MAIL_TEST_HARNESS" not in os.environ:
    artifacts = None
    if "--artifacts" in sys.argv:
        artifacts = sys.argv[sys.argv.index("--artifacts") + 1]
    cmd = fixture.harness_command([sys.executable, os.path.abspath(__file__), TOOL],
                                  artifacts)
    os.execv(sys.executable, [sys.executable] + cmd)

ini = configparser.ConfigParser(interpolation=None)
ini.read(os.environ["MAIL_TEST_HARNESS"], encoding="utf-8")
CA = ini["harness"]["ca-file"]
HTTPS_LOG = ini["https"]["log"]
DOVECOT_LOG = ini["logs"]["dovecot"]
POSTFIX_LOG = ini["logs"]["postfix"]
EMPTY = tempfile.mkdtemp(prefix="mail-detect-empty-")
fixture.add_runtime_files(ini["https"]["docroot"])

# Every password any case uses: none may ever show up in the tool's output.
PASSWORDS = {ini[s]["password"] for s in ini.sections() if s.startswith("user ")}
PASSWORDS.add("wrong-password")

results = []
outputs = []


def case(name, condition, detail=""):
    results.append(bool(condition))
    print(f"{'ok' if condition else 'not ok'} {len(results)} - {name}")
    if not condition and detail:
        if isinstance(detail, dict) and "trace" in detail:
            detail = compact(detail)
        elif not isinstance(detail, str):
            detail = json.dumps(strip(detail), indent=1, ensure_ascii=False)
        for line in detail.splitlines()[:150]:
            print(f"# {line}")
    sys.stdout.flush()


def strip(obj):
    """obj without the bulky certificate fields, for diagnostics."""
    if isinstance(obj, dict):
        return {k: strip(v) for k, v in obj.items() if k not in ("pem", "problem_descriptions")}
    if isinstance(obj, list):
        return [strip(v) for v in obj]
    return obj


def compact(data):
    """A detection's JSON in a few lines a step: candidates, errors, then the trace."""
    out = []
    for key, value in data.items():
        if key in ("incoming", "outgoing"):
            for c in value or []:
                c = dict(c)
                cert = c.pop("certificate", None)
                if cert:
                    c["certificate"] = {k: cert.get(k) for k in ("subject", "problems",
                                                                 "fingerprint_sha256")}
                out.append(f"{key}: " + json.dumps(c, ensure_ascii=False))
        elif key != "trace":
            out.append(f"{key}: " + json.dumps(strip(value), ensure_ascii=False))
    for step in data.get("trace") or []:
        out.append("trace: %s %s | %s | %s ms (at %s)" % (
            step.get("source"), step.get("target"), step.get("outcome"), step.get("ms"),
            step.get("at_ms")))
    return "\n".join(out)


def password_of(address):
    section = "user " + address
    return ini[section]["password"] if ini.has_section(section) else None


class Log:
    """What a server log gained since the mark."""

    def __init__(self, path):
        self.path = path
        self.offset = os.path.getsize(path) if os.path.exists(path) else 0

    def new(self):
        time.sleep(0.3)  # Dovecot's log process writes a moment later
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                f.seek(self.offset)
                return f.read()
        except OSError:
            return ""


def detect(address, password=None, extra=(), local=False, timeout=60, json_out=True):
    """Runs mail-tool detect; returns (exit status, parsed JSON or {}, seconds, process)."""
    args = [TOOL, "detect", address, "--ca-file", CA, "--ispdb-url", fixture.ISPDB_URL]
    if json_out:
        args.append("--json")
    args += ["--password-stdin"] if password is not None else ["--no-verify"]
    args += list(extra)
    started = time.monotonic()
    proc = subprocess.run(args, input=(password + "\n") if password is not None else "",
                          capture_output=True, text=True, timeout=timeout,
                          env=fixture.isolated_env(EMPTY, local))
    elapsed = time.monotonic() - started
    outputs.append((address, proc.stdout + proc.stderr))
    data = {}
    if json_out:
        try:
            data = json.loads(proc.stdout)
        except ValueError:
            data = {"unparsable": proc.stdout, "stderr": proc.stderr[-3000:]}
    data["_status"] = proc.returncode
    data["_seconds"] = round(elapsed, 2)
    if proc.returncode < 0 or "AddressSanitizer" in proc.stderr or "CRITICAL" in proc.stderr:
        data["_stderr"] = proc.stderr[-3000:]
    return proc.returncode, data, elapsed, proc


def first(data, direction):
    items = data.get(direction) or []
    return items[0] if items else {}


def matches(candidate, **want):
    return all(candidate.get(k) == v for k, v in want.items())


def category(data, which="incoming_error"):
    err = data.get(which) or data.get("error") or {}
    return err.get("category") if isinstance(err, dict) else None


def trace_has(data, source=None, target=None):
    for step in data.get("trace") or []:
        if source and step.get("source") != source:
            continue
        if target and target not in str(step.get("target", "")):
            continue
        return True
    return False


def fingerprint_in(obj):
    """A SHA-256 fingerprint anywhere in obj: a *fingerprint* key or hex in a message."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if "fingerprint" in k and isinstance(v, str) and len(v) >= 64:
                return v
            found = fingerprint_in(v)
            if found:
                return found
    elif isinstance(obj, list):
        for v in obj:
            found = fingerprint_in(v)
            if found:
                return found
    elif isinstance(obj, str):
        m = re.search(r"(?i)\b(?:[0-9a-f]{2}:){31}[0-9a-f]{2}\b|\b[0-9a-f]{64}\b", obj)
        return m.group(0) if m else None
    return None


def usable(status, data):
    return (status == 0 and first(data, "incoming") and first(data, "outgoing")
            and data.get("incoming_error") is None and data.get("outgoing_error") is None)


def found_case(name, address, source, trust, incoming, outgoing, verified=True, limit=15.0,
               local=False, extra=()):
    """A detection that must succeed from `source` with the given first servers."""
    password = password_of(address) if verified else None
    status, data, elapsed, _ = detect(address, password, extra=extra, local=local)
    inc, out = first(data, "incoming"), first(data, "outgoing")
    case(f"{name}: {address} found through {source} ({elapsed:.1f} s)",
         usable(status, data) and inc.get("source") == source and out.get("source") == source,
         data)
    case(f"{name}: trust {trust}", inc.get("trust") == trust and out.get("trust") == trust, data)
    case(f"{name}: incoming {incoming}", matches(inc, **incoming), inc)
    case(f"{name}: outgoing {outgoing}", matches(out, **outgoing), out)
    if verified and trust == "verified":
        case(f"{name}: incoming and outgoing verified by signing in",
             inc.get("verified") is True and out.get("verified") is True, data)
    elif verified:
        # Someone else's word (the ISPDB, DNS, plain HTTP): no password before approval.
        case(f"{name}: not signed in before approval (needs_approval, trace says why)",
             inc.get("verified") is False and out.get("verified") is False and
             data.get("needs_approval") is True and
             any("approval" in str(st.get("outcome")) for st in data.get("trace") or []), data)
        status2, data2, _, _ = detect(address, password, extra=(*extra, "--approve"), local=local)
        inc2, out2 = first(data2, "incoming"), first(data2, "outgoing")
        case(f"{name}: with --approve, incoming and outgoing verified by signing in",
             usable(status2, data2) and inc2.get("verified") is True and
             out2.get("verified") is True, data2)
    case(f"{name}: within {limit:.0f} s", elapsed < limit and
         0 <= int(data.get("elapsed_ms", -1)) <= elapsed * 1000 + 100,
         f"{elapsed:.2f} s, elapsed_ms {data.get('elapsed_ms')}")
    return status, data, elapsed


def imap(host, port=993, security="tls"):
    return {"protocol": "imap", "host": host, "port": port, "security": security}


def smtp(host, port=465, security="tls"):
    return {"protocol": "smtp", "host": host, "port": port, "security": security}


MAIL = "mail.example.test"

# ---------------------------------------------------------------- every source

https_log = Log(HTTPS_LOG)
status, data, elapsed = found_case("https-own", "alice@example.test", "https", "verified",
                                   imap(MAIL), smtp(MAIL), limit=5)
case("https-own: the JSON names the address, and each trace step has source, target, "
     "outcome and ms",
     data.get("address") == "alice@example.test" and data.get("trace") and
     all({"source", "target", "outcome", "ms"} <= set(s) for s in data["trace"]), data)
case("https-own: the trace shows the HTTPS request",
     trace_has(data, "https", "autoconfig.example.test"), data.get("trace"))
incoming = data.get("incoming") or []
ports = [(c.get("protocol"), c.get("port")) for c in incoming]
case("https-own: IMAP first, 993 (TLS) before 143 (STARTTLS), in the file's order",
     ports and ports[0] == ("imap", 993) and
     (("imap", 143) not in ports or ports.index(("imap", 993)) < ports.index(("imap", 143))),
     ports)
case("https-own: every candidate is encrypted",
     all(c.get("security") in ("tls", "starttls") for c in incoming + (data.get("outgoing") or [])),
     data)
case("https-own: the user name is the full address and SASL methods are listed",
     first(data, "incoming").get("username") == "alice@example.test"
     and "PLAIN" in [m.upper() for m in first(data, "incoming").get("auth") or []], data)
log = https_log.new()
case("https-own: HTTPS requests carry ?emailaddress=",
     re.search(r"https GET autoconfig\.example\.test /mail/config-v1\.1\.xml\?emailaddress="
               r"alice(%40|@)example\.test 200", log), log)

pop3 = [c for c in incoming if c.get("protocol") == "pop3"]
case("https-own: POP3 offered as the alternative, with the file's leave-on-server hint",
     pop3 and (pop3[0].get("pop3") or {}).get("leave_messages_on_server") is True, incoming)
case("https-own: the file's <documentation> is among the instructions",
     "Mail settings of the test domain" in json.dumps(data.get("instructions"),
                                                     ensure_ascii=False), data)
case("https-own: the MX host is in the address's own domain, so MX adds no fetch",
     not any(t.get("source") == "mx" and str(t.get("target", "")).startswith("http")
             for t in data.get("trace") or []), data.get("trace"))

status, data, _, _ = detect("alice@example.test")
case("--no-verify: found through https, nothing signed in to",
     usable(status, data) and first(data, "incoming").get("source") == "https"
     and not any(c.get("verified") for c in (data.get("incoming") or []) +
                 (data.get("outgoing") or [])), data)

status, data, _, proc = detect("alice@example.test", password_of("alice@example.test"),
                               json_out=False)
case("readable output: exit 0, names the server and the source, no password",
     status == 0 and MAIL in proc.stdout and "https" in proc.stdout.lower(),
     proc.stdout + proc.stderr)

found_case("local (user dir)", "alice@example.test", "local", "verified",
           imap("imap.example.test"), smtp("smtp.example.test"), local=True)
found_case("local (system dir)", "sys@sysfile.test", "local", "verified", imap(MAIL), smtp(MAIL),
           local=True)

https_log = Log(HTTPS_LOG)
found_case("ispdb", "erin@ispdb.test", "ispdb", "plausible", imap(MAIL), smtp(MAIL))
log = https_log.new()
case("ispdb: fetched from the --ispdb-url base plus the domain",
     "https GET autoconfig.example.test /ispdb/ispdb.test" in log, log)

https_log = Log(HTTPS_LOG)
found_case("mx", "frank@mxonly.test", "mx", "insecure", imap("imap.hoster.test"),
           smtp("smtp.hoster.test"))
log = https_log.new()
case("mx: the hoster's autoconfig was read over HTTPS",
     "https GET autoconfig.hoster.test /mail/config-v1.1.xml" in log, log)

https_log = Log(HTTPS_LOG)
found_case("mx + ispdb", "ruth@mxispdb.test", "mx", "insecure", imap(MAIL), smtp(MAIL))
log = https_log.new()
case("mx + ispdb: the ISPDB was asked for the MX host's domain",
     "https GET autoconfig.example.test /ispdb/isphost.test" in log, log)
found_case("mx, registrable domain", "sam@mxdeep.test", "mx", "insecure", imap(MAIL),
           smtp(MAIL))

status, data, _ = found_case("srv inside the domain", "gina@srvown.test", "srv", "verified",
                             imap("imap.srvown.test"), smtp("smtp.srvown.test"), limit=5)
case("srv: the trace shows the SRV lookups", trace_has(data, "srv", "._tcp.srvown.test"),
     data.get("trace"))
found_case("srv outside the domain", "hank@srvout.test", "srv", "insecure", imap(MAIL),
           smtp(MAIL))

status, data, elapsed = found_case("srv target '.'", "ida@srvdot.test", "srv", "verified",
                                   {"protocol": "pop3", "host": "pop3.srvdot.test", "port": 995,
                                    "security": "tls"}, smtp("smtp.srvdot.test"))
case("srv target '.': IMAP is not offered, so no IMAP candidate",
     not any(c.get("protocol") == "imap" for c in data.get("incoming") or []), data)

found_case("https redirected to another domain", "tom@redirect.test", "https", "plausible",
           imap("imap.hoster.test"), smtp("smtp.hoster.test"))

status, data, _, _ = detect("uma@downgrade.test", "uma-password")
everything = (data.get("incoming") or []) + (data.get("outgoing") or [])
case("https redirected to plain HTTP: not verified, at best insecure",
     all(c.get("trust") == "insecure" for c in everything if c.get("source") in ("https", "http"))
     and (not usable(status, data) or data.get("needs_approval") is True), data)

https_log = Log(HTTPS_LOG)
found_case("http", "jack@httponly.test", "http", "insecure", imap(MAIL), smtp(MAIL))
log = https_log.new()
case("http: plain HTTP asked without the address",
     re.search(r" http GET autoconfig\.httponly\.test /mail/config-v1\.1\.xml 200", log) and
     not re.search(r" http GET .*emailaddress", log), log)

status, data, _ = found_case("guess", "kate@guessonly.test", "guess", "verified",
                             imap("imap.guessonly.test"), smtp("smtp.guessonly.test"))
ports = [c.get("port") for c in data.get("incoming") or []]
case("guess: 993 before 143", 993 in ports and (143 not in ports or
                                                 ports.index(993) < ports.index(143)), ports)

# ---------------------------------------------------------------- the priority rule

status, data, elapsed = found_case("priority", "leo@priority.test", "https", "verified",
                                   imap("imap.priority.test"), smtp("smtp.priority.test"))
case("priority: HTTPS (2 s late) wins over the SRV answer that came first",
     elapsed >= 2.0 and trace_has(data, "srv", "priority.test"),
     f"{elapsed:.2f} s\n" + json.dumps(data.get("trace"), indent=1))

status, data, elapsed = found_case("late", "lena@late.test", "https", "verified",
                                   imap("imap.late.test"), smtp("smtp.late.test"))
case("late: an HTTPS file that comes 4 s late, shortly before the 5-second answer, is "
     "still used",
     elapsed >= 4.0, f"{elapsed:.2f} s\n" + json.dumps(data.get("trace"), indent=1))

# ---------------------------------------------------------------- hostile files

for domain, what in (("laughs.test", "billion laughs"), ("xxe.test", "external entities"),
                     ("huge.test", "5 MiB"), ("garbage.test", "garbage")):
    https_log = Log(HTTPS_LOG)
    address = "mia@" + domain
    status, data, elapsed, proc = detect(address, password_of(address))
    inc = first(data, "incoming")
    case(f"hostile XML ({what}): ignored, detection falls through to SRV ({elapsed:.1f} s)",
         usable(status, data) and inc.get("source") == "srv" and inc.get("host") == MAIL
         and elapsed < 10, data)
    steps = [t for t in data.get("trace") or [] if t.get("source") == "https"
             and "autoconfig." + domain in str(t.get("target"))]
    case(f"hostile XML ({what}): the trace names the refused file",
         steps and not any(str(t.get("outcome")).startswith("found") for t in steps),
         data.get("trace"))
    if domain == "xxe.test":
        log = https_log.new()
        case("hostile XML: no external entity fetched", "fetched-by-an-entity" not in log, log)
    if domain == "laughs.test":
        case("hostile XML: no entity expanded in the output", "aaaaaaaaaa" not in proc.stdout,
             proc.stdout[:2000])

# ---------------------------------------------------------------- servers that never answer

status, data, elapsed, _ = detect("max@mixed.test", password_of("max@mixed.test"))
inc = first(data, "incoming")
case(f"tarpit-mixed: guessing finds mail.mixed.test past the silent imap.mixed.test "
     f"({elapsed:.1f} s)",
     usable(status, data) and inc.get("source") == "guess" and inc.get("host") == "mail.mixed.test"
     and inc.get("verified") is True and elapsed < 10, data)

for domain, limit in (("tarpit.test", 5), ("blackhole.test", 5)):
    status, data, elapsed, _ = detect("nobody@" + domain, extra=["--timeout", str(limit)])
    case(f"{domain}: no configuration, exit 1, within --timeout {limit} "
         f"(took {elapsed:.1f} s)",
         status == 1 and elapsed < limit + 1.5 and not usable(status, data), data)
    case(f"{domain}: the error says timeout or network, and the trace shows the attempts",
         category(data) in ("timeout", "network", "not-found") and
         trace_has(data, "srv", domain) and trace_has(data, "guess", domain), data)

status, data, elapsed, _ = detect("nobody@tarpit.test", extra=["--timeout", "2"])
case(f"tarpit.test: --timeout 2 cuts the probes' own 4 s short (took {elapsed:.1f} s)",
     status == 1 and elapsed < 3.5 and 0 < int(data.get("elapsed_ms", 0)) < 3000, data)

status, data, elapsed, _ = detect("nobody@refused.test")
case(f"refused.test: refused connections fail fast ({elapsed:.1f} s)",
     status == 1 and elapsed < 5 and category(data) in ("network", "not-found"), data)

status, data, elapsed, _ = detect("nobody@tarpit.test")
case(f"tarpit.test: the default budget (15 s) holds ({elapsed:.1f} s)",
     status == 1 and elapsed < 17, data)

# Cancel: SIGINT after 1 s stops every socket at once.
proc = subprocess.Popen([TOOL, "detect", "nobody@tarpit.test", "--json", "--no-verify",
                         "--ca-file", CA, "--ispdb-url", fixture.ISPDB_URL],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                        env=fixture.isolated_env(EMPTY))
time.sleep(1.0)
sent = time.monotonic()
proc.send_signal(signal.SIGINT)
try:
    out, err = proc.communicate(timeout=5)
    took = time.monotonic() - sent
except subprocess.TimeoutExpired:
    proc.kill()
    out, err = proc.communicate()
    took = 99
case(f"cancel: SIGINT after 1 s ends the detection within 0.5 s ({took * 1000:.0f} ms, "
     f"status {proc.returncode})", took < 0.5 and proc.returncode != 0, out + err)

# ---------------------------------------------------------------- certificates

for domain, host in (("wrongcert.test", "wronghost.example.test"),
                     ("selfcert.test", "selfsigned.example.test"),
                     ("expiredcert.test", "expired.example.test")):
    address = "nina@" + domain
    status, data, _, _ = detect(address, password_of(address))
    err = data.get("incoming_error") or {}
    case(f"{domain}: incoming fails with tls-certificate naming {host}",
         status == 1 and category(data) == "tls-certificate" and host in str(err), data)
    case(f"{domain}: the error carries the certificate's fingerprint",
         fingerprint_in(data.get("incoming_error")) or fingerprint_in(data.get("incoming")),
         data)
    case(f"{domain}: outgoing still verified", first(data, "outgoing").get("verified") is True,
         data)

status, data, _, _ = detect("nina@certprop.test", password_of("nina@certprop.test"))
proposed = [c for c in data.get("incoming") or [] if c.get("source") == "certificate"]
case("certprop.test: a valid certificate for other names proposes such a host instead of an "
     "override", proposed and proposed[0].get("host") != "imap.certprop.test" and
     proposed[0].get("host") in ini["certificates"]["extra-names"].split(";") +
     ["mail.example.test", "imap.example.test", "pop3.example.test", "pop.example.test",
      "smtp.example.test", "example.test", "autoconfig.example.test"], data)

# ---------------------------------------------------------------- signing in

dovecot, postfix = Log(DOVECOT_LOG), Log(POSTFIX_LOG)
status, data, _, _ = detect("alice@example.test", "wrong-password")
dlog, plog = dovecot.new(), postfix.new()
# Dovecot's auth_verbose lines: logins through imap-login carry a session id <...>, the
# SASL requests of Postfix do not.
tries = re.findall(r"passwd-file\((alice@example\.test|alice),[^,)]*(,<[^>]*>)?\): "
                   r"(Password mismatch|unknown user)", dlog)
imap_tries = sum(1 for t in tries if t[1])
smtp_tries = len(tries) - imap_tries
smtp_failures = len(re.findall(r"SASL \S+ authentication failed", plog))
case("wrong password: auth-failed, naming the incoming server",
     status == 1 and category(data) == "auth-failed"
     and MAIL in (data.get("incoming_error") or {}).get("message", ""), data)
case("wrong password: outgoing auth-failed too", category(data, "outgoing_error") == "auth-failed",
     data)
case(f"wrong password: at most 2 sign-in attempts per server (IMAP {imap_tries}, "
     f"SMTP {smtp_tries}; Postfix logged {smtp_failures})",
     1 <= imap_tries <= 2 and 1 <= smtp_tries <= 2 and smtp_failures <= 2,
     dlog[-3000:] + plog[-2000:])

dovecot = Log(DOVECOT_LOG)
status, data, _, _ = detect("carol@localpart.test", "carol-password")
dlog = dovecot.new()
tries = len(re.findall(r"passwd-file\(carol@localpart\.test,", dlog))
case("local-part login: carol@localpart.test signs in as carol",
     usable(status, data) and first(data, "incoming").get("username") == "carol"
     and first(data, "incoming").get("verified") is True
     and first(data, "outgoing").get("username") == "carol", data)
case(f"local-part login: the full address was tried at most once per server ({tries})",
     1 <= tries <= 2 and "user=<carol>" in dlog, dlog[-3000:])

status, data, _, _ = detect("eve@enable.test", "eve-password")
text = json.dumps(data.get("instructions"), ensure_ascii=False)
case("instructions: the file's <enable> and <documentation> are reported",
     usable(status, data) and "Turn on IMAP access" in text
     and "autoconfig.enable.test" in text, data)
status, data, _, _ = detect("eve@enable.test", "wrong-password")
case("instructions + refused login: auth-failed or app-password, with the instructions",
     status == 1 and category(data) in ("auth-failed", "app-password") and
     "Turn on IMAP access" in json.dumps(data.get("instructions"), ensure_ascii=False), data)

dovecot = Log(DOVECOT_LOG)
status, data, _, _ = detect("pat@plain.test", "pat-password")
dlog = dovecot.new()
everything = (data.get("incoming") or []) + (data.get("outgoing") or [])
case("plaintext-only file: no login over an unencrypted connection",
     "plaintext auth" not in dlog and "LOGINDISABLED" not in dlog and
     not any(c.get("security") == "none" and c.get("verified") for c in everything), dlog)
case("plaintext-only file: the same ports are tried with STARTTLS, which wins and signs in",
     status == 0 and first(data, "incoming").get("security") == "starttls" and
     first(data, "outgoing").get("security") == "starttls" and
     first(data, "incoming").get("verified") is True and
     first(data, "outgoing").get("verified") is True and
     data.get("needs_approval") is False, data)

# ---------------------------------------------------------------- internationalised domain

dnsmasq = Log(ini["logs"]["dnsmasq"])
status, data, elapsed, _ = detect("otto@bücher.test", "otto-password")
inc, out = first(data, "incoming"), first(data, "outgoing")
case(f"IDN: otto@bücher.test found through https and verified ({elapsed:.1f} s)",
     usable(status, data) and inc.get("source") == "https" and inc.get("trust") == "verified"
     and inc.get("verified") is True and out.get("verified") is True, data)
# The JSON may show the name in either form (Unicode for people, ASCII on the wire).
case("IDN: the file's Unicode host names are used",
     inc.get("host") in ("imap.xn--bcher-kva.test", "imap.bücher.test") and
     out.get("host") in ("smtp.xn--bcher-kva.test", "smtp.bücher.test"), data)
log = dnsmasq.new()
case("IDN: DNS was asked for the xn-- names",
     "autoconfig.xn--bcher-kva.test" in log and "imap.xn--bcher-kva.test" in log, log[-2000:])

# ---------------------------------------------------------------- usage and secrets

proc = subprocess.run([TOOL, "detect"], capture_output=True, text=True)
case("usage error exits 2: no address", proc.returncode == 2, proc.stderr)
proc = subprocess.run([TOOL, "detect", "not-an-address", "--no-verify"], capture_output=True,
                      text=True)
case("an address without a domain is refused (exit 2)", proc.returncode == 2,
     proc.stdout + proc.stderr)

leaks = [a for a, text in outputs if any(p in text for p in PASSWORDS)]
case("no password appears in any output or trace", not leaks, leaks)

shutil.rmtree(EMPTY, ignore_errors=True)
print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
