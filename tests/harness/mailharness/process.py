"""Child processes that die with the harness, stopping them, and readiness polling.

Every server is started

- in its own session and process group (so a stop can signal the whole group, and a
  Ctrl-C in the terminal does not reach the servers directly),
- with PR_SET_PDEATHSIG = SIGTERM (so a harness killed with SIGKILL takes most of its
  servers down at once), set *after* any uid change because the kernel clears it on
  one; the daemons that drop it themselves are covered by the watchdog (watchdog.py),
- with stdout and stderr sent to a log file, never a pipe: Dovecot and Postfix keep the
  descriptors they inherit, so a pipe would never reach end-of-file.

The harness also makes itself a child subreaper, so that anything a server or the
command under test leaves behind is re-parented to us, where stop() can find it.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

_libc = ctypes.CDLL(None, use_errno=True)


def prctl(option, value):
    if _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def become_subreaper():
    prctl(PR_SET_CHILD_SUBREAPER, 1)


_T0 = time.monotonic()


def debug(msg):
    """Timestamped progress on stderr when MAIL_HARNESS_DEBUG is set."""
    if os.environ.get("MAIL_HARNESS_DEBUG"):
        sys.stderr.write("mail-harness[%6.3f] %s\n" % (time.monotonic() - _T0, msg))
        sys.stderr.flush()


class StartError(Exception):
    """A service failed to start; the message names it and includes its log tails.

    logs: a path or a list of paths (a server's own log and its stdout/stderr file:
    configuration errors usually land in the latter)."""

    def __init__(self, service, message, logs=()):
        self.service = service
        text = "%s: %s" % (service, message)
        for log in [logs] if isinstance(logs, str) else logs:
            tail = log_tail(log)
            if tail:
                text += "\n--- last lines of %s ---\n%s" % (log, tail)
        super().__init__(text)


def log_tail(path, lines=15):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 8192))
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


def proc_start_time(pid):
    """Start time of a process in clock ticks since boot, or None if it is gone.

    Together with the PID it identifies a process even after PID reuse.
    """
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read().decode("ascii", "replace")
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses: split after it.
    fields = stat[stat.rindex(")") + 2:].split()
    if fields[0] == "Z":
        return None  # a zombie is as good as gone
    return int(fields[19])


def proc_ppid_pgid(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read().decode("ascii", "replace")
    except OSError:
        return None, None
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[1]), int(fields[2])


def all_pids():
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def group_members(pgid):
    return [p for p in all_pids() if proc_ppid_pgid(p)[1] == pgid and proc_start_time(p)]


def descendants(root):
    """PIDs of all living descendants of root."""
    parent = {}
    for pid in all_pids():
        ppid, _ = proc_ppid_pgid(pid)
        if ppid is not None:
            parent[pid] = ppid
    found = []
    for pid in parent:
        p = parent.get(pid)
        while p is not None and p > 1:
            if p == root:
                if proc_start_time(pid):
                    found.append(pid)
                break
            p = parent.get(p)
    return found


def _kill(pid, sig, group=False):
    try:
        if group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return False


class Child:
    """One process we started."""

    def __init__(self, name, popen, log):
        self.name = name
        self.popen = popen
        self.pid = popen.pid
        self.log = log
        self.start_time = proc_start_time(popen.pid)

    def running(self):
        return self.popen.poll() is None

    def exit_description(self):
        rc = self.popen.returncode
        if rc is None:
            return "running"
        if rc < 0:
            return "killed by signal %d" % -rc
        return "exited with status %d" % rc


def _preexec(parent_pid, pdeathsig):
    """Runs in the child after fork (and after Popen's setsid/uid change), before exec."""

    def setup():
        prctl(PR_SET_PDEATHSIG, pdeathsig)
        # The parent may have died between fork() and prctl(): then nobody would ever
        # send the signal, so leave now.
        if os.getppid() != parent_pid:
            os._exit(1)

    return setup


class Supervisor:
    """Starts children, remembers them, and stops them again."""

    def __init__(self, on_spawn=None):
        self.children = []
        self.on_spawn = on_spawn  # called with each new Child (the slot records PIDs)

    def spawn(self, name, argv, log, env=None, cwd=None, user=None, stdin_data=None,
              pass_fds=()):
        """Start argv with stdout+stderr appended to log.  user: a pwd entry or None."""
        os.makedirs(os.path.dirname(log), exist_ok=True)
        logf = open(log, "ab", buffering=0)
        kwargs = {}
        if user is not None:
            kwargs.update(user=user.pw_uid, group=user.pw_gid,
                          extra_groups=os.getgrouplist(user.pw_name, user.pw_gid))
        try:
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
                stdout=logf,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd,
                start_new_session=True,
                preexec_fn=_preexec(os.getpid(), signal.SIGTERM),
                pass_fds=pass_fds,
                **kwargs,
            )
        except OSError as e:
            raise StartError(name, "cannot run %s: %s" % (argv[0], e))
        finally:
            logf.close()
        if stdin_data is not None:
            try:
                popen.stdin.write(stdin_data)
                popen.stdin.close()
            except BrokenPipeError:
                pass
        child = Child(name, popen, log)
        debug("spawned %s (pid %d)" % (name, child.pid))
        self.children.append(child)
        if self.on_spawn:
            self.on_spawn(child)
        return child

    def reap(self):
        """Reap exited children, including orphans re-parented to us as subreaper."""
        by_pid = {c.pid: c for c in self.children}
        while True:
            try:
                info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return
            if info is None:
                return
            child = by_pid.get(info.si_pid)
            if child is not None:
                child.popen.poll()  # let Popen reap its own child and keep the status
            else:
                try:
                    os.waitpid(info.si_pid, 0)
                except ChildProcessError:
                    pass

    def stop_all(self, timeout=5.0):
        """SIGTERM every child and its process group; SIGKILL whatever is left after timeout.

        The whole group at once: Dovecot's master alone takes a second to shut down
        its children, with the group signalled everything is gone in milliseconds.
        Returns [(name, pid)] of processes that survived even SIGKILL (should be empty).
        """
        children = list(reversed(self.children))
        for c in children:
            if not _kill(c.pid, signal.SIGTERM, group=True):
                _kill(c.pid, signal.SIGTERM)

        def leftovers():
            self.reap()
            left = []
            for c in children:
                if c.running():
                    left.append((c.name, c.pid))
                left += [(c.name, p) for p in group_members(c.pid) if p != c.pid]
            ours = {c.pid for c in children}
            # Anything else re-parented to us (we are a subreaper) belongs to the run too.
            left += [("orphan", p) for p in descendants(os.getpid()) if p not in ours]
            return left

        deadline = time.monotonic() + timeout
        left = leftovers()
        while left and time.monotonic() < deadline:
            time.sleep(0.01)
            left = leftovers()
        if left:
            debug("still running after SIGTERM, killing: %s" % left)
        for name, pid in left:
            _kill(pid, signal.SIGKILL)
        for c in children:
            _kill(c.pid, signal.SIGKILL, group=True)
        # SIGKILL is not instant either: wait (briefly) until they are reaped.
        kill_deadline = time.monotonic() + 2.0
        while left and time.monotonic() < kill_deadline:
            time.sleep(0.01)
            left = leftovers()
        for c in children:
            debug("%s: %s" % (c.name, c.exit_description()))
        return left


