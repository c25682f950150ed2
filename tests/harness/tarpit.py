#!/usr/bin/python3
"""A host that accepts TCP connections and never answers, started by mail-harness.

It listens on the given ports of one address, accepts every connection, reads and
discards whatever the client sends, and never writes a byte.  Connections stay open
until the client closes them.  Each accept and close is logged with the port and peer.

With --blackhole ADDRESS it also makes that address's ports swallow connection attempts
without any answer, as a host behind a dropping firewall does: each port listens with a
backlog of 0 and is never accepted from, and one connection of our own fills its queue.
The kernel then drops every further SYN, so a client's connect() waits until its own
timeout instead of getting a refusal.
"""

import argparse
import selectors
import socket
import time


def blackhole(address, port):
    """A listener on address:port whose accept queue is full; returns the sockets to keep."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen(0)
    # A backlog of 0 holds one established connection; with it queued, the queue is full
    # and the kernel drops new SYNs (net.ipv4 does not answer them with RST by default).
    filler = socket.create_connection((address, port), timeout=2)
    return [s, filler]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--address", required=True)
    ap.add_argument("--ports", required=True, help="comma-separated port numbers")
    ap.add_argument("--log", required=True)
    ap.add_argument("--blackhole", metavar="ADDRESS",
                    help="also swallow SYNs on these ports of ADDRESS (never accepted)")
    ap.add_argument("--blackhole-ports", help="comma-separated ports (default: --ports)")
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

    held = []
    if args.blackhole:
        for port in (int(p) for p in (args.blackhole_ports or args.ports).split(",")):
            held += blackhole(args.blackhole, port)
        note("blackhole", args.blackhole, args.blackhole_ports or args.ports)

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
