"""A watchdog that cleans up when the harness dies without stopping (SIGKILL, crash).

PR_SET_PDEATHSIG alone is not enough: measured here, dnsmasq, Dovecot's master and
Postfix's master all survive their parent's SIGKILL (they change credentials or
capabilities at start-up, which makes the kernel forget the parent-death signal), and
so do grandchildren of the command under test.

So the harness forks one small process per run that waits on a pipe.  The harness
holds the only write end; when the harness is gone, for whatever reason, the read
returns end-of-file.  If the slot's PID file still lists processes (a clean stop
removes it), the watchdog kills them and their process groups and removes the run
directory, just as the next holder of the slot would.  It keeps the slot's lock until
it is done, so no new run takes the slot while old servers still hold its addresses.

The watchdog is double-forked before the harness becomes a subreaper, so it is not a
descendant of the harness (the harness's "nothing of the run is left" checks must not
see it) and Ctrl-C in the harness's terminal does not reach it (own session).
"""

import os
import signal


def start(slot):
    """Fork the watchdog for this slot.  Returns the write end the harness must keep."""
    r, w = os.pipe()  # not inheritable: no server or command gets a copy of either end
    pid = os.fork()
    if pid == 0:
        try:
            os.close(w)
            os.setsid()
            if os.fork() != 0:
                os._exit(0)
            _watch(slot, r)
        finally:
            os._exit(0)
    os.close(r)
    os.waitpid(pid, 0)  # the intermediate child exits at once
    return w


def _watch(slot, r):
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    # Hold nothing of the harness's but the pipe and the slot lock: an inherited
    # stdout pipe, say, would keep a test runner waiting for end-of-file.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    keep = {0, 1, 2, r, slot.lock_fd}
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass
    try:
        while os.read(r, 64):
            pass
    except OSError:
        pass
    # The harness is gone.  Clean up whatever it left recorded, then release the lock.
    slot.clean_stale()
    slot.release()
