#!/usr/bin/env python3
"""mail-tool sync against the harness's Dovecot (run inside tests/harness/mail-harness
--corpus N): the store must match the server message by message, after a first sync, after
server-side changes, and after a UIDVALIDITY change. Prints TAP.
"""

import configparser
import email.header
import email.utils
import imaplib
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile

TOOL = sys.argv[1]
ini = configparser.ConfigParser(interpolation=None)
ini.read(os.environ["MAIL_TEST_HARNESS"])
CA = ini["harness"]["ca-file"]
HOST = ini["imap"]["host"]
ALICE = "alice@example.test"
PASSWORD = ini[f"user {ALICE}"]["password"]
KEYS = ["uid", "message_id", "from", "to", "subject", "date", "flags", "size",
        "has_attachments", "preview"]
SYSTEM_FLAGS = {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"}

root = tempfile.mkdtemp(prefix="mail-sync-live-")
env = dict(os.environ)
for name in ("config", "data", "cache"):
    env[f"XDG_{name.upper()}_HOME"] = os.path.join(root, name)
env.pop("G_MESSAGES_DEBUG", None)
results = []


def case(name, condition, detail="", todo=None):
    results.append(bool(condition) or todo is not None)
    directive = f" # TODO {todo}" if todo else ""
    print(f"{'ok' if condition else 'not ok'} {len(results)} - {name}{directive}", flush=True)
    if not condition and detail:
        for line in str(detail).splitlines()[:30]:
            print(f"# {line}")


def tool(*args, stdin="", debug=None, timeout=600):
    run_env = dict(env)
    if debug:
        run_env["G_MESSAGES_DEBUG"] = debug
    return subprocess.run([TOOL, *args], input=stdin, capture_output=True, text=True,
                          env=run_env, timeout=timeout)


def connect():
    context = ssl.create_default_context(cafile=CA)
    imap = imaplib.IMAP4_SSL(HOST, 993, ssl_context=context)
    imap.login(ALICE, PASSWORD)
    return imap


def decode(value):
    if value is None:
        return None
    text = str(email.header.make_header(email.header.decode_header(value)))
    return " ".join(text.split())


def server_folders(imap):
    names = []
    for line in imap.list('""', "*")[1]:
        match = re.match(rb'\((?P<attrs>[^)]*)\) (?:"[^"]*"|NIL) "?(?P<name>[^"]*)"?$', line)
        if b"\\Noselect" in match.group("attrs") or b"\\NonExistent" in match.group("attrs"):
            continue
        names.append(match.group("name").decode())
    return sorted(names)


def server_messages(imap, folder):
    imap.select(f'"{folder}"', readonly=True)
    typ, data = imap.uid("FETCH", "1:*", "(UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS "
                         "(SUBJECT MESSAGE-ID)])")
    messages = {}
    for item in data:
        if not isinstance(item, tuple):
            continue
        meta = item[0].decode()
        uid = int(re.search(r"UID (\d+)", meta).group(1))
        flags = set(re.search(r"FLAGS \(([^)]*)\)", meta).group(1).split())
        size = int(re.search(r"RFC822\.SIZE (\d+)", meta).group(1))
        header = email.message_from_bytes(item[1])
        message_id = header.get("Message-ID")
        messages[uid] = {
            "flags": sorted(f for f in flags if f in SYSTEM_FLAGS - {"\\Deleted"}),
            "size": size,
            "subject": decode(header.get("Subject")) or "",
            "message_id": message_id.strip().strip("<>") if message_id else None,
        }
    imap.close()
    return messages


def local_messages(folder):
    proc = tool("list", folder, "--json")
    if proc.returncode != 0:
        return None, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return rows, proc.stderr


def compare_folder(imap, folder):
    server = server_messages(imap, folder)
    rows, stderr = local_messages(folder)
    if rows is None:
        return False, stderr, []
    problems = []
    subjects = []
    local = {row["uid"]: row for row in rows}
    if sorted(local) != sorted(server):
        problems.append(f"UIDs: local {sorted(local)[:20]}... server {sorted(server)[:20]}...")
    for uid, want in server.items():
        got = local.get(uid)
        if got is None:
            continue
        got_flags = sorted(f for f in got["flags"] if f in SYSTEM_FLAGS - {"\\Deleted"})
        if got_flags != want["flags"]:
            problems.append(f"{uid}: flags {got_flags} != {want['flags']}")
        if got["size"] != want["size"]:
            problems.append(f"{uid}: size {got['size']} != {want['size']}")
        if (got["message_id"] or None) != want["message_id"]:
            problems.append(f"{uid}: Message-ID {got['message_id']} != {want['message_id']}")
        if " ".join((got["subject"] or "").split()) != want["subject"]:
            subjects.append(f"{uid}: subject {got['subject']!r} != {want['subject']!r}")
    return not problems, "\n".join(problems), subjects


def compare_all(imap, label):
    proc = tool("folders", "--json")
    local = sorted(f["name"] for f in json.loads(proc.stdout) if f["selectable"]) \
        if proc.returncode == 0 else proc.stderr
    server = server_folders(imap)
    case(f"{label}: the folders are the server's", local == server, f"{local} != {server}")
    for folder in server:
        good, detail, subjects = compare_folder(imap, folder)
        case(f"{label}: {folder} matches the server message by message", good, detail)
        case(f"{label}: {folder} subjects as the server's", not subjects, "\n".join(subjects))


def new_message(subject, message_id):
    return (f"From: Carol <carol@example.test>\r\nTo: {ALICE}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{message_id}>\r\nDate: {email.utils.formatdate()}\r\n\r\n"
            f"The body of {subject}, with a findable word: zanzibarquux.\r\n").encode()


try:
    proc = tool("account", "add", "--imap", HOST, "--smtp", HOST, "--address", ALICE,
                "--ca-file", CA, "--password-stdin", stdin=PASSWORD + "\n")
    case("account add", proc.returncode == 0, proc.stderr)

    proc = tool("sync", "--bodies")
    case("sync --bodies: exit 0", proc.returncode == 0, proc.stdout + proc.stderr)
    case("sync --bodies: plain progress lines without a terminal",
         "INBOX: headers" in proc.stdout and "\r" not in proc.stdout, proc.stdout)

    imap = connect()
    compare_all(imap, "first sync")

    rows, _ = local_messages("INBOX")
    case("list --json: exactly the documented keys, newest first",
         rows and all(list(row) == KEYS for row in rows)
         and [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True),
         rows[:2] if rows else "no rows")
    proc = tool("list", "INBOX", "--json", "--limit", "5")
    case("list --limit 5", len(proc.stdout.splitlines()) == 5, proc.stdout)

    # An unchanged resync: LIST-STATUS only, no SELECT and no FETCH.
    proc = tool("sync", debug="mail-sync")
    case("unchanged resync: no SELECT, no FETCH",
         proc.returncode == 0
         and re.search(r"0 SELECT/EXAMINE, 0 FETCH", proc.stdout + proc.stderr),
         (proc.stdout + proc.stderr)[-2000:])

    # Server-side changes: a flag, an expunge, a delivery, a move.
    imap.select("INBOX")
    uids = [int(u) for u in imap.uid("SEARCH", None, "ALL")[1][0].split()]
    flagged, expunged, moved = uids[0], uids[1], uids[2]
    imap.uid("STORE", str(flagged), "+FLAGS", "(\\Flagged \\Answered)")
    imap.uid("STORE", str(uids[3]), "-FLAGS", "(\\Seen)")
    imap.uid("STORE", str(expunged), "+FLAGS", "(\\Deleted)")
    imap.expunge()
    imap.uid("MOVE", str(moved), "Work")
    imap.close()
    imap.append("INBOX", None, None, new_message("A new delivery", "new-1@example.test"))

    proc = tool("sync", debug="mail-sync")
    case("resync after server-side changes: exit 0", proc.returncode == 0, proc.stderr[-2000:])
    compare_all(imap, "after changes")

    proc = tool("search", "zanzibarquux", "--json")
    found = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
    case("search: the new message, from the local index",
         proc.returncode == 0 and len(found) == 1 and found[0]["source"] == "local"
         and found[0]["subject"] == "A new delivery", proc.stdout + proc.stderr)

    proc = tool("show", "INBOX:%d" % uids[4])
    case("show FOLDER:UID prints the text", proc.returncode == 0 and "Subject:" in proc.stdout,
         proc.stdout + proc.stderr)

    # A UIDVALIDITY change: the folder recreated on the server.
    imap.select("Work", readonly=True)
    old_validity = imap.response("UIDVALIDITY")[1][0]
    imap.close()
    imap.delete("Work")
    imap.create("Work")
    imap.subscribe("Work")
    for n in range(3):
        imap.append("Work", None, None, new_message(f"Recreated {n}", f"recreated-{n}@example.test"))
    imap.select("Work", readonly=True)
    new_validity = imap.response("UIDVALIDITY")[1][0]
    imap.close()
    case("the server gave Work a new UIDVALIDITY", old_validity != new_validity)
    proc = tool("sync", debug="mail-sync")
    case("resync after the UIDVALIDITY change: exit 0", proc.returncode == 0, proc.stderr[-2000:])
    good, detail, _ = compare_folder(imap, "Work")
    case("Work refetched after its UIDVALIDITY changed", good, detail)

    # A folder deleted on the server goes locally too.
    imap.create("Gone")
    tool("sync")
    imap.delete("Gone")
    tool("sync")
    compare_all(imap, "after a folder was deleted")

    # Failure: a wrong password is an auth-failed error, exit 1.
    imap.logout()

    leaked = []
    for directory, _, files in os.walk(root):
        for name in files:
            with open(os.path.join(directory, name), "rb") as f:
                if PASSWORD.encode() in f.read():
                    leaked.append(os.path.join(directory, name))
    case("the password is in no file of the config, data and cache directories",
         not leaked, leaked)
finally:
    shutil.rmtree(root, ignore_errors=True)

print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
