"""Fixed names and accounts, the per-slot address plan, and the run-directory layout."""

import os
import re

HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE_DIR = os.path.join(HARNESS_DIR, "templates")

DOMAIN = "example.test"

# login name (full address) -> password
USERS = {
    "alice@example.test": "alice-password",
    "bob@example.test": "bob-password",
}

# Password of the login keyring that gnome-keyring unlocks at start.
KEYRING_PASSWORD = "keyring-password"

# The unprivileged account that owns the Maildirs (Dovecot refuses uid 0).
MAIL_USER = "nobody"
MAIL_GROUP = "nogroup"

# Host names served by the "good" host and listed in its certificate.
MAIL_HOSTS = [
    "mail.example.test",
    "imap.example.test",
    "pop3.example.test",
    "pop.example.test",
    "smtp.example.test",
]
WEB_HOSTS = ["autoconfig.example.test", "example.test"]
GOOD_CERT_NAMES = MAIL_HOSTS + ["example.test", "autoconfig.example.test"]

EXPIRED_HOST = "expired.example.test"
WRONG_HOST = "wronghost.example.test"
SELF_SIGNED_HOST = "selfsigned.example.test"
SILENT_HOST = "silent.example.test"
# Accepts nothing: its SYNs go unanswered (tarpit.py keeps the listen queue full).
BLACKHOLE_HOST = "blackhole.example.test"
# Nothing listens there: connections are refused (RST) at once.
REFUSED_HOST = "refused.example.test"

# Standard ports (the servers get their own addresses, so these never clash).
IMAPS, IMAP, POP3S, POP3, SUBMISSIONS, SUBMISSION = 993, 143, 995, 110, 465, 587
HTTPS, HTTP = 443, 80
DNS = 53
TARPIT_PORTS = [IMAPS, IMAP, POP3S, POP3, SUBMISSIONS, SUBMISSION]
SMTP = 25
BLACKHOLE_PORTS = TARPIT_PORTS + [SMTP]

MAX_SLOT = 200
SLOT_DIR = "/tmp/mail-harness-slots"

# Last octet of each host's address inside the slot's 127.(20+S).0.0/24.
_HOST_OCTETS = {
    "mail": 10,
    "expired": 11,
    "wronghost": 12,
    "selfsigned": 13,
    "https": 20,
    "silent": 30,
    "blackhole": 31,
    "refused": 32,
    "dns": 53,
}


class Addresses:
    """The loopback addresses of one slot: 127.(20+S).0.N."""

    def __init__(self, slot):
        if not 1 <= slot <= MAX_SLOT:
            raise ValueError("slot out of range: %d" % slot)
        self.slot = slot
        for name, octet in _HOST_OCTETS.items():
            setattr(self, name, "127.%d.0.%d" % (20 + slot, octet))

    def host_records(self):
        """(name, address) for every A record the DNS server answers."""
        records = [(h, self.mail) for h in MAIL_HOSTS]
        records += [(h, self.https) for h in WEB_HOSTS]
        records += [
            (EXPIRED_HOST, self.expired),
            (WRONG_HOST, self.wronghost),
            (SELF_SIGNED_HOST, self.selfsigned),
            (SILENT_HOST, self.silent),
            (BLACKHOLE_HOST, self.blackhole),
            (REFUSED_HOST, self.refused),
        ]
        return records

    def placeholders(self):
        """The @KEY@ values that --dns-extra files and --www trees may use."""
        return {
            "SLOT": self.slot,
            "MAIL_ADDRESS": self.mail,
            "EXPIRED_ADDRESS": self.expired,
            "WRONGHOST_ADDRESS": self.wronghost,
            "SELFSIGNED_ADDRESS": self.selfsigned,
            "WEB_ADDRESS": self.https,
            "SILENT_ADDRESS": self.silent,
            "BLACKHOLE_ADDRESS": self.blackhole,
            "REFUSED_ADDRESS": self.refused,
            "DNS_ADDRESS": self.dns,
        }


class RunDir:
    """Paths inside one run directory."""

    def __init__(self, root):
        self.root = os.path.abspath(root)

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    # Frequently used paths, named after what they hold.
    ini = property(lambda self: self.path("harness.ini"))
    resolv_conf = property(lambda self: self.path("resolv.conf"))
    supervisor_pid = property(lambda self: self.path("harness.pid"))
    logs = property(lambda self: self.path("logs"))
    ca_dir = property(lambda self: self.path("ca"))
    ca_file = property(lambda self: self.path("ca", "ca.pem"))
    certs = property(lambda self: self.path("certs"))
    dovecot = property(lambda self: self.path("dovecot"))
    dovecot_base = property(lambda self: self.path("dovecot", "run"))
    mail = property(lambda self: self.path("mail"))
    postfix = property(lambda self: self.path("postfix"))
    dnsmasq_conf = property(lambda self: self.path("dnsmasq.conf"))
    dnsmasq_d = property(lambda self: self.path("dnsmasq.d"))
    www = property(lambda self: self.path("www"))
    keyring = property(lambda self: self.path("keyring"))
    # Inside keyring/, which belongs to --as-user when given (the bus runs as that user).
    bus_socket = property(lambda self: self.path("keyring", "bus"))

    def log(self, name):
        return self.path("logs", name + ".log")

    def maildir(self, user):
        """Maildir of a login name such as alice@example.test."""
        local, domain = user.split("@", 1)
        return self.path("mail", domain, local, "Maildir")


_PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")


def substitute(text, values, strict=True, where="text"):
    """Replace every @KEY@ by values[KEY].  With strict, an unknown key is an error;
    otherwise it stays as it is (web content may hold @...@ of its own)."""

    def repl(match):
        key = match.group(1)
        if key in values:
            return str(values[key])
        if strict:
            raise KeyError("%s: no value for @%s@" % (where, key))
        return match.group(0)

    return _PLACEHOLDER.sub(repl, text)


def idna_name(name):
    """A DNS name in its ASCII form (bücher.test -> xn--bcher-kva.test)."""
    name = name.strip().rstrip(".").lower()
    try:
        name.encode("ascii")
        return name
    except UnicodeEncodeError:
        return name.encode("idna").decode("ascii")


def render_template(name, values):
    """Fill a file from templates/: every @KEY@ is replaced by values[KEY].

    @...@ is used instead of $ or {} because Dovecot and Postfix configs use both.
    An unknown key is an error, so a typo in a template cannot go unnoticed.
    """
    with open(os.path.join(TEMPLATE_DIR, name), encoding="utf-8") as f:
        text = f.read()

    return substitute(text, values, where="template " + name)


def write_file(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)
