"""`mail-harness selftest`: start everything, talk to every service, stop, check that
nothing is left.  Prints TAP (the plan comes last) for meson's `protocol: 'tap'`."""

import base64
import glob
import os
import shutil
import tempfile
import signal
import socket
import ssl
import subprocess
import sys
import time
import traceback

from . import layout
from .clients import LineClient, dns_lookup, http_get, tls_context
from .harness import Harness
from .process import StartError, descendants, proc_start_time, tcp_listening

TIMEOUT = 5.0


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def result(self, ok, name, diag=None):
        self.count += 1
        if not ok:
            self.failed += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.count, name))
        if diag:
            for line in str(diag).rstrip().splitlines():
                print("# " + line)
        sys.stdout.flush()

    def check(self, name, fn, *args):
        """Run fn(*args); it passes unless it raises.  A returned string is a note."""
        t0 = time.monotonic()
        try:
            note = fn(*args)
        except AssertionError as e:
            self.result(False, name, str(e) or traceback.format_exc())
            return False
        except Exception as e:
            # The failing line of the check and the error; not the whole stack.
            frames = [f for f in traceback.extract_tb(e.__traceback__)
                      if f.filename.endswith("selftest.py")]
            where = "%s line %d: %s" % (frames[-1].name, frames[-1].lineno, frames[-1].line) \
                if frames else ""
            self.result(False, name, "%s\n%s: %s" % (where, type(e).__name__, e))
            return False
        ms = (time.monotonic() - t0) * 1000
        self.result(True, "%s (%.0f ms)" % (name, ms), note if isinstance(note, str) else None)
        return True

    def finish(self):
        print("1..%d" % self.count)
        sys.stdout.flush()


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def auth_plain(user, password):
    return base64.b64encode(("\0%s\0%s" % (user, password)).encode()).decode()


