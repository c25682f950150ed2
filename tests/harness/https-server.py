#!/usr/bin/python3
"""Static HTTPS + HTTP server for autoconfig files, started by mail-harness.

Files come from DOCROOT/<Host>/... (Host header without port, lower case), or from
DOCROOT/default/... when there is no directory for that host.  Every request is logged
as one line:

    TIME SCHEME METHOD HOST PATH?QUERY STATUS

TLS handshakes that fail (for example a client that rejects a certificate) are logged
as "TIME https TLS-ERROR PEER REASON".  Directory listings are never served.

A slow server: when FILE.delay exists next to FILE, it holds the seconds (a decimal
number) to wait before answering a request for FILE, in that request's own thread.
A redirect: when FILE.redirect exists, the answer for FILE is "302 Found" to the URL it
holds (after any delay).
"""

import argparse
import http.server
import os
import ssl
import sys
import threading
import time

_log_lock = threading.Lock()
_log_file = None


def log_line(*fields):
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with _log_lock:
        _log_file.write(" ".join([stamp] + [str(f) for f in fields]) + "\n")
        _log_file.flush()


class Handler(http.server.SimpleHTTPRequestHandler):
    server_version = "mail-harness-https/1"
    sys_version = ""
    timeout = 10

    def setup(self):
        # The TLS handshake runs here, in the connection's thread, not in accept():
        # a client that never completes it must not block the whole server.
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()

    def host(self):
        host = (self.headers.get("Host") or "") if self.headers else ""
        host = host.strip().lower()
        if host.startswith("["):  # [v6]:port
            host = host[: host.find("]") + 1]
        else:
            host = host.split(":", 1)[0]
        return host or "-"

    def translate_path(self, path):
        docroot = self.server.docroot
        host = self.host()
        candidate = os.path.join(docroot, host)
        if host in ("", "-", ".", "..") or "/" in host or not os.path.isdir(candidate):
            candidate = os.path.join(docroot, "default")
        self.directory = candidate
        return super().translate_path(path)

    def send_head(self):
        path = self.translate_path(self.path)
        try:
            with open(path + ".delay", encoding="ascii") as f:
                delay = float(f.read().strip() or 0)
        except (OSError, ValueError):
            delay = 0
        if delay > 0:
            time.sleep(min(delay, 60))
        try:
            with open(path + ".redirect", encoding="utf-8") as f:
                location = f.read().strip()
        except OSError:
            location = None
        if location:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def list_directory(self, path):
        self.send_error(404, "No directory listings")
        return None

    def log_request(self, code="-", size="-"):
        code = getattr(code, "value", code)
        log_line(self.server.scheme, self.command or "-", self.host(), self.path or "-", code)

    def log_message(self, format, *args):
        pass  # log_request() writes the only line we want


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, port, docroot, scheme, context=None):
        self.docroot = docroot
        self.scheme = scheme
        super().__init__((address, port), Handler)
        if context is not None:
            self.socket = context.wrap_socket(self.socket, server_side=True,
                                              do_handshake_on_connect=False)

    def handle_error(self, request, client_address):
        err = sys.exc_info()[1]
        log_line(self.scheme, "ERROR", "%s:%s" % client_address[:2],
                 type(err).__name__, str(err).replace("\n", " "))


def main():
    global _log_file
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--address", required=True)
    ap.add_argument("--https-port", type=int, default=443)
    ap.add_argument("--http-port", type=int, default=80)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--docroot", required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()

    _log_file = open(args.log, "a", encoding="utf-8")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)

    servers = [
        Server(args.address, args.https_port, args.docroot, "https", ctx),
        Server(args.address, args.http_port, args.docroot, "http"),
    ]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    # SIGTERM's default action ends the process; the main thread only waits.
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
