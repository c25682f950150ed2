#!/usr/bin/env python3
"""mail-tool flag, move, delete and quota against the harness's Dovecot (run inside
tests/harness/mail-harness --corpus N): each action applied locally and on the server (checked
with imaplib), offline actions replayed by the next sync, a refused action rolled back, and the
quota. Prints TAP.
"""

import configparser
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

root = tempfile.mkdtemp(prefix="mail-sync-actions-")
env = dict(os.environ)
for name in ("config", "data", "cache"):
    env[f"XDG_{name.upper()}_HOME"] = os.path.join(root, name)
env.pop("G_MESSAGES_DEBUG", None)
results = []


def case(name, condition, detail=""):
    results.append(bool(condition))
    print(f"{'ok' if condition else 'not ok'} {len(results)} - {name}", flush=True)
    if not condition and detail:
        for line in str(detail).splitlines()[:30]:
            print(f"# {line}")


def tool(*args, stdin=""):
    return subprocess.run([TOOL, *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=300)


def connect():
    context = ssl.create_default_context(cafile=CA)
    imap = imaplib.IMAP4_SSL(HOST, 993, ssl_context=context)
    imap.login(ALICE, PASSWORD)
    return imap


def server(imap, folder):
    """UID -> (flags, Message-ID) of a folder on the server."""
    imap.select(f'"{folder}"', readonly=True)
    typ, data = imap.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    messages = {}
    for item in data:
        if not isinstance(item, tuple):
            continue
        meta = item[0].decode()
        uid = int(re.search(r"UID (\d+)", meta).group(1))
        flags = set(re.search(r"FLAGS \(([^)]*)\)", meta).group(1).split())
        mid = item[1].decode(errors="replace").split(":", 1)[-1].strip().strip("<>")
        messages[uid] = (flags, mid)
    imap.close()
    return messages


def local(folder):
    proc = tool("list", folder, "--json")
    return {row["uid"]: row for row in (json.loads(l) for l in proc.stdout.splitlines()
                                         if l.strip())}


def out(proc):
    return (proc.stdout + proc.stderr)[-2000:]


try:
    proc = tool("account", "add", "--imap", HOST, "--smtp", HOST, "--address", ALICE,
                "--ca-file", CA, "--password-stdin", stdin=PASSWORD + "\n")
    case("account add", proc.returncode == 0, proc.stderr)
    proc = tool("sync", "--headers-only")
    case("sync: exit 0", proc.returncode == 0, out(proc))

    imap = connect()
    inbox = server(imap, "INBOX")
    uids = sorted(inbox)

    # Flags, online.
    u = uids[0]
    proc = tool("flag", f"INBOX:{u}", "--read", "--star")
    flags = server(imap, "INBOX")[u][0]
    case("flag --read --star: exit 0, \\Seen and \\Flagged on the server",
         proc.returncode == 0 and {"\\Seen", "\\Flagged"} <= flags, out(proc) + str(flags))
    case("flag --read --star: the store too",
         {"\\Seen", "\\Flagged"} <= set(local("INBOX")[u]["flags"]), local("INBOX").get(u))
    proc = tool("flag", f"INBOX:{u}", "--unstar", "--unread", "--add", "$Label1")
    flags = server(imap, "INBOX")[u][0]
    case("flag --unstar --unread --add $Label1: on the server",
         proc.returncode == 0 and "\\Flagged" not in flags and "\\Seen" not in flags
         and "$Label1" in flags, out(proc) + str(flags))

    # Move, online: the new UID from COPYUID.
    u = uids[1]
    mid = inbox[u][1]
    proc = tool("move", f"INBOX:{u}", "Work")
    work = server(imap, "Work")
    moved = [w for w, (_, m) in work.items() if m == mid]
    case("move: exit 0, gone from INBOX and in Work on the server",
         proc.returncode == 0 and u not in server(imap, "INBOX") and len(moved) == 1,
         out(proc))
    case("move: the store has it in Work under its new UID",
         moved and moved[0] in local("Work") and u not in local("INBOX"), local("Work").keys())

    # Delete: to the Trash, then for good from the Trash.
    u = uids[2]
    mid = inbox[u][1]
    proc = tool("delete", f"INBOX:{u}")
    trash = server(imap, "Trash")
    trashed = [t for t, (_, m) in trash.items() if m == mid]
    case("delete: exit 0, moved to Trash on the server",
         proc.returncode == 0 and u not in server(imap, "INBOX") and len(trashed) == 1,
         out(proc) + str(trash))
    if trashed:
        proc = tool("delete", f"Trash:{trashed[0]}")
        case("delete in Trash: expunged on the server",
             proc.returncode == 0 and trashed[0] not in server(imap, "Trash")
             and trashed[0] not in local("Trash"), out(proc))
    else:
        case("delete in Trash: expunged on the server", False, "nothing in Trash")

    # Offline: queued, the server unchanged until the next sync.
    u, v = uids[3], uids[4]
    mid_v = inbox[v][1]
    p1 = tool("flag", f"INBOX:{u}", "--star", "--offline")
    p2 = tool("move", f"INBOX:{v}", "Work", "--offline")
    now = server(imap, "INBOX")
    case("--offline: exit 0, the server unchanged",
         p1.returncode == 0 and p2.returncode == 0 and "\\Flagged" not in now[u][0]
         and v in now, out(p1) + out(p2))
    case("--offline: the store changed", "\\Flagged" in local("INBOX")[u]["flags"]
         and v not in local("INBOX"))
    proc = tool("sync", "--headers-only")
    now = server(imap, "INBOX")
    work = server(imap, "Work")
    case("sync replays the queue: the server matches",
         proc.returncode == 0 and "\\Flagged" in now[u][0] and v not in now
         and any(m == mid_v for _, m in work.values()), out(proc))
    case("after the sync, INBOX matches the server",
         sorted(local("INBOX")) == sorted(now), f"{sorted(local('INBOX'))} {sorted(now)}")

    # Refused: a folder gone from the server since the last sync.
    imap.create("Doomed")
    tool("sync", "--headers-only")
    imap.delete("Doomed")
    u = uids[5]
    proc = tool("move", f"INBOX:{u}", "Doomed")
    case("move to a folder gone from the server: exit 1 with a clear message",
         proc.returncode == 1 and "refused to move the message from INBOX to Doomed" in proc.stderr
         and "undone" in proc.stderr,
         out(proc))
    case("the refused move is rolled back in the store",
         u in local("INBOX") and u in server(imap, "INBOX"), local("INBOX").keys())
    print("# " + proc.stderr.strip())

    # A queued action never reaches a folder recreated since (a new UIDVALIDITY): its UIDs
    # name other messages there.
    work = server(imap, "Work")
    w = sorted(work)[0]
    proc = tool("delete", f"Work:{w}", "--offline")
    case("delete --offline in Work: exit 0", proc.returncode == 0, out(proc))
    imap.delete("Work")
    imap.create("Work")
    imap.subscribe("Work")
    for n in range(3):
        imap.append("Work", None, None,
                    f"Subject: Recreated {n}\r\nMessage-ID: <re-{n}@example.test>\r\n\r\nx\r\n".encode())
    proc = tool("sync", "--headers-only")
    work = server(imap, "Work")
    case("sync after Work was recreated: the queued delete touched none of its new messages",
         proc.returncode == 0 and len(work) == 3
         and not any("\\Deleted" in f for f, _ in work.values()), out(proc) + str(work))

    # Quota (the harness's Dovecot has a 10M user quota).
    proc = tool("quota")
    case("quota: exit 0, usage and limit printed",
         proc.returncode == 0 and re.search(r"STORAGE: \d+ KiB of \d+ KiB used", proc.stdout),
         out(proc))
    case("quota: not nearly full yet", "nearly full" not in proc.stdout, proc.stdout)
    used, limit = map(int, re.search(r"STORAGE: (\d+) KiB of (\d+) KiB", proc.stdout).groups())
    big = b"Subject: Big\r\n\r\n" + (b"x" * 1022 + b"\r\n") * int(limit * 0.95 - used)
    typ, _ = imap.append("Junk", None, None, big)
    case("a big message fills the quota to 95 %", typ == "OK", typ)
    proc = tool("quota")
    case("quota: nearly full at 90 % or more",
         proc.returncode == 0 and "nearly full" in proc.stdout, out(proc))

    imap.logout()
finally:
    shutil.rmtree(root, ignore_errors=True)

print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
