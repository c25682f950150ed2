"""Small clients for the self-test and readiness checks.

The harness process does not use the test DNS server (only the command under test
runs with the private resolv.conf), so every client here connects to an address and
names the host separately, for TLS verification (SNI + certificate name) and Host.
"""

import http.client
import random
import socket
import ssl
import struct

# --------------------------------------------------------------------------- DNS

QTYPES = {"A": 1, "CNAME": 5, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def _encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def _decode_name(msg, offset):
    """Return (name, offset after the name), following compression pointers."""
    labels, end, jumps = [], None, 0
    while True:
        length = msg[offset]
        if length & 0xC0 == 0xC0:  # pointer
            if end is None:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | msg[offset + 1]
            jumps += 1
            if jumps > 32:
                raise ValueError("DNS name compression loop")
            continue
        offset += 1
        if length == 0:
            break
        labels.append(msg[offset:offset + length].decode("ascii"))
        offset += length
    return ".".join(labels) or ".", (end if end is not None else offset)


def dns_lookup(server, name, qtype, timeout=1.0, port=53):
    """One UDP query.  Returns (rcode name, [answer data]) where the data is
    "a.b.c.d" for A, (preference, exchange) for MX, (priority, weight, port, target)
    for SRV, and the raw bytes for any other type."""
    qid = random.randrange(65536)
    query = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)  # RD set, one question
    query += _encode_name(name) + struct.pack(">HH", QTYPES[qtype], 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(query, (server, port))
        while True:
            msg, _ = s.recvfrom(4096)
            if len(msg) >= 12 and struct.unpack(">H", msg[:2])[0] == qid:
                break
    _, flags, qd, an, _, _ = struct.unpack(">HHHHHH", msg[:12])
    offset = 12
    for _ in range(qd):
        _, offset = _decode_name(msg, offset)
        offset += 4
    answers = []
    for _ in range(an):
        _, offset = _decode_name(msg, offset)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[offset:offset + 10])
        offset += 10
        rdata = msg[offset:offset + rdlen]
        if rtype == QTYPES["A"]:
            answers.append(socket.inet_ntoa(rdata))
        elif rtype == QTYPES["MX"]:
            answers.append((struct.unpack(">H", rdata[:2])[0], _decode_name(msg, offset + 2)[0]))
        elif rtype == QTYPES["SRV"]:
            prio, weight, port_ = struct.unpack(">HHH", rdata[:6])
            answers.append((prio, weight, port_, _decode_name(msg, offset + 6)[0]))
        else:
            answers.append(rdata)
        offset += rdlen
    return RCODES.get(flags & 0xF, str(flags & 0xF)), answers


def dns_query(server, name, qtype, timeout=1.0):
    return dns_lookup(server, name, qtype, timeout)[1]


# --------------------------------------------------------------------------- TLS

def tls_context(ca_file=None):
    """A verifying client context; with no ca_file it trusts nothing (but system CAs)."""
    ctx = ssl.create_default_context(cafile=ca_file)
    ctx.check_hostname = True
    return ctx


class LineClient:
    """A CRLF line protocol over TCP, optionally TLS from the start or after STARTTLS."""

    def __init__(self, address, port, tls_name=None, ctx=None, timeout=5.0):
        self.sock = socket.create_connection((address, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls_name:
            self.starttls(ctx, tls_name)
        self.file = self.sock.makefile("rb")

    def starttls(self, ctx, name):
        self.sock = ctx.wrap_socket(self.sock, server_hostname=name)
        self.file = self.sock.makefile("rb")

    def readline(self):
        line = self.file.readline(65536)
        if not line:
            raise ConnectionError("connection closed by server")
        return line.rstrip(b"\r\n").decode("utf-8", "replace")

    def send(self, text):
        self.sock.sendall(text.encode("utf-8") + b"\r\n")

    def send_raw(self, data):
        self.sock.sendall(data)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # IMAP --------------------------------------------------------------------
    _tag = 0

    def imap(self, command):
        """Send one tagged IMAP command: (untagged lines, final status line)."""
        self._tag += 1
        tag = "h%d" % self._tag
        self.send("%s %s" % (tag, command))
        untagged = []
        while True:
            line = self.readline()
            if line.startswith(tag + " "):
                return untagged, line[len(tag) + 1:]
            untagged.append(line)

    # SMTP --------------------------------------------------------------------
    def smtp_reply(self):
        """(code, [text lines]) of one possibly multi-line SMTP reply."""
        lines = []
        while True:
            line = self.readline()
            lines.append(line[4:])
            if len(line) < 4 or line[3] != "-":
                return int(line[:3]), lines

    def smtp(self, command):
        self.send(command)
        return self.smtp_reply()

    # POP3 --------------------------------------------------------------------
    def pop3(self, command, multiline=False):
        self.send(command)
        status = self.readline()
        if not multiline or not status.startswith("+OK"):
            return status, []
        body = []
        while True:
            line = self.readline()
            if line == ".":
                return status, body
            body.append(line[1:] if line.startswith("..") else line)


# --------------------------------------------------------------------------- HTTP

def http_get(address, host, path, port=443, ca_file=None, tls=True, timeout=5.0):
    """GET http(s)://host/path from address.  Returns (status, body bytes)."""
    if tls:
        conn = http.client.HTTPSConnection(host, port, context=tls_context(ca_file),
                                           timeout=timeout)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    # Connect to the given address while Host, SNI and certificate checks use `host`.
    conn._create_connection = (lambda addr, *a, **kw:
                               socket.create_connection((address, addr[1]), *a, **kw))
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()