def tcp_listening(address, port):
    """Is a TCP socket listening on address:port?  Read from /proc/net/tcp.

    Looking at the socket table instead of connecting keeps the servers' logs free of
    "disconnected before greeting" noise from the readiness probes.
    """
    a, b, c, d = (int(x) for x in address.split("."))
    # /proc/net/tcp prints the address as a host-order (little-endian here) hex u32.
    # Only that exact address: a wildcard listener of some other server is not ours.
    want = "%02X%02X%02X%02X:%04X" % (d, c, b, a, port)
    try:
        with open("/proc/net/tcp") as f:
            next(f)
            for line in f:
                fields = line.split()
                if fields[3] == "0A" and fields[1] == want:
                    return True
    except OSError:
        pass
    return False


def wait_all(checks, deadline):
    """Poll until every check is satisfied.

    checks: list of (service, description, check_fn, child_or_None, log). check_fn
    returns True when ready.  Raises StartError naming the first service that died or,
    at the deadline, the first one still not ready.
    """
    pending = list(checks)
    while pending:
        still = []
        for item in pending:
            service, what, fn, child, log = item
            if fn():
                debug("ready: %s: %s" % (service, what))
                continue
            if child is not None and not child.running():
                raise StartError(service, "%s %s before %s" %
                                 (child.name, child.exit_description(), what), log)
            still.append(item)
        pending = still
        if not pending:
            return
        if time.monotonic() > deadline:
            service, what, _, _, log = pending[0]
            raise StartError(service, "timed out waiting for %s" % what, log)
        time.sleep(0.01)
