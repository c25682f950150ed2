"""The Harness: one run's slot, run directory, servers and harness.ini."""

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

from . import certs, layout, services, watchdog
from .process import (StartError, Supervisor, become_subreaper, debug, proc_start_time,
                      wait_all)
from .slots import Slot, SlotBusy

START_TIMEOUT = 20.0
DEMO_CORPUS = 300
CORPUS_SEED = 1


class Options:
    """What the command line may set (see cli.py)."""

    def __init__(self, mode="test", artifacts=None, dns_extra=(), www=(), corpus=None,
                 as_user=None, keep=False, dir=None, label="run", cert_names=(), users=()):
        self.mode = mode
        self.artifacts = artifacts
        self.dns_extra = list(dns_extra or [])
        self.www = list(www or [])
        self.corpus = corpus
        self.as_user = as_user
        self.keep = keep
        self.dir = dir
        self.label = label  # names the artifacts folder
        self.cert_names = list(cert_names or [])  # more names in the good certificate
        self.users = list(users or [])  # more (login, password) pairs


def _dir_size(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.lstat(os.path.join(root, f)).st_size
    return total


class Harness:
    def __init__(self, options):
        self.options = options
        # Every login: the fixed accounts, then --user ones (which may replace a password).
        self.users = dict(layout.USERS)
        self.users.update(options.users)
        self.as_user = pwd.getpwnam(options.as_user) if options.as_user else None
        self.slot = None
        self.run = None
        self.addresses = None
        self.sup = None
        self.services = {}
        self.quota_overrides = {}  # user -> Dovecot quota (e.g. "40M") for a big corpus
        self.startup_seconds = None
        self._corpus_proc = None
        self._watchdog_fd = None  # write end of the watchdog's pipe, kept until exit

    # ------------------------------------------------------------------ start

    def start(self):
        """Start everything; raises StartError naming the service that failed."""
        t0 = time.monotonic()
        if os.geteuid() != 0:
            raise StartError("harness", "must run as root (servers use ports below 1024 and "
                             "the command runs in a private mount namespace)")
        try:
            self.slot = Slot.acquire()
        except SlotBusy as e:
            raise StartError("harness", str(e))
        self.addresses = layout.Addresses(self.slot.number)
        self._make_run_dir()
        # The watchdog first (see watchdog.py: it must not become our descendant).
        self._watchdog_fd = watchdog.start(self.slot)
        become_subreaper()
        self.sup = Supervisor(on_spawn=self.slot.record_child)

        self._start_corpus()
        certs.make_all(self.run, self.addresses, self.options.cert_names)
        debug("certificates made")
        self._finish_corpus()

        svc = self.services
        for cls in (services.Dovecot, services.Postfix, services.Dnsmasq, services.Web,
                    services.Tarpit, services.Keyring):
            s = cls(self)
            svc[s.name] = s
            s.prepare()
        debug("configuration written")
        for s in svc.values():
            s.start()
        deadline = time.monotonic() + START_TIMEOUT
        # gnome-keyring needs the bus; everything else starts at once.
        wait_all(svc["keyring"].bus_ready(), deadline)
        svc["keyring"].start_keyring()
        wait_all([c for s in svc.values() for c in s.readiness()], deadline)

        layout.write_file(self.run.resolv_conf,
                          "# mail-harness: the test DNS server only\n"
                          "nameserver %s\noptions timeout:1 attempts:1\n" % self.addresses.dns)
        self._write_ini()
        self.startup_seconds = time.monotonic() - t0

    def _make_run_dir(self):
        if self.options.dir:
            root = os.path.abspath(self.options.dir)
            if os.path.isdir(root) and os.listdir(root):
                if not os.path.isfile(os.path.join(root, "harness.ini")):
                    raise StartError("harness", "%s exists, is not empty and holds no earlier "
                                     "run (no harness.ini): refusing to use it" % root)
                if self._supervisor_alive(root):
                    raise StartError("harness", "a harness is still running in %s "
                                     "(mail-harness stop --dir %s)" % (root, root))
                shutil.rmtree(root)
            os.makedirs(root, exist_ok=True)
        else:
            root = tempfile.mkdtemp(prefix="mail-harness-")
        # The run directory must be traversable by postfix (LMTP socket), the mail user
        # and --as-user: keys are 0600 inside, everything else is test data.
        os.chmod(root, 0o755)
        self.slot.record_dir(root, self.options.keep or bool(self.options.dir))
        self.run = layout.RunDir(root)
        os.makedirs(self.run.logs, exist_ok=True)

    @staticmethod
    def _supervisor_alive(root):
        try:
            with open(layout.RunDir(root).supervisor_pid) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return False
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                return b"mail-harness" in f.read()
        except OSError:
            return False

    def _start_corpus(self):
        count = self.options.corpus
        if count is None and self.options.mode == "demo":
            count = DEMO_CORPUS
        if not count:
            return
        maildir = self.run.maildir("alice@example.test")
        argv = [sys.executable, os.path.join(layout.HARNESS_DIR, "make-corpus.py"),
                "--maildir", maildir, "--count", str(count), "--seed", str(CORPUS_SEED),
                "--to", "alice@example.test"]
        log = open(self.run.log("corpus"), "ab")
        self._corpus_proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=subprocess.STDOUT)
        log.close()

    def _finish_corpus(self):
        if self._corpus_proc is None:
            return
        if self._corpus_proc.wait() != 0:
            raise StartError("corpus", "make-corpus.py failed", self.run.log("corpus"))
        # Keep the demo usable: the 10M quota applies unless the corpus alone nears it.
        size = _dir_size(self.run.maildir("alice@example.test"))
        if size > 8 * 1024 * 1024:
            self.quota_overrides["alice@example.test"] = "%dM" % (2 * size // 2**20 + 10)

    # ------------------------------------------------------------------ info

    def _write_ini(self):
        a, run = self.addresses, self.run
        groups = [
            ("harness", [("dir", run.root), ("slot", a.slot), ("ca-file", run.ca_file),
                         ("mode", self.options.mode)]),
            ("dns", [("address", a.dns)]),
            ("accounts", [("users", ";".join(self.users))]),
        ]
        for user, password in self.users.items():
            groups.append(("user " + user, [("password", password)]))
        groups += [
            ("imap", [("host", "mail.example.test"), ("address", a.mail),
                      ("tls-port", layout.IMAPS), ("starttls-port", layout.IMAP)]),
            ("pop3", [("host", "mail.example.test"), ("address", a.mail),
                      ("tls-port", layout.POP3S), ("starttls-port", layout.POP3)]),
            ("smtp", [("host", "mail.example.test"), ("address", a.mail),
                      ("tls-port", layout.SUBMISSIONS), ("starttls-port", layout.SUBMISSION)]),
            ("https", [("host", "autoconfig.example.test"), ("address", a.https),
                       ("port", layout.HTTPS), ("http-port", layout.HTTP),
                       ("docroot", run.www), ("log", run.log("https"))]),
            ("keyring", [("bus-address", "unix:path=" + run.bus_socket)]),
            ("bad-certs", [("expired-host", layout.EXPIRED_HOST), ("expired-address", a.expired),
                           ("wrong-host", layout.WRONG_HOST), ("wrong-host-address", a.wronghost),
                           ("self-signed-host", layout.SELF_SIGNED_HOST),
                           ("self-signed-address", a.selfsigned)]),
            ("silent", [("host", layout.SILENT_HOST), ("address", a.silent),
                        ("blackhole-host", layout.BLACKHOLE_HOST),
                        ("blackhole-address", a.blackhole),
                        ("refused-host", layout.REFUSED_HOST),
                        ("refused-address", a.refused)]),
            ("certificates", [("extra-names", ";".join(layout.idna_name(n) for n in
                                                       self.options.cert_names))]),
            ("logs", [("dovecot", run.log("dovecot")), ("postfix", run.log("postfix")),
                      ("dnsmasq", run.log("dnsmasq"))]),
        ]
        text = "# Written by mail-harness for the tests of this run (GKeyFile format).\n"
        for name, keys in groups:
            text += "\n[%s]\n" % name + "".join("%s=%s\n" % kv for kv in keys)
        layout.write_file(run.ini, text)

    def command_env(self):
        """Environment of the command under test: the caller's, plus the harness's."""
        env = dict(os.environ)
        env["MAIL_TEST_HARNESS"] = self.run.ini
        env["MAIL_TEST_CA_FILE"] = self.run.ca_file
        env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + self.run.bus_socket
        if self.as_user is not None:
            # As runuser(1) does; the runtime directory is the one the bus and keyring use.
            env.update(HOME=self.as_user.pw_dir, USER=self.as_user.pw_name,
                       LOGNAME=self.as_user.pw_name,
                       XDG_RUNTIME_DIR=self.services["keyring"].env()["XDG_RUNTIME_DIR"])
        return env

    # ------------------------------------------------------------------ stop

    def stop(self):
        """Stop everything.  Returns a list of "name pid" strings still alive (bad)."""
        left = []
        if self.sup is not None:
            debug("stopping")
            left = ["%s %d" % x for x in self.sup.stop_all()]
            debug("stopped")
        if self.slot is not None:
            for pid, start, name in self.slot.recorded_pids():
                if proc_start_time(pid) == start and "%s %d" % (name, pid) not in left:
                    left.append("%s %d" % (name, pid))
        if self.run is not None:
            self._copy_artifacts()
            if not (self.options.keep or self.options.dir):
                shutil.rmtree(self.run.root, ignore_errors=True)
        if self.slot is not None and not left:
            self.slot.release()
        return left

    def _copy_artifacts(self):
        dest_root = self.options.artifacts or os.environ.get("MAIL_TEST_ARTIFACTS")
        if not dest_root:
            return
        name = "harness-%s-%s-s%d" % (os.path.basename(self.options.label) or "run",
                                      time.strftime("%Y%m%d-%H%M%S"), self.addresses.slot)
        dest = os.path.join(dest_root, name)
        try:
            os.makedirs(dest, exist_ok=True)
            for name in os.listdir(self.run.logs):
                src = os.path.join(self.run.logs, name)
                if os.path.isfile(src) and os.path.getsize(src) > 0:
                    shutil.copy(src, dest)
            conf = os.path.join(dest, "config")
            os.makedirs(conf, exist_ok=True)
            for rel in ("harness.ini", "dnsmasq.conf", "dovecot/dovecot.conf",
                        "postfix/etc/main.cf", "postfix/etc/master.cf"):
                src = self.run.path(rel)
                if os.path.exists(src):
                    shutil.copy(src, os.path.join(conf, os.path.basename(rel)))
        except OSError as e:
            print("mail-harness: could not copy logs to %s: %s" % (dest, e), file=sys.stderr)
