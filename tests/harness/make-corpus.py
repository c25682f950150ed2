#!/usr/bin/python3
"""Fill a Maildir++ mailbox with generated, varied messages (deterministic per seed).

    make-corpus.py --maildir DIR --count N [--seed S] [--now EPOCH] [--to ADDR]

What it makes, spread over INBOX and the folders Archive, Sent, Drafts, Trash, Work:
plain text, HTML-only, multipart/alternative, multipart/related with an inline image,
attachments (small PDFs, PNGs, text and CSV files, names with non-ASCII characters),
RFC 2047 encoded subjects and names (German, Japanese, Greek, Cyrillic, emoji), some
bodies in ISO-8859-1 and ISO-2022-JP, threads with In-Reply-To/References, mailing
list headers, dates over the two years before --now (default: today 00:00 UTC), seen/
flagged/answered/draft flags in the Maildir file names, unseen mail in new/, and one
message of about 2 MB.  The same seed and --now give byte-identical files.
"""

import argparse
import email.policy
import os
import random
import re
import struct
import time
import zlib
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone

FOLDERS = [("INBOX", 70), ("Archive", 10), ("Sent", 8), ("Work", 6), ("Trash", 4),
           ("Drafts", 2)]

PEOPLE = [
    ("Bob Builder", "bob@example.test"),
    ("Jürgen Müller", "juergen.mueller@example.org"),
    ("Zoë Ångström", "zoe@example.org"),
    ("山田 太郎", "yamada@example.net"),
    ("佐藤 花子", "hanako.sato@example.net"),
    ("Renée Lefèvre", "renee@example.com"),
    ("Łukasz Żółkiewski", "lukasz@example.org"),
    ("Σοφία Παπαδοπούλου", "sofia@example.net"),
    ("Иван Петров", "ivan.petrov@example.org"),
    ("Carol O'Brien", "carol@example.com"),
    ("Dave \"The Dev\" Smith", "dave@example.com"),
    ("🚀 Launch Team", "launch@example.com"),
    ("Erik Sørensen", "erik@example.net"),
    ("François Dubois", "francois@example.com"),
    ("María José García", "mjgarcia@example.org"),
]
LISTS = [
    ("dev-list", "dev-list@lists.example.org", "Development discussion"),
    ("announce", "announce@lists.example.org", "Announcements 📣"),
    ("benutzer", "benutzer@lists.example.de", "Benutzerforum für Fragen"),
]
NOTIFIERS = [("CI Server", "ci@build.example.com"), ("Newsletter 📬", "news@example.org")]

SUBJECTS = [
    "Quarterly report Q{n}", "Meeting notes from {day}", "Lunch on {day}?",
    "Grüße aus München", "Straßensperrung – Umleitung ab Montag", "Übersicht der Änderungen",
    "会議の議事録（{n}月）", "週末の予定について", "見積書の送付", "🎉 Party on Friday!",
    "Café ☕ tomorrow?", "Invoice #{n} due", "Build #{n} failed on main", "Your order has shipped",
    "Ваш заказ №{n} отправлен", "Σημειώσεις συνάντησης", "Travel plans ✈️ for {day}",
    "Re-org of the shared drive", "Photos from the trip 📷", "Question about the API",
    "A very long subject line that keeps going well past the seventy-eight character limit "
    "so that it has to be folded", "Déjà vu: the same bug again", "Påminnelse: möte {day}",
]
WORDS_EN = ("the a project meeting schedule report update please review attached draft "
            "budget deadline team next week thanks again sync release server client "
            "folder message list thread search index cache performance design feedback "
            "question answer tomorrow morning afternoon office plan idea").split()
WORDS_DE = ("die der das Projekt Besprechung Termin Bericht bitte prüfen Anhang Entwurf "
            "Grüße Woche danke Änderung Größe Straße schön Übersicht morgen früh").split()