class Checks:
    def __init__(self, h):
        self.h = h
        self.a = h.addresses
        self.run = h.run
        self.ca = h.run.ca_file
        self.ctx = tls_context(self.ca)
        self.token = "selftest-%d-%d" % (os.getpid(), int(time.time()))

    # ------------------------------------------------------------------ DNS

    def dns_a(self):
        for name, address in self.a.host_records():
            rcode, answers = dns_lookup(self.a.dns, name, "A")
            expect(answers == [address], "A %s: %s %r, want %s" % (name, rcode, answers, address))

    def dns_mx(self):
        rcode, answers = dns_lookup(self.a.dns, "example.test", "MX")
        expect(answers == [(10, "mail.example.test")], "MX example.test: %s %r" % (rcode, answers))

    def dns_srv(self):
        for label, port in (("_imaps._tcp", 993), ("_imap._tcp", 143), ("_pop3s._tcp", 995),
                            ("_pop3._tcp", 110), ("_submissions._tcp", 465),
                            ("_submission._tcp", 587)):
            name = label + ".example.test"
            rcode, answers = dns_lookup(self.a.dns, name, "SRV")
            expect(len(answers) == 1 and answers[0][2:] == (port, "mail.example.test"),
                   "SRV %s: %s %r" % (name, rcode, answers))

    def dns_nxdomain(self):
        rcode, answers = dns_lookup(self.a.dns, "nothing-here.example.test", "A")
        expect(rcode == "NXDOMAIN" and not answers, "got %s %r" % (rcode, answers))
        rcode, _ = dns_lookup(self.a.dns, "other.test", "A")
        expect(rcode == "NXDOMAIN", "other.test: %s" % rcode)

    # ------------------------------------------------------------------ IMAP

    def imap_tls(self):
        c = LineClient(self.a.mail, 993, "mail.example.test", self.ctx, TIMEOUT)
        try:
            greeting = c.readline()
            expect(greeting.startswith("* OK"), "greeting: " + greeting)
            _, st = c.imap('LOGIN "alice@example.test" "alice-password"')
            expect(st.startswith("OK"), "LOGIN: " + st)
            lines, st = c.imap("CAPABILITY")
            caps = set(" ".join(lines).upper().split())
            for cap in ("IMAP4REV1", "IDLE", "QUOTA", "MOVE", "CONDSTORE", "QRESYNC",
                        "SPECIAL-USE", "UIDPLUS", "ENABLE", "LIST-STATUS", "NAMESPACE"):
                expect(cap in caps, "CAPABILITY lacks %s: %s" % (cap, lines))
            lines, st = c.imap('LIST "" "*" RETURN (SPECIAL-USE)')
            text = "\n".join(lines)
            for use in ("\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive"):
                expect(use in text, "LIST lacks %s:\n%s" % (use, text))
            lines, st = c.imap("GETQUOTAROOT INBOX")
            expect(any("STORAGE" in l and "10240" in l for l in lines),
                   "GETQUOTAROOT: %s %s" % (lines, st))
            c.imap("LOGOUT")
        finally:
            c.close()

    def imap_starttls(self):
        c = LineClient(self.a.mail, 143, timeout=TIMEOUT)
        try:
            c.readline()
            lines, _ = c.imap("CAPABILITY")
            caps = " ".join(lines).upper()
            expect("STARTTLS" in caps and "LOGINDISABLED" in caps,
                   "before TLS: " + caps)
            _, st = c.imap('LOGIN "bob@example.test" "bob-password"')
            expect(st.startswith("NO") or st.startswith("BAD"), "plaintext LOGIN: " + st)
            _, st = c.imap("STARTTLS")
            expect(st.startswith("OK"), "STARTTLS: " + st)
            c.starttls(self.ctx, "imap.example.test")
            _, st = c.imap('LOGIN "bob@example.test" "bob-password"')
            expect(st.startswith("OK"), "LOGIN after TLS: " + st)
            c.imap("LOGOUT")
        finally:
            c.close()

    def imap_bad_password(self):
        c = LineClient(self.a.mail, 993, "mail.example.test", self.ctx, TIMEOUT)
        try:
            c.readline()
            _, st = c.imap('LOGIN "alice@example.test" "wrong"')
            expect(st.startswith("NO") and "AUTHENTICATIONFAILED" in st, st)
        finally:
            c.close()
        log = open(self.run.log("dovecot"), encoding="utf-8", errors="replace").read()
        expect("alice@example.test" in log and "Password mismatch" in log,
               "auth_verbose did not log the failure")

    # ------------------------------------------------------------------ POP3

    def pop3_tls(self):
        c = LineClient(self.a.mail, 995, "pop3.example.test", self.ctx, TIMEOUT)
        try:
            expect(c.readline().startswith("+OK"), "greeting")
            for cmd in ("USER alice@example.test", "PASS alice-password"):
                st, _ = c.pop3(cmd)
                expect(st.startswith("+OK"), "%s: %s" % (cmd.split()[0], st))
            st, _ = c.pop3("STAT")
            expect(st.startswith("+OK"), "STAT: " + st)
            c.pop3("QUIT")
        finally:
            c.close()

    def pop3_stls(self):
        c = LineClient(self.a.mail, 110, timeout=TIMEOUT)
        try:
            c.readline()
            st, caps = c.pop3("CAPA", multiline=True)
            expect("STLS" in caps, "CAPA before TLS: %s" % caps)
            st, _ = c.pop3("USER bob@example.test")
            expect(st.startswith("-ERR"), "USER before TLS accepted: " + st)
            st, _ = c.pop3("STLS")
            expect(st.startswith("+OK"), "STLS: " + st)
            c.starttls(self.ctx, "pop.example.test")
            for cmd in ("USER bob@example.test", "PASS bob-password"):
                st, _ = c.pop3(cmd)
                expect(st.startswith("+OK"), "%s: %s" % (cmd.split()[0], st))
            c.pop3("QUIT")
        finally:
            c.close()

    # ------------------------------------------------------------------ SMTP

    def _ehlo(self, c):
        code, lines = c.smtp("EHLO selftest.example.test")
        expect(code == 250, "EHLO: %d %s" % (code, lines))
        return [l.upper() for l in lines]

    def smtp_submission(self):
        c = LineClient(self.a.mail, 587, timeout=TIMEOUT)
        try:
            code, _ = c.smtp_reply()
            expect(code == 220, "greeting %d" % code)
            ext = self._ehlo(c)
            expect("STARTTLS" in ext, "no STARTTLS: %s" % ext)
            expect(not any(e.startswith("AUTH") for e in ext), "AUTH offered before TLS")
            code, _ = c.smtp("MAIL FROM:<alice@example.test>")
            expect(code == 530, "MAIL before STARTTLS: %d (want 530)" % code)
            code, _ = c.smtp("STARTTLS")
            expect(code == 220, "STARTTLS %d" % code)
            c.starttls(self.ctx, "smtp.example.test")
            ext = self._ehlo(c)
            expect(any(e.startswith("AUTH") and "PLAIN" in e for e in ext), "no AUTH: %s" % ext)
            code, _ = c.smtp("MAIL FROM:<alice@example.test>")
            expect(code == 250, "MAIL %d" % code)
            code, _ = c.smtp("RCPT TO:<bob@example.test>")
            expect(code >= 500, "unauthenticated RCPT accepted: %d" % code)
            c.smtp("RSET")
            code, lines = c.smtp("AUTH PLAIN " + auth_plain("alice@example.test",
                                                            "alice-password"))
            expect(code == 235, "AUTH PLAIN %d %s" % (code, lines))
            for cmd in ("MAIL FROM:<alice@example.test>", "RCPT TO:<bob@example.test>"):
                code, lines = c.smtp(cmd)
                expect(code == 250, "%s: %d %s" % (cmd, code, lines))
            code, _ = c.smtp("DATA")
            expect(code == 354, "DATA %d" % code)
            msg = ("From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>\r\n"
                   "Subject: %s\r\nMessage-ID: <%s@selftest.example.test>\r\n\r\n"
                   "Hello Bob.\r\n.\r\n" % (self.token, self.token))
            c.send_raw(msg.encode())
            code, lines = c.smtp_reply()
            expect(code == 250, "end of DATA: %d %s" % (code, lines))
            c.smtp("QUIT")
        finally:
            c.close()

    def smtp_submissions(self):
        c = LineClient(self.a.mail, 465, "smtp.example.test", self.ctx, TIMEOUT)
        try:
            code, _ = c.smtp_reply()
            expect(code == 220, "greeting %d" % code)
            ext = self._ehlo(c)
            expect(any(e.startswith("AUTH") for e in ext), "no AUTH: %s" % ext)
            code, _ = c.smtp("AUTH PLAIN " + auth_plain("bob@example.test", "wrong"))
            expect(code == 535, "bad password: %d" % code)
            code, _ = c.smtp("AUTH PLAIN " + auth_plain("alice@example.test", "alice-password"))
            expect(code == 235, "AUTH PLAIN %d" % code)
            c.smtp("MAIL FROM:<alice@example.test>")
            code, _ = c.smtp("RCPT TO:<nobody-here@example.test>")
            expect(code == 550, "unknown local user: %d (want 550)" % code)
            code, _ = c.smtp("RCPT TO:<someone@example.org>")
            expect(code == 250, "external recipient (discarded): %d" % code)
            c.smtp("RSET")
            c.smtp("QUIT")
        finally:
            c.close()

    def delivery(self):
        maildir = self.run.maildir("bob@example.test")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for path in glob.glob(os.path.join(maildir, "new", "*")) + \
                    glob.glob(os.path.join(maildir, "cur", "*")):
                try:
                    with open(path, "rb") as f:
                        if self.token.encode() in f.read():
                            return "in %s" % os.path.relpath(path, self.run.root)
                except OSError:
                    pass
            time.sleep(0.05)
        raise AssertionError("message %s not in %s after 10 s" % (self.token, maildir))

    def delivery_imap(self):
        c = LineClient(self.a.mail, 993, "mail.example.test", self.ctx, TIMEOUT)
        try:
            c.readline()
            c.imap('LOGIN "bob@example.test" "bob-password"')
            c.imap("SELECT INBOX")
            lines, st = c.imap('SEARCH HEADER Subject "%s"' % self.token)
            hits = [l for l in lines if l.startswith("* SEARCH") and len(l.split()) > 2]
            expect(hits, "SEARCH: %s %s" % (lines, st))
        finally:
            c.close()

    # ------------------------------------------------------------------ HTTPS

    def https_autoconfig(self):
        for host, path in (("autoconfig.example.test", "/mail/config-v1.1.xml"),
                           ("example.test", "/.well-known/autoconfig/mail/config-v1.1.xml"
                                            "?emailaddress=alice%40example.test")):
            status, body = http_get(self.a.https, host, path, ca_file=self.ca)
            expect(status == 200 and b"<clientConfig" in body and b"mail.example.test" in body,
                   "%s%s: %d" % (host, path, status))
        status, _ = http_get(self.a.https, "autoconfig.example.test", "/missing", ca_file=self.ca)
        expect(status == 404, "missing file: %d" % status)
        status, _ = http_get(self.a.https, "autoconfig.example.test", "/mail/config-v1.1.xml",
                             port=80, tls=False)
        expect(status == 200, "plain HTTP: %d" % status)
        log = open(self.run.log("https"), encoding="utf-8").read()
        expect("https GET example.test /.well-known/autoconfig/mail/config-v1.1.xml"
               "?emailaddress=alice%40example.test 200" in log, "request log:\n" + log)

    # ------------------------------------------------------------------ keyring

    def _dbus(self, *args):
        kw = {}
        u = self.h.as_user
        if u is not None:
            kw.update(user=u.pw_uid, group=u.pw_gid)
        r = subprocess.run(["dbus-send", "--bus=unix:path=" + self.run.bus_socket,
                            "--print-reply"] + list(args), capture_output=True, text=True,
                           timeout=TIMEOUT, **kw)
        expect(r.returncode == 0, "dbus-send %s: %s" % (args[1], r.stderr))
        return r.stdout

    def keyring(self):
        out = self._dbus("--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets")
        expect("boolean true" in out, out)
        out = self._dbus("--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
                         "org.freedesktop.Secret.Service.ReadAlias", "string:default")
        expect("/org/freedesktop/secrets/collection/login" in out, "default alias: " + out)
        out = self._dbus("--dest=org.freedesktop.secrets",
                         "/org/freedesktop/secrets/collection/login",
                         "org.freedesktop.DBus.Properties.Get",
                         "string:org.freedesktop.Secret.Collection", "string:Locked")
        expect("boolean false" in out, "login collection is locked: " + out)

    # ------------------------------------------------------------------ bad certificates

    def bad_cert(self, address, host, code):
        sock = socket.create_connection((address, 993), timeout=TIMEOUT)
        try:
            self.ctx.wrap_socket(sock, server_hostname=host)
        except ssl.SSLCertVerificationError as e:
            expect(e.verify_code == code, "verify_code %d (%s), want %d" %
                   (e.verify_code, e.verify_message, code))
            return e.verify_message
        finally:
            sock.close()
        raise AssertionError("certificate of %s was accepted" % host)

    def tarpit(self):
        socks = {p: socket.create_connection((self.a.silent, p), timeout=TIMEOUT)
                 for p in layout.TARPIT_PORTS}
        try:
            for s in socks.values():
                s.sendall(b"EHLO hello\r\n")
            time.sleep(0.3)
            for port, s in socks.items():
                s.setblocking(False)
                try:
                    data = s.recv(1)
                    raise AssertionError("port %d said %r" % (port, data))
                except BlockingIOError:
                    pass
        finally:
            for s in socks.values():
                s.close()

    def blackhole(self):
        import select
        socks = []
        try:
            for port in layout.BLACKHOLE_PORTS:
                sock = socket.socket()
                sock.setblocking(False)
                socks.append(sock)
                sock.connect_ex((self.a.blackhole, port))
            _, done, failed = select.select([], socks, socks, 0.4)
            expect(not done and not failed, "%d of %d ports answered the SYN"
                   % (len(set(done) | set(failed)), len(socks)))
        finally:
            for sock in socks:
                sock.close()

    def refused(self):
        try:
            socket.create_connection((self.a.refused, 993), timeout=TIMEOUT).close()
        except ConnectionRefusedError:
            return
        raise AssertionError("refused.example.test accepted a connection")

    # ------------------------------------------------------------------ --cert-name, --user,
    # placeholders in --dns-extra and --www, FILE.delay (selftest adds its own, see below)

    def extra_dns(self):
        rcode, answers = dns_lookup(self.a.dns, "imap.selftest-other.test", "A")
        expect(answers == [self.a.mail], "A imap.selftest-other.test: %s %r" % (rcode, answers))
        rcode, answers = dns_lookup(self.a.dns, "autoconfig.xn--bcher-kva.test", "A")
        expect(answers == [self.a.https], "A autoconfig.xn--bcher-kva.test: %r" % answers)
        rcode, answers = dns_lookup(self.a.dns, "_imaps._tcp.selftest-other.test", "SRV")
        expect(answers == [(0, 1, 993, "imap.selftest-other.test")], "SRV: %r" % answers)
        rcode, answers = dns_lookup(self.a.dns, "_pop3._tcp.selftest-other.test", "SRV")
        expect(len(answers) == 1 and answers[0][3] == ".", "SRV not offered: %r" % answers)

    def extra_cert_names(self):
        for address, port, name in ((self.a.mail, 993, "imap.selftest-other.test"),
                                    (self.a.mail, 465, "smtp.selftest-other.test"),
                                    (self.a.https, 443, "autoconfig.xn--bcher-kva.test")):
            sock = socket.create_connection((address, port), timeout=TIMEOUT)
            try:
                self.ctx.wrap_socket(sock, server_hostname=name).close()
            finally:
                sock.close()

    def extra_users_imap(self):
        for login, password in SELFTEST_USERS:
            c = LineClient(self.a.mail, 993, "imap.selftest-other.test", self.ctx, TIMEOUT)
            try:
                c.readline()
                _, st = c.imap('LOGIN "%s" "%s"' % (login, password))
                expect(st.startswith("OK"), "LOGIN %s: %s" % (login, st))
                _, st = c.imap("SELECT INBOX")
                expect(st.startswith("OK"), "SELECT as %s: %s" % (login, st))
                c.imap("LOGOUT")
            finally:
                c.close()

    def extra_users_smtp(self):
        for login, password in SELFTEST_USERS:
            c = LineClient(self.a.mail, 465, "smtp.selftest-other.test", self.ctx, TIMEOUT)
            try:
                c.smtp_reply()
                self._ehlo(c)
                code, lines = c.smtp("AUTH PLAIN " + auth_plain(login, password))
                expect(code == 235, "AUTH PLAIN %s: %d %s" % (login, code, lines))
                c.smtp("QUIT")
            finally:
                c.close()

    def extra_www(self):
        status, body = http_get(self.a.https, "autoconfig.xn--bcher-kva.test",
                                "/mail/address.txt", ca_file=self.ca)
        expect(status == 200 and body.strip() == self.a.mail.encode(),
               "placeholder in --www: %d %r" % (status, body))
        t0 = time.monotonic()
        status, body = http_get(self.a.https, "autoconfig.xn--bcher-kva.test",
                                "/mail/slow.txt?x=1", ca_file=self.ca)
        took = time.monotonic() - t0
        expect(status == 200 and body == b"slow\n" and 0.5 <= took < 3,
               "slow.txt: %d %r after %.2f s" % (status, body, took))
        status, body = http_get(self.a.https, "autoconfig.xn--bcher-kva.test",
                                "/mail/moved.txt", ca_file=self.ca)
        expect(status == 302, "moved.txt: %d (want 302)" % status)
        return "slow.txt answered after %.2f s" % took

    def no_wildcard_listeners(self):
        ports = [993, 143, 995, 110, 465, 587, 443, 80]
        bad = [p for p in ports if tcp_listening("0.0.0.0", p)]
        expect(not bad, "something listens on 0.0.0.0 ports %s" % bad)


