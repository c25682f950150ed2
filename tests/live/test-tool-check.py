#!/usr/bin/env python3
"""mail-tool check against the harness's real servers (run inside tests/harness/mail-harness).

Prints TAP. Each case runs the tool as a user would and reads its JSON or its text.
"""

import configparser
import json
import os
import subprocess
import sys
import time

TOOL = sys.argv[1]
ini = configparser.ConfigParser(interpolation=None)
ini.read(os.environ["MAIL_TEST_HARNESS"])
CA = ini["harness"]["ca-file"]
MAIL = ini["imap"]["host"]
ALICE = "alice@example.test"
PASSWORD = ini[f"user {ALICE}"]["password"]

results = []


def run(args, password=None, timeout=60):
    started = time.monotonic()
    proc = subprocess.run([TOOL, "check", *args], input=(password + "\n") if password else "",
                          capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - started


def check_json(args, password=None):
    proc, elapsed = run([*args, "--json"], password)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = {"unparsable": proc.stdout, "stderr": proc.stderr}
    return proc.returncode, data, elapsed


def case(name, condition, detail=""):
    results.append(bool(condition))
    print(f"{'ok' if condition else 'not ok'} {len(results)} - {name}")
    if not condition and detail:
        for line in str(detail).splitlines()[:30]:
            print(f"# {line}")


def login(protocol, port, security, password=PASSWORD, extra=()):
    return check_json(["--protocol", protocol, "--host", MAIL, "--port", str(port),
                       "--security", security, "--user", ALICE, "--password-stdin",
                       "--ca-file", CA, *extra], password)


for protocol, port, security in [("imap", 993, "tls"), ("imap", 143, "starttls"),
                                 ("pop3", 995, "tls"), ("pop3", 110, "starttls"),
                                 ("smtp", 465, "tls"), ("smtp", 587, "starttls")]:
    status, data, _ = login(protocol, port, security)
    good = (status == 0 and data.get("ok") is True and data.get("authenticated") is True
            and data.get("error") is None and data.get("protocol") == protocol
            and data.get("port") == port and data.get("security") == security
            and data.get("tls_version") in ("TLS 1.2", "TLS 1.3")
            and data.get("capabilities") and "certificate" in data
            and not data["certificate"]["problems"])
    case(f"{protocol} {port} {security}: secured and signed in", good, json.dumps(data, indent=1))
    if protocol == "imap" and security == "starttls":
        caps = [c.upper() for c in data.get("capabilities", [])]
        case("imap after STARTTLS: capabilities re-read (no STARTTLS, no LOGINDISABLED)",
             "STARTTLS" not in caps and "LOGINDISABLED" not in caps, caps)
    if protocol == "smtp":
        case(f"smtp {port}: PLAIN offered once secured", "PLAIN" in
             [m.upper() for m in data.get("auth_mechanisms", [])], data.get("auth_mechanisms"))

status, data, _ = login("imap", 993, "tls", password="wrong-password")
case("wrong password: auth-failed, exit 1",
     status == 1 and data.get("ok") is False and data.get("authenticated") is False
     and (data.get("error") or {}).get("category") == "auth-failed", data)

status, data, _ = login("smtp", 587, "starttls", password="wrong-password")
case("wrong SMTP password: auth-failed", (data.get("error") or {}).get("category") == "auth-failed",
     data)

status, data, _ = check_json(["--protocol", "imap", "--host", MAIL, "--user", ALICE,
                              "--password-stdin"], PASSWORD)
cert = data.get("certificate") or {}
case("without the test CA: tls-certificate with the certificate's details",
     status == 1 and (data.get("error") or {}).get("category") == "tls-certificate"
     and data.get("authenticated") is False and "unknown-authority" in cert.get("problems", [])
     and len(cert.get("fingerprint_sha256", "")) == 95 and cert.get("subject"), data)
untrusted_fingerprint = cert.get("fingerprint_sha256")

for key, problem in [("expired-host", "expired"), ("wrong-host", "wrong-host-name"),
                     ("self-signed-host", "unknown-authority")]:
    host = ini["bad-certs"][key]
    status, data, _ = check_json(["--protocol", "imap", "--host", host, "--ca-file", CA])
    problems = (data.get("certificate") or {}).get("problems", [])
    case(f"{key}: tls-certificate, problem {problem}",
         status == 1 and (data.get("error") or {}).get("category") == "tls-certificate"
         and problem in problems, data)
    if key == "self-signed-host":
        pin = (data.get("certificate") or {}).get("fingerprint_sha256")

status, data, _ = check_json(["--protocol", "imap", "--host", ini["bad-certs"]["self-signed-host"],
                              "--pin", pin or "none"])
case("a pinned self-signed certificate is accepted for exactly its host", status == 0 and
     data.get("ok") is True, data)

status, data, _ = check_json(["--protocol", "imap", "--host", MAIL, "--pin", pin or "none"])
case("that pin does not cover another host's certificate",
     status == 1 and (data.get("error") or {}).get("category") == "tls-certificate", data)

status, data, elapsed = check_json(["--protocol", "imap", "--host", ini["silent"]["host"],
                                    "--ca-file", CA, "--timeout", "2"])
case("a server that never greets: timeout within the limit",
     status == 1 and (data.get("error") or {}).get("category") == "timeout" and elapsed < 8,
     f"{elapsed:.1f} s {data}")

status, data, _ = check_json(["--protocol", "imap", "--host", "nowhere.example.test",
                              "--ca-file", CA])
case("an unknown host: network", status == 1 and
     (data.get("error") or {}).get("category") == "network", data)

status, data, _ = check_json(["--protocol", "imap", "--host", MAIL, "--port", "143",
                              "--security", "none", "--user", ALICE, "--password-stdin"], PASSWORD)
case("no encryption without consent: the password is not sent",
     status == 1 and data.get("authenticated") is False
     and (data.get("error") or {}).get("category") == "tls-required", data)

proc, _ = run(["--protocol", "imap", "--host", MAIL, "--user", ALICE, "--password-stdin",
               "--ca-file", CA, "--verbose"], PASSWORD)
case("readable output with the protocol log, and no password anywhere",
     proc.returncode == 0 and "Result:" in proc.stdout and "LOGIN" in proc.stdout.upper()
     and PASSWORD not in proc.stdout and PASSWORD not in proc.stderr, proc.stdout)

for args, what in [(["--host", MAIL], "no --protocol"), (["--protocol", "nntp", "--host", MAIL],
                   "unknown protocol"), (["--protocol", "imap"], "no --host"),
                   (["--protocol", "imap", "--host", MAIL, "--security", "ssl3"], "bad security"),
                   (["--protocol", "imap", "--host", MAIL, "--password-stdin"], "password without user")]:
    proc, _ = run(args)
    case(f"usage error exits 2: {what}", proc.returncode == 2, proc.stderr)

print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