JA_SENTENCES = ["お疲れ様です。", "資料を添付しましたのでご確認ください。", "来週の会議について連絡します。",
                "よろしくお願いいたします。", "予定が変更になりました。", "明日の午後はいかがでしょうか。"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


# --------------------------------------------------------------------------- content

def addr(person):
    name, address = person
    return Address(display_name=name, addr_spec=address)


def sentence(rng, words):
    n = rng.randint(6, 16)
    s = " ".join(rng.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", "!"])


def paragraphs(rng, lang, count):
    if lang == "ja":
        return ["".join(rng.choice(JA_SENTENCES) for _ in range(rng.randint(2, 5)))
                for _ in range(count)]
    words = WORDS_DE if lang == "de" else WORDS_EN
    return [" ".join(sentence(rng, words) for _ in range(rng.randint(2, 6)))
            for _ in range(count)]


def html_of(paras, rng):
    items = "".join("<p>%s</p>\n" % p for p in paras)
    style = rng.choice(["font-family: sans-serif", "color: #333; font-size: 14px", ""])
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n'
            '<body style="%s">\n%s<p><b>Best</b>, <i>regards</i> &mdash; '
            '<a href="https://example.org/">example.org</a></p>\n'
            '<img src="https://tracker.example.com/pixel.gif" width="1" height="1" alt="">\n'
            "</body></html>\n" % (style, items))


def make_png(rng, width=48, height=32):
    """A small valid PNG: a colour gradient."""
    r0, g0, b0 = rng.randrange(256), rng.randrange(256), rng.randrange(256)
    rows = b""
    for y in range(height):
        rows += b"\0" + b"".join(bytes(((r0 + x * 4) % 256, (g0 + y * 6) % 256, b0))
                                 for x in range(width))

    def chunk(tag, data):
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def make_pdf(text):
    """A minimal valid one-page PDF showing one line of (ASCII) text."""
    text = text.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


def attachments(rng, n):
    kinds = [
        ("application", "pdf", lambda: make_pdf("Invoice %d" % n),
         rng.choice(["invoice-%d.pdf" % n, "Übersicht %d.pdf" % n, "報告書.pdf"])),
        ("image", "png", lambda: make_png(rng),
         rng.choice(["photo-%d.png" % n, "写真_%d.png" % n, "chart.png"])),
        ("text", "plain", lambda: "\n".join(paragraphs(rng, "en", 3)) + "\n",
         rng.choice(["notes.txt", "README.txt", "Änderungen.txt"])),
        ("text", "csv", lambda: "id,name,amount\n" + "".join(
            "%d,item %d,%d.%02d\n" % (i, i, rng.randint(1, 999), rng.randint(0, 99))
            for i in range(rng.randint(3, 30))), "data-%d.csv" % n),
    ]
    return [rng.choice(kinds) for _ in range(rng.randint(1, 3))]


# --------------------------------------------------------------------------- messages

class Corpus:
    def __init__(self, seed, now, to_addr, count):
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = now
        self.count = count
        self.me = ("Alice Example", to_addr)
        self.serial = 0

    def msgid(self):
        self.serial += 1
        return "<corpus.%d.%d.%08x@mail.example.org>" % (self.seed, self.serial,
                                                         self.rng.getrandbits(32))

    def subject(self):
        return self.rng.choice(SUBJECTS).format(n=self.rng.randint(1, 999),
                                                day=self.rng.choice(DAYS))

    def body_parts(self, msg, kind, lang, quoted=None):
        rng = self.rng
        paras = paragraphs(rng, lang, rng.randint(1, 5))
        text = "\n\n".join(paras) + "\n\n-- \nSent from the mail corpus generator\n"
        if quoted:
            text += "\n" + "".join("> " + line + "\n" for line in quoted.splitlines()[:8])
        charset = "utf-8"
        if lang == "de" and rng.random() < 0.4:
            charset = "iso-8859-1"
        elif lang == "ja" and rng.random() < 0.4:
            charset = "iso-2022-jp"
        try:
            text.encode(charset)
        except UnicodeEncodeError:  # e.g. a German reply quoting Japanese
            charset = "utf-8"
        if kind == "html":
            msg.set_content(html_of(paras, rng), subtype="html")
        elif kind in ("alternative", "related"):
            msg.set_content(text, charset=charset if charset != "iso-2022-jp" else "utf-8")
            msg.add_alternative(html_of(paras, rng) if kind == "alternative" else
                                html_of(paras, rng).replace(
                                    "</body>", '<p><img src="cid:logo@corpus"></p></body>'),
                                subtype="html")
            if kind == "related":
                html_part = msg.get_payload()[1]
                html_part.add_related(make_png(rng, 64, 16), "image", "png", cid="<logo@corpus>",
                                      filename="logo.png")
        else:
            msg.set_content(text, charset=charset)
        return text

    def build(self, folder, date, parent=None):
        """One message for `folder` (parent: (msgid, references, subject, text) to reply to)."""
        rng = self.rng
        msg = EmailMessage()
        outgoing = folder in ("Sent", "Drafts")
        other = rng.choice(PEOPLE)
        sender, recipient = (self.me, other) if outgoing else (other, self.me)
        listinfo = None
        if not outgoing and parent is None and rng.random() < 0.12:
            listinfo = rng.choice(LISTS)
        elif not outgoing and parent is None and rng.random() < 0.05:
            sender = rng.choice(NOTIFIERS)

        msg["From"] = addr(sender)
        if listinfo:
            msg["To"] = Address(listinfo[2], addr_spec=listinfo[1])
        else:
            msg["To"] = addr(recipient)
            if rng.random() < 0.2:
                msg["Cc"] = [addr(p) for p in rng.sample(PEOPLE, rng.randint(1, 3))]
        if parent:
            subject = parent[2] if parent[2].startswith("Re: ") else "Re: " + parent[2]
        else:
            subject = self.subject()
            if listinfo:
                subject = "[%s] %s" % (listinfo[0], subject)
        msg["Subject"] = subject
        msg["Date"] = format_datetime(datetime.fromtimestamp(date, timezone.utc))
        mid = self.msgid()
        msg["Message-ID"] = mid
        refs = ""
        if parent:
            msg["In-Reply-To"] = parent[0]
            refs = (parent[1] + " " + parent[0]).strip()
            msg["References"] = refs
        if listinfo:
            name, list_addr, descr = listinfo
            msg["List-Id"] = "%s <%s>" % (descr, list_addr.replace("@", "."))
            msg["List-Post"] = "<mailto:%s>" % list_addr
            msg["List-Unsubscribe"] = ("<mailto:%s?subject=unsubscribe>, "
                                       "<https://lists.example.org/u/%s>" % (list_addr, name))
            msg["List-Archive"] = "<https://lists.example.org/archive/%s/>" % name
            msg["Precedence"] = "list"
        if rng.random() < 0.05:
            msg["Reply-To"] = Address("No Reply", addr_spec="noreply@example.org")
        msg["X-Corpus-Serial"] = str(self.serial)

        lang = rng.choices(["en", "de", "ja"], [6, 3, 2])[0]
        kind = rng.choices(["plain", "alternative", "html", "related"], [50, 30, 15, 5])[0]
        quoted = parent[3] if parent else None
        text = self.body_parts(msg, kind, lang, quoted)
        if rng.random() < 0.15:
            for maintype, subtype, data, filename in attachments(rng, self.serial):
                payload = data()
                if isinstance(payload, str):
                    msg.add_attachment(payload, subtype=subtype, filename=filename)
                else:
                    msg.add_attachment(payload, maintype=maintype, subtype=subtype,
                                       filename=filename)
        data = self.serialize(msg)
        if lang == "de" and not parent and not subject.isascii() and rng.random() < 0.5:
            data = self.latin1_subject(data, subject)
        return data, (mid, refs, subject, text)

    def serialize(self, msg):
        # The email package draws MIME boundaries from the global random module: set
        # them from our generator so that a seed always gives the same bytes.
        for part in msg.walk():
            if part.is_multipart():
                part.set_boundary("=_corpus_%016x" % self.rng.getrandbits(64))
        return msg.as_bytes(policy=email.policy.default)

    @staticmethod
    def latin1_subject(data, subject):
        """Re-encode the Subject as ISO-8859-1 encoded words (as older clients send)."""
        try:
            encoded = Header(subject, "iso-8859-1").encode()
        except UnicodeEncodeError:
            return data
        head, sep, body = data.partition(b"\n\n")
        head = re.sub(rb"(?m)^Subject:.*(\n[ \t].*)*$",
                      lambda m: b"Subject: " + encoded.encode("ascii"), head, count=1)
        return head + sep + body

    def big(self, date):
        """The ~2 MB message: a large (deterministic, incompressible) attachment."""
        msg = EmailMessage()
        msg["From"] = Address("Bob Builder", addr_spec="bob@example.test")
        msg["To"] = addr(self.me)
        msg["Subject"] = "Large scan attached (2 MB)"
        msg["Date"] = format_datetime(datetime.fromtimestamp(date, timezone.utc))
        msg["Message-ID"] = self.msgid()
        msg.set_content("Here is the full-resolution scan.\n")
        blob = self.rng.randbytes(1_500_000)
        msg.add_attachment(blob, maintype="application", subtype="octet-stream",
                           filename="scan-full-resolution.bin")
        return self.serialize(msg)


# --------------------------------------------------------------------------- Maildir

def maildir_dirs(root, folder):
    path = root if folder == "INBOX" else os.path.join(root, "." + folder)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    if folder != "INBOX":
        open(os.path.join(path, "maildirfolder"), "a").close()
    return path


def store(root, folder, data, date, flags, serial, unseen_new):
    path = maildir_dirs(root, folder)
    base = "%d.M%dP0.corpus,S=%d" % (int(date), serial, len(data))
    if unseen_new:
        name = os.path.join(path, "new", base)
    else:
        name = os.path.join(path, "cur", base + ":2," + "".join(sorted(flags)))
    with open(name, "wb") as f:
        f.write(data)
    os.utime(name, (date, date))  # Dovecot takes INTERNALDATE from the mtime


def generate(args):
    now = args.now
    c = Corpus(args.seed, now, args.to, args.count)
    rng = c.rng
    span = 730 * 86400
    # Dates first, oldest to newest, so that replies can follow their parents.
    dates = sorted(now - rng.random() * span for _ in range(args.count))
    threads = {}  # folder -> list of (parent info, date) reply candidates
    big_index = int(args.count * 0.8) if args.count >= 20 else None
    folder_names = [f for f, _ in FOLDERS]
    folder_weights = [w for _, w in FOLDERS]
    written = 0
    for i, date in enumerate(dates):
        if i == big_index:
            store(args.maildir, "INBOX", c.big(date), date, "S", c.serial, False)
            written += 1
            continue
        folder = rng.choices(folder_names, folder_weights)[0]
        parent = None
        pool = threads.setdefault(folder if folder != "Sent" else "INBOX", [])
        if pool and rng.random() < 0.3:
            parent = rng.choice(pool[-15:])
        data, info = c.build(folder, date, parent)
        pool.append(info)
        recent = i >= args.count * 0.9  # the newest tenth is partly unread
        flags = set()
        unseen_new = False
        if folder == "Drafts":
            flags.update("DS")
        elif folder in ("Sent", "Trash", "Archive"):
            flags.add("S")
        elif not recent or rng.random() < 0.4:
            flags.add("S")
        elif rng.random() < 0.5:
            unseen_new = True  # not even seen by a client yet: new/ without flags
        if "S" in flags and rng.random() < 0.08:
            flags.add("F")
        if folder == "INBOX" and "S" in flags and rng.random() < 0.12:
            flags.add("R")
        store(args.maildir, folder, data, date, flags, c.serial, unseen_new)
        written += 1
    # Make every folder exist even if the dice never chose it, and subscribe them.
    for folder in folder_names:
        maildir_dirs(args.maildir, folder)
    with open(os.path.join(args.maildir, "subscriptions"), "w") as f:
        f.write("".join(name + "\n" for name in folder_names if name != "INBOX"))
    return written


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--maildir", required=True, help="Maildir root (INBOX); created")
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--now", type=float,
                    help="reference time, seconds since the epoch (default: today 00:00 UTC)")
    ap.add_argument("--to", default="alice@example.test", help="the mailbox owner's address")
    args = ap.parse_args()
    if args.now is None:
        args.now = float(int(time.time()) // 86400 * 86400)
    n = generate(args)
    print("make-corpus: wrote %d messages to %s" % (n, args.maildir))


if __name__ == "__main__":
    main()
