#!/usr/bin/python3
"""A host that accepts TCP connections and never answers, started by mail-harness.

It listens on the given ports of one address, accepts every connection, reads and
discards whatever the client sends, and never writes a byte.  Connections stay open
until the client closes them.  Each accept and close is logged with the port and peer.
"""

import argparse
import selectors
import socket
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--address", required=True)
    ap.add_argument("--ports", required=True, help="comma-separated port numbers")
    ap.add_argument("--log", required=True)
    args = ap.parse_args()

    log = open(args.log, "a", encoding="utf-8", buffering=1)

    def note(*fields):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        log.write(" ".join([stamp] + [str(f) for f in fields]) + "\n")

    sel = selectors.DefaultSelector()
    for port in (int(p) for p in args.ports.split(",")):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((args.address, port))
        s.listen(64)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, ("listen", port))

    while True:
        for key, _ in sel.select():
            kind, port = key.data
            if kind == "listen":
                try:
                    conn, peer = key.fileobj.accept()
                except OSError:
                    continue
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ, ("conn", port))
                note("accept", port, "%s:%d" % peer)
                continue
            try:
                data = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                note("close", port)
                sel.unregister(key.fileobj)
                key.fileobj.close()


if __name__ == "__main__":
    main()