# What selftest adds to the options, to check --user, --cert-name, the placeholders of
# --dns-extra and --www, and FILE.delay.
SELFTEST_USERS = [("carol", "carol-password"), ("dave@selftest-other.test", "dave-password"),
                  ("dora@bücher.test", "dora-password")]
SELFTEST_CERT_NAMES = ["imap.selftest-other.test", "smtp.selftest-other.test",
                       "autoconfig.bücher.test"]
SELFTEST_DNS = """\
host-record=imap.selftest-other.test,@MAIL_ADDRESS@
host-record=autoconfig.xn--bcher-kva.test,@WEB_ADDRESS@
srv-host=_imaps._tcp.selftest-other.test,imap.selftest-other.test,993,0,1
srv-host=_pop3._tcp.selftest-other.test
"""


def _selftest_inputs(options, tmp):
    dns = os.path.join(tmp, "selftest.conf")
    with open(dns, "w") as f:
        f.write(SELFTEST_DNS)
    www = os.path.join(tmp, "www")
    mail = os.path.join(www, "autoconfig.xn--bcher-kva.test", "mail")
    os.makedirs(mail)
    for name, text in (("address.txt", "@MAIL_ADDRESS@\n"), ("slow.txt", "slow\n"),
                       ("slow.txt.delay", "0.6\n"),
                       ("moved.txt.redirect", "https://autoconfig.xn--bcher-kva.test/\n")):
        with open(os.path.join(mail, name), "w") as f:
            f.write(text)
    options.dns_extra = options.dns_extra + [dns]
    options.www = options.www + [www]
    options.cert_names = options.cert_names + SELFTEST_CERT_NAMES
    options.users = options.users + SELFTEST_USERS


