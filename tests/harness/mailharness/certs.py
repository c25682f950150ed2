"""Test CA and server certificates, made with the openssl command line tool.

- ca/ca.pem            the test CA (ECDSA P-256), valid from a year ago for ten years
- certs/mail.pem       the good host: every mail/web name plus the hosts' IP addresses,
                       and the --cert-name names
- certs/expired.pem    signed by the CA, right name, validity wholly in the past
- certs/wronghost.pem  signed by the CA, SAN only other.invalid
- certs/selfsigned.pem not signed by the CA

OpenSSL 3.0's `x509 -req` cannot set a start date in the past (-not_before arrived in
3.4), so the CA and the expired certificate go through `openssl ca`, which takes
-startdate/-enddate.  Independent openssl calls run in parallel, in three rounds.
"""

import os
import subprocess
import time

from . import layout
from .process import StartError

KEY_ARGS = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
DAY = 86400

CA_CONF = """\
# openssl ca configuration of the mail-harness test CA (generated).
[ca]
default_ca = harness_ca

[harness_ca]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none

[policy_any]
commonName = supplied

[ext_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ext_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $ENV::HARNESS_SAN
"""


def _asn1_time(t):
    return time.strftime("%Y%m%d%H%M%SZ", time.gmtime(t))


def _run_parallel(jobs, log):
    """Run [(argv, env_extra)] at once; raise StartError if any fails."""
    procs = []
    with open(log, "ab") as logf:
        for argv, extra in jobs:
            env = dict(os.environ, **extra)
            procs.append((argv, subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=logf,
                                                 stderr=subprocess.STDOUT, env=env)))
    for argv, p in procs:
        if p.wait() != 0:
            raise StartError("certificates", "%s failed (status %d)" %
                             (" ".join(argv[:3]), p.returncode), log)


def make_all(run, addresses, extra_names=()):
    """Create the CA and all server certificates in the run directory."""
    ca_dir, certs = run.ca_dir, run.certs
    os.makedirs(os.path.join(ca_dir, "issued"), exist_ok=True)
    os.makedirs(certs, exist_ok=True)
    log = run.log("openssl")
    conf = os.path.join(ca_dir, "openssl-ca.cnf")
    layout.write_file(conf, CA_CONF.format(dir=ca_dir))
    layout.write_file(os.path.join(ca_dir, "index.txt"), "")
    layout.write_file(os.path.join(ca_dir, "serial"), "1000\n")

    names = list(layout.GOOD_CERT_NAMES)
    for name in extra_names:
        name = layout.idna_name(name)
        if name not in names:
            names.append(name)
    good_san = ",".join(["DNS:" + n for n in names] +
                        ["IP:" + addresses.mail, "IP:" + addresses.https])
    now = time.time()
    ca_key, ca_pem = os.path.join(ca_dir, "ca.key"), run.ca_file

    def p(name, ext):
        return os.path.join(certs, name + "." + ext)

    def csr(name, cn):
        return (["openssl", "req", "-new"] + KEY_ARGS +
                ["-keyout", p(name, "key"), "-subj", "/CN=" + cn, "-out", p(name, "csr")], {})

    def sign(name, san, days=825):
        return (["openssl", "x509", "-req", "-in", p(name, "csr"), "-CA", ca_pem,
                 "-CAkey", ca_key, "-set_serial", str(int(now * 1000) % 10**12 + days),
                 "-days", str(days), "-sha256", "-extfile", conf, "-extensions", "ext_server",
                 "-out", p(name, "pem")], {"HARNESS_SAN": san})

    def ca_sign(in_csr, out, start, end, ext, san="", selfsign=False):
        argv = ["openssl", "ca", "-batch", "-notext", "-config", conf, "-keyfile", ca_key,
                "-in", in_csr, "-out", out, "-startdate", _asn1_time(start),
                "-enddate", _asn1_time(end), "-extensions", ext]
        argv += ["-selfsign"] if selfsign else ["-cert", ca_pem]
        return (argv, {"HARNESS_SAN": san or "DNS:unused.invalid"})

    # Round 1: keys and requests (and the self-signed certificate, which needs no CA).
    _run_parallel([
        (["openssl", "req", "-new"] + KEY_ARGS +
         ["-keyout", ca_key, "-subj", "/CN=Mail Test CA", "-out", os.path.join(ca_dir, "ca.csr")],
         {}),
        csr("mail", "mail.example.test"),
        csr("wronghost", "other.invalid"),
        csr("expired", layout.EXPIRED_HOST),
        (["openssl", "req", "-x509"] + KEY_ARGS +
         ["-keyout", p("selfsigned", "key"), "-subj", "/CN=" + layout.SELF_SIGNED_HOST,
          "-days", "825", "-sha256", "-addext", "subjectAltName=DNS:" + layout.SELF_SIGNED_HOST,
          "-addext", "basicConstraints=critical,CA:FALSE",
          "-addext", "extendedKeyUsage=serverAuth", "-out", p("selfsigned", "pem")], {}),
    ], log)
    # Round 2: the CA signs itself, back-dated so that the expired certificate lies
    # inside the CA's own validity (as a real expired server certificate would).
    _run_parallel([ca_sign(os.path.join(ca_dir, "ca.csr"), ca_pem, now - 400 * DAY,
                           now + 3650 * DAY, "ext_ca", selfsign=True)], log)
    # Round 3: server certificates.
    _run_parallel([
        sign("mail", good_san),
        sign("wronghost", "DNS:other.invalid"),
        ca_sign(p("expired", "csr"), p("expired", "pem"), now - 365 * DAY, now - 2 * DAY,
                "ext_server", san="DNS:" + layout.EXPIRED_HOST),
    ], log)
    for name in ("mail", "wronghost", "expired", "selfsigned"):
        os.chmod(p(name, "key"), 0o600)
        os.chmod(p(name, "pem"), 0o644)
    os.chmod(ca_key, 0o600)
    os.chmod(ca_pem, 0o644)


def cert_pair(run, name):
    """(cert, key) paths of a server certificate made by make_all."""
    return (os.path.join(run.certs, name + ".pem"), os.path.join(run.certs, name + ".key"))
