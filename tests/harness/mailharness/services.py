"""The servers: one class each, with prepare() (write configuration), start() (spawn)
and readiness() (what to wait for before the harness reports "ready").

All of them get their addresses from the slot and write their logs to RUNDIR/logs.
"""

import grp
import os
import pwd
import shutil
import subprocess
import sys
import time

from . import certs, layout
from .process import tcp_listening


def find_program(name, extra_dirs=("/usr/sbin", "/sbin")):
    """shutil.which(), also looking in the sbin directories a non-login PATH may lack."""
    found = shutil.which(name)
    if found:
        return found
    for d in extra_dirs:
        path = os.path.join(d, name)
        if os.access(path, os.X_OK):
            return path
    return name  # let the spawn fail with a clear "cannot run" message


def chown_tree(path, uid, gid):
    os.chown(path, uid, gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.lchown(os.path.join(root, name), uid, gid)


class Service:
    name = "?"

    def __init__(self, harness):
        self.h = harness
        self.run = harness.run
        self.addr = harness.addresses
        self.child = None

    @property
    def log(self):
        return self.run.log(self.name)

    def prepare(self):
        pass

    def start(self):
        raise NotImplementedError

    def readiness(self):
        """[(service, description, check_fn, child, log)] for process.wait_all()."""
        return []

    def _check(self, what, fn):
        logs = [self.log] + ([self.child.log] if self.child and self.child.log != self.log
                             else [])
        return (self.name, what, fn, self.child, logs)

    def _listening(self, address, ports):
        return [self._check("TCP %s:%d to listen" % (address, port),
                            lambda a=address, p=port: tcp_listening(a, p))
                for port in ports]


class Dovecot(Service):
    """Dovecot 2.3: IMAP 993/143 and POP3 995/110, LMTP and SASL sockets for Postfix."""

    name = "dovecot"

    @property
    def conf(self):
        return self.run.path("dovecot", "dovecot.conf")

    @property
    def users_file(self):
        return self.run.path("dovecot", "users")

    def prepare(self):
        run = self.run
        for d in (run.dovecot_base, self.run.path("dovecot", "state")):
            os.makedirs(d, exist_ok=True)
        mail_pw = pwd.getpwnam(layout.MAIL_USER)
        mail_gid = grp.getgrnam(layout.MAIL_GROUP).gr_gid

        # passwd-file: user:{PLAIN}password:uid:gid:gecos:home:shell:extra_fields
        # uid/gid/home come from default_fields; the extra fields may raise a quota.
        lines = []
        for user, password in self.h.users.items():
            extra = self.h.quota_overrides.get(user, "")
            lines.append("%s:{PLAIN}%s::::::%s" % (user, password,
                                                  "userdb_quota_rule=*:storage=" + extra
                                                  if extra else ""))
        # Read by the auth process, which runs as Dovecot's internal user.
        layout.write_file(self.users_file, "\n".join(lines) + "\n", mode=0o640)
        os.chown(self.users_file, 0, grp.getgrnam("dovecot").gr_gid)

        # Each user's home (with the Maildir inside) belongs to the mail user.
        # (A login without a domain, such as carol, lives in mail/carol: %d is empty.)
        for user in self.h.users:
            local, _, domain = user.partition("@")
            os.makedirs(run.path("mail", domain, local), exist_ok=True)
        chown_tree(run.mail, mail_pw.pw_uid, mail_gid)

        values = {
            "INSTANCE": "mail-harness-%d" % self.addr.slot,
            "BASE_DIR": run.dovecot_base,
            "STATE_DIR": run.path("dovecot", "state"),
            "LOG": self.log,
            "MAIL_ADDR": self.addr.mail,
            "EXPIRED_ADDR": self.addr.expired,
            "WRONGHOST_ADDR": self.addr.wronghost,
            "SELFSIGNED_ADDR": self.addr.selfsigned,
            "USERS_FILE": self.users_file,
            "MAIL_UID": mail_pw.pw_uid,
            "MAIL_GID": mail_gid,
            "MAIL_USER": layout.MAIL_USER,
            "MAIL_ROOT": run.mail,
            "QUOTA": "10M",
            # Dovecot's default set, or every character when a login needs more (an
            # internationalised domain, for one).
            "USERNAME_CHARS": "" if any(not u.isascii() for u in self.h.users) else
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@",
        }
        for key, name in (("", "mail"), ("EXPIRED_", "expired"),
                          ("WRONGHOST_", "wronghost"), ("SELFSIGNED_", "selfsigned")):
            values[key + "CERT"], values[key + "KEY"] = certs.cert_pair(run, name)
        layout.write_file(self.conf, layout.render_template("dovecot.conf.in", values))

    def start(self):
        self.child = self.h.sup.spawn(self.name, [find_program("dovecot"), "-F", "-c", self.conf],
                                      self.run.log("dovecot-stdout"))

    def readiness(self):
        base = self.run.dovecot_base
        checks = [self._check(name, lambda n=name: os.path.exists(os.path.join(base, n)))
                  for name in ("master.pid", "auth-postfix", "lmtp")]
        checks += self._listening(self.addr.mail, [layout.IMAPS, layout.IMAP,
                                                   layout.POP3S, layout.POP3])
        for a in (self.addr.expired, self.addr.wronghost, self.addr.selfsigned):
            checks += self._listening(a, [layout.IMAPS])
        return checks


class Postfix(Service):
    """Postfix 3.7: submission 587 (STARTTLS) and 465 (implicit TLS), delivery over LMTP."""

    name = "postfix"
    MASTER_DIST = "/usr/share/postfix/master.cf.dist"

    @property
    def dir(self):
        """The configuration directory (outside the queue: postfix-script checks that
        everything below the configuration directory is owned by root)."""
        return os.path.join(self.run.postfix, "etc")

    # Queue layout from Postfix's postfix-files: (name, owner is mail_owner, group, mode).
    QUEUE_DIRS = [(d, True, None, 0o700) for d in
                  ("active", "bounce", "corrupt", "defer", "deferred", "flush", "hold",
                   "incoming", "private", "saved", "trace")]
    QUEUE_DIRS += [("maildrop", True, "postdrop", 0o730), ("public", True, "postdrop", 0o710),
                   ("pid", False, None, 0o755)]

    def _make_queue(self, queue, data):
        """Create the queue directories as post-install would (`postfix start` would
        also run its integrity check: dozens of postconf/find/postlog calls, ~2 s)."""
        pf = pwd.getpwnam("postfix")
        postdrop = grp.getgrnam("postdrop").gr_gid
        os.makedirs(queue, mode=0o755, exist_ok=True)
        for name, postfix_owned, group, mode in self.QUEUE_DIRS:
            path = os.path.join(queue, name)
            os.makedirs(path, exist_ok=True)
            os.chown(path, pf.pw_uid if postfix_owned else 0,
                     postdrop if group else 0)
            os.chmod(path, mode)
        os.makedirs(data, exist_ok=True)
        os.chown(data, pf.pw_uid, pf.pw_gid)
        os.chmod(data, 0o700)

    def prepare(self):
        d = self.dir
        queue = os.path.join(self.run.postfix, "queue")
        data = os.path.join(self.run.postfix, "data")
        self._make_queue(queue, data)
        vmailbox = os.path.join(d, "vmailbox")
        # Every example.test login gets mail; logins of other domains may only send.
        layout.write_file(vmailbox, "".join("%s ok\n" % u for u in self.h.users
                                            if u.endswith("@" + layout.DOMAIN)))
        cert, key = certs.cert_pair(self.run, "mail")
        layout.write_file(os.path.join(d, "main.cf"), layout.render_template("main.cf.in", {
            "QUEUE_DIR": queue,
            "DATA_DIR": data,
            "LOG": self.log,
            "LOG_DIR": self.run.logs,
            "SLOT": self.addr.slot,
            "MAIL_ADDR": self.addr.mail,
            "VMAILBOX": vmailbox,
            "LMTP_SOCKET": os.path.join(self.run.dovecot_base, "lmtp"),
            "AUTH_SOCKET": os.path.join(self.run.dovecot_base, "auth-postfix"),
            "KEY": key,
            "CERT": cert,
        }))
        layout.write_file(os.path.join(d, "master.cf"), self._master_cf())
        # Postfix does not trust a table or main.cf modified within the last second (it
        # may still be being written) and polls until it is older: back-date them.
        past = time.time() - 60
        for name in os.listdir(d):
            os.utime(os.path.join(d, name), (past, past))

    def _master_cf(self):
        """master.cf.dist without the port 25 listener, chroot or pipe(8) services."""
        with open(self.MASTER_DIST) as f:
            lines = f.read().splitlines()
        entries, current = [], None
        for line in lines:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line[0].isspace():
                if current is not None:
                    current.append(line)
                continue
            current = [line]
            entries.append(current)
        out = ["# master.cf of one mail-harness run, built from %s:" % self.MASTER_DIST,
               "# no smtp listener on port 25, nothing chrooted (the LMTP and SASL sockets",
               "# live outside the queue directory), no pipe(8) services."]
        for entry in entries:
            fields = entry[0].split()
            if (fields[0], fields[1]) == ("smtp", "inet") or fields[7] == "pipe":
                continue
            fields[4] = "n"
            out.append(" ".join(fields))
            out.extend(entry[1:])
        for port, name, extra in ((layout.SUBMISSION, "submission", []),
                                  (layout.SUBMISSIONS, "submissions",
                                   ["-o smtpd_tls_wrappermode=yes"])):
            out.append("%s:%d inet n - n - - smtpd" % (self.addr.mail, port))
            out += ["  -o syslog_name=postfix/" + name,
                    "  -o smtpd_tls_security_level=encrypt",
                    "  -o smtpd_sasl_auth_enable=yes"] + ["  " + e for e in extra]
        return "\n".join(out) + "\n"

    def start(self):
        # The master daemon runs directly as our child: `postfix start-fg` would put a
        # shell in between, and the master makes itself a session leader under it, out
        # of reach of the shell's process group.  -d keeps it in the foreground; our
        # setsid makes it a process group leader, which it needs to signal its children
        # when it stops.  The queue was prepared above (no postfix-script checks needed).
        r = subprocess.run([find_program("postconf"), "-c", self.dir, "-h", "daemon_directory"],
                           capture_output=True, text=True)
        daemon_dir = r.stdout.strip() or "/usr/lib/postfix/sbin"
        self.child = self.h.sup.spawn(self.name,
                                      [os.path.join(daemon_dir, "master"), "-c", self.dir, "-d"],
                                      self.run.log("postfix-stdout"))

    def readiness(self):
        return self._listening(self.addr.mail, [layout.SUBMISSION, layout.SUBMISSIONS])


class Dnsmasq(Service):
    """dnsmasq: A, MX and SRV records of the test domain; NXDOMAIN for other .test names."""

    name = "dnsmasq"

    def records(self):
        a = self.addr
        out = ["# A records"]
        out += ["host-record=%s,%s" % (n, ip) for n, ip in a.host_records()]
        out += ["", "# MX and RFC 6186 / RFC 8314 SRV records",
                "mx-host=example.test,mail.example.test,10"]
        for label, port in (("_imaps._tcp", layout.IMAPS), ("_imap._tcp", layout.IMAP),
                            ("_pop3s._tcp", layout.POP3S), ("_pop3._tcp", layout.POP3),
                            ("_submissions._tcp", layout.SUBMISSIONS),
                            ("_submission._tcp", layout.SUBMISSION)):
            out.append("srv-host=%s.example.test,mail.example.test,%d,0,1" % (label, port))
        return "\n".join(out) + "\n"

    def prepare(self):
        os.makedirs(self.run.dnsmasq_d, exist_ok=True)
        layout.write_file(self.run.dnsmasq_conf, layout.render_template("dnsmasq.conf.in", {
            "DNS_ADDR": self.addr.dns,
            "LOG": self.log,
            "PID_FILE": self.run.path("dnsmasq.pid"),
            "CONF_DIR": self.run.dnsmasq_d,
            "RECORDS": self.records(),
        }))
        # --dns-extra files may name the slot's addresses as @MAIL_ADDRESS@ and so on
        # (layout.Addresses.placeholders); an unknown @KEY@ is an error.
        values = self.addr.placeholders()
        for i, path in enumerate(self.h.options.dns_extra):
            with open(path, encoding="utf-8") as f:
                text = layout.substitute(f.read(), values, where=path)
            layout.write_file(os.path.join(self.run.dnsmasq_d, "extra-%02d.conf" % i), text)

    def start(self):
        self.child = self.h.sup.spawn(self.name, [
            find_program("dnsmasq"), "--keep-in-foreground", "--no-resolv", "--no-hosts",
            "--conf-file=" + self.run.dnsmasq_conf, "--user=root"],
            self.run.log("dnsmasq-stdout"))

    def readiness(self):
        from .clients import dns_query

        def answers():
            try:
                return bool(dns_query(self.addr.dns, "mail.example.test", "A", timeout=0.2))
            except OSError:
                return False

        return [self._check("an answer for mail.example.test", answers)]


class Web(Service):
    """HTTPS (443) and HTTP (80) for autoconfig, serving RUNDIR/www/<Host>/."""

    name = "https"

    def prepare(self):
        www = self.run.www
        xml = layout.render_template("config-v1.1.xml.in", {})
        for rel in ("autoconfig.example.test/mail/config-v1.1.xml",
                    "example.test/.well-known/autoconfig/mail/config-v1.1.xml"):
            layout.write_file(os.path.join(www, rel), xml)
        os.makedirs(os.path.join(www, "default"), exist_ok=True)
        for tree in self.h.options.www:
            shutil.copytree(tree, www, dirs_exist_ok=True)
            self._substitute_tree(tree, www)
        layout.write_file(self.log, "")

    def _substitute_tree(self, tree, www):
        """Fill @MAIL_ADDRESS@ and the other slot placeholders in the copied text files
        (unknown @KEY@s stay: web content may hold its own).  Binary files and files
        over 1 MiB are left alone."""
        values = self.addr.placeholders()
        for root, _, files in os.walk(tree):
            for name in files:
                src = os.path.join(root, name)
                if os.path.getsize(src) > 1 << 20:
                    continue
                with open(src, "rb") as f:
                    data = f.read()
                if b"@" not in data:
                    continue
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    continue
                new = layout.substitute(text, values, strict=False)
                if new != text:
                    dest = os.path.join(www, os.path.relpath(src, tree))
                    with open(dest, "w", encoding="utf-8") as f:
                        f.write(new)

    def start(self):
        cert, key = certs.cert_pair(self.run, "mail")
        self.child = self.h.sup.spawn(self.name, [
            sys.executable, os.path.join(layout.HARNESS_DIR, "https-server.py"),
            "--address", self.addr.https, "--https-port", str(layout.HTTPS),
            "--http-port", str(layout.HTTP), "--cert", cert, "--key", key,
            "--docroot", self.run.www, "--log", self.log], self.run.log("https-stdout"))

    def readiness(self):
        return self._listening(self.addr.https, [layout.HTTPS, layout.HTTP])


class Tarpit(Service):
    """silent.example.test: accepts on the mail ports and never says a word.
    blackhole.example.test: never even answers the SYN (see tarpit.py)."""

    name = "tarpit"

    def start(self):
        self.child = self.h.sup.spawn(self.name, [
            sys.executable, os.path.join(layout.HARNESS_DIR, "tarpit.py"),
            "--address", self.addr.silent,
            "--ports", ",".join(str(p) for p in layout.TARPIT_PORTS), "--log", self.log,
            "--blackhole", self.addr.blackhole,
            "--blackhole-ports", ",".join(str(p) for p in layout.BLACKHOLE_PORTS)],
            self.run.log("tarpit-stdout"))

    def readiness(self):
        checks = self._listening(self.addr.silent, layout.TARPIT_PORTS)
        checks += self._listening(self.addr.blackhole, layout.BLACKHOLE_PORTS)

        def filled():
            try:
                with open(self.log, encoding="utf-8", errors="replace") as f:
                    return " blackhole " in f.read()
            except OSError:
                return False

        checks.append(self._check("the blackhole's listen queues to fill", filled))
        return checks


class Keyring(Service):
    """A private D-Bus session bus with gnome-keyring's Secret Service on it.

    Both run as --as-user USER when given (a session bus only lets its own uid in),
    with HOME, XDG_DATA_HOME and XDG_RUNTIME_DIR inside RUNDIR/keyring.
    """

    name = "keyring"

    def __init__(self, harness):
        super().__init__(harness)
        self.bus = None
        self.user = harness.as_user  # pwd entry or None

    @property
    def address(self):
        return "unix:path=" + self.run.bus_socket

    def env(self):
        k = self.run.keyring
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": os.path.join(k, "home"),
            "XDG_DATA_HOME": os.path.join(k, "home", ".local", "share"),
            "XDG_CONFIG_HOME": os.path.join(k, "home", ".config"),
            "XDG_CACHE_HOME": os.path.join(k, "home", ".cache"),
            "XDG_RUNTIME_DIR": os.path.join(k, "runtime"),
            "DBUS_SESSION_BUS_ADDRESS": self.address,
        }
        if self.user is not None:
            env.update(USER=self.user.pw_name, LOGNAME=self.user.pw_name)
        return env

    def prepare(self):
        k = self.run.keyring
        env = self.env()
        for d in (env["XDG_DATA_HOME"], env["XDG_CONFIG_HOME"], env["XDG_CACHE_HOME"],
                  env["XDG_RUNTIME_DIR"]):
            os.makedirs(d, exist_ok=True)
        os.chmod(env["XDG_RUNTIME_DIR"], 0o700)
        demo = self.h.options.mode == "demo"
        layout.write_file(os.path.join(k, "dbus-session.conf"),
                          layout.render_template("dbus-session.conf.in", {
                              "SOCKET": self.run.bus_socket,
                              "SERVICE_DIRS": "<standard_session_servicedirs/>" if demo else "",
                          }))
        if self.user is not None:
            chown_tree(k, self.user.pw_uid, self.user.pw_gid)

    def start(self):
        """Start only the bus here; the keyring follows once the bus socket exists."""
        self.bus = self.h.sup.spawn("dbus-daemon", [
            find_program("dbus-daemon"), "--config-file=" + os.path.join(self.run.keyring,
                                                                        "dbus-session.conf"),
            "--nofork", "--nopidfile", "--nosyslog"], self.run.log("dbus"),
            env=self.env(), user=self.user)

    def start_keyring(self):
        self.child = self.h.sup.spawn("gnome-keyring-daemon", [
            find_program("gnome-keyring-daemon"), "--foreground", "--unlock",
            "--components=secrets"], self.log, env=self.env(), user=self.user,
            stdin_data=layout.KEYRING_PASSWORD.encode())

    def bus_ready(self):
        return [("dbus-daemon", "bus socket " + self.run.bus_socket,
                 lambda: os.path.exists(self.run.bus_socket), self.bus, self.run.log("dbus"))]

    def name_has_owner(self, name="org.freedesktop.secrets"):
        kwargs = {}
        if self.user is not None:
            kwargs.update(user=self.user.pw_uid, group=self.user.pw_gid)
        r = subprocess.run([find_program("dbus-send"), "--bus=" + self.address,
                            "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                            "org.freedesktop.DBus.NameHasOwner", "string:" + name],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, **kwargs)
        return r.returncode == 0 and "boolean true" in r.stdout

    def readiness(self):
        checks = [self._check("org.freedesktop.secrets on the bus", self.name_has_owner)]
        # If the bus dies, the keyring never appears: report the bus as the culprit.
        checks.append(("dbus-daemon", "bus alive", lambda: True, self.bus, self.run.log("dbus")))
        return checks