def selftest(options):
    tap = Tap()
    tmp = tempfile.mkdtemp(prefix="mail-harness-selftest-")
    try:
        _selftest_inputs(options, tmp)
        return _selftest(options, tap)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _selftest(options, tap):
    def on_signal(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    h = Harness(options)
    try:
        h.start()
    except (StartError, KeyboardInterrupt) as e:
        tap.result(False, "harness starts", str(e))
        h.stop()
        tap.finish()
        return 1
    tap.result(True, "harness starts (%.2f s, slot %d)" % (h.startup_seconds, h.addresses.slot))
    a = h.addresses
    try:
        c = Checks(h)
        tap.check("no server listens on the wildcard address", c.no_wildcard_listeners)
        tap.check("DNS: A records of every host name", c.dns_a)
        tap.check("DNS: MX example.test", c.dns_mx)
        tap.check("DNS: SRV records (RFC 6186/8314)", c.dns_srv)
        tap.check("DNS: NXDOMAIN for unknown .test names", c.dns_nxdomain)
        tap.check("IMAP 993 TLS: login, capabilities, special-use, quota", c.imap_tls)
        tap.check("IMAP 143: LOGINDISABLED before STARTTLS, login after", c.imap_starttls)
        tap.check("IMAP: wrong password refused and logged", c.imap_bad_password)
        tap.check("POP3 995 TLS: login", c.pop3_tls)
        tap.check("POP3 110: STLS, no USER before TLS, login after", c.pop3_stls)
        tap.check("SMTP 587: STARTTLS, AUTH only after TLS, relay only when "
                  "authenticated, submit to bob", c.smtp_submission)
        tap.check("SMTP 465 TLS: AUTH, unknown user refused, external discarded",
                  c.smtp_submissions)
        tap.check("delivery: the message reaches bob's Maildir", c.delivery)
        tap.check("delivery: bob finds it over IMAP", c.delivery_imap)
        tap.check("HTTPS/HTTP: autoconfig files and request log", c.https_autoconfig)
        tap.check("keyring: Secret Service on the private bus, login unlocked", c.keyring)
        tap.check("expired certificate rejected (X509 error 10)", c.bad_cert, a.expired,
                  layout.EXPIRED_HOST, 10)
        tap.check("wrong-host certificate rejected (X509 error 62)", c.bad_cert, a.wronghost,
                  layout.WRONG_HOST, 62)
        tap.check("self-signed certificate rejected (X509 error 18)", c.bad_cert, a.selfsigned,
                  layout.SELF_SIGNED_HOST, 18)
        tap.check("silent host accepts and never answers", c.tarpit)
        tap.check("blackhole host never answers a SYN", c.blackhole)
        tap.check("refused host refuses at once", c.refused)
        tap.check("--dns-extra: @ADDRESS@ placeholders, SRV with no target", c.extra_dns)
        tap.check("--cert-name: extra names (IDN as xn--) in the mail and web certificate",
                  c.extra_cert_names)
        tap.check("--user: IMAP login for a bare name, another domain and an IDN domain",
                  c.extra_users_imap)
        tap.check("--user: SMTP AUTH through Dovecot for the same logins", c.extra_users_smtp)
        tap.check("--www: placeholders filled, FILE.delay slows the answer, FILE.redirect",
                  c.extra_www)
    except KeyboardInterrupt as e:
        tap.result(False, "interrupted", str(e))
    finally:
        recorded = h.slot.recorded_pids()
        run_root = h.run.root
        t0 = time.monotonic()
        left = h.stop()
        took = time.monotonic() - t0
        alive = [(n, p) for p, s, n in recorded if proc_start_time(p) == s]
        tap.result(not left and not alive and not descendants(os.getpid()),
                   "stop (%.2f s): all %d recorded processes are gone" % (took, len(recorded)),
                   "left: %s %s" % (left, alive) if (left or alive) else None)
        if not (options.keep or options.dir):
            tap.result(not os.path.exists(run_root), "run directory removed")
    tap.finish()
    return 1 if tap.failed else 0
