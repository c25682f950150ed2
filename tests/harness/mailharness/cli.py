"""Command line: run, selftest, start, stop."""

import argparse
import os
import pwd
import signal
import subprocess
import sys
import time
import traceback

from .harness import Harness, Options
from .process import PR_SET_PDEATHSIG, StartError, group_members, prctl, proc_start_time

EXIT_HARNESS_FAILED = 99

# Runs in the private mount namespace: $1 is the resolv.conf to bind, then the command.
NS_SCRIPT = ('mount --bind "$1" /etc/resolv.conf || exit %d; shift; exec "$@"'
             % EXIT_HARNESS_FAILED)


class Interrupted(Exception):
    def __init__(self, signum):
        super().__init__("signal %d" % signum)
        self.signum = signum


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


def install_signal_handlers():
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_interrupted)


def defer_signals():
    """While stopping, note signals instead of letting them cut the clean-up short."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda s, f: None)


def note(msg):
    print("mail-harness: " + msg, file=sys.stderr, flush=True)


def add_start_options(p):
    p.add_argument("--mode", choices=["test", "demo"], default="test",
                   help="demo fills alice's mailbox (default 300 messages)")
    p.add_argument("--artifacts", metavar="DIR",
                   help="copy the server logs here at the end (default $MAIL_TEST_ARTIFACTS)")
    p.add_argument("--dns-extra", metavar="FILE", action="append", default=[],
                   help="extra dnsmasq configuration lines (may repeat)")
    p.add_argument("--www", metavar="DIR", action="append", default=[],
                   help="copy this tree over the web docroot (may repeat)")
    p.add_argument("--corpus", metavar="N", type=int,
                   help="generate N messages in alice's mailbox")
    p.add_argument("--as-user", metavar="USER",
                   help="run the command, the session bus and the keyring as USER")
    p.add_argument("--cert-name", metavar="NAME", action="append", default=[],
                   help="another DNS name in the good certificate (IDN names are converted "
                        "to their xn-- form; may repeat)")
    p.add_argument("--user", metavar="LOGIN:PASSWORD", action="append", default=[],
                   type=_user_arg,
                   help="another Dovecot/Postfix login, e.g. carol@other.test:secret or "
                        "carol:secret (may repeat)")
    p.add_argument("--keep", action="store_true", help="keep the run directory")


def _user_arg(text):
    login, sep, password = text.partition(":")
    if not sep or not login or not password:
        raise argparse.ArgumentTypeError("want LOGIN:PASSWORD, got %r" % text)
    if any(c in login for c in ": \t\n") or any(c in password for c in ":\n"):
        raise argparse.ArgumentTypeError("no ':', blanks or newlines in %r" % text)
    return (login, password)


def options_from(args, label):
    if args.as_user:
        try:
            pwd.getpwnam(args.as_user)
        except KeyError:
            raise SystemExit("mail-harness: no such user: %s" % args.as_user)
    return Options(mode=args.mode, artifacts=args.artifacts, dns_extra=args.dns_extra,
                   www=args.www, corpus=args.corpus, as_user=args.as_user, keep=args.keep,
                   cert_names=args.cert_name, users=args.user,
                   dir=getattr(args, "dir", None), label=label)


def stop_harness(h):
    defer_signals()
    left = h.stop()
    if left:
        note("processes still alive after stop: " + ", ".join(left))
    return left


# --------------------------------------------------------------------------- run

def _terminate_group(h, pgid, timeout=5.0):
    """SIGTERM the command's process group, SIGKILL it after timeout.  (Anything it
    moved to other groups is re-parented to us and swept up by Harness.stop().)"""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 2.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        end = time.monotonic() + wait
        while group_members(pgid) and time.monotonic() < end:
            h.sup.reap()
            time.sleep(0.02)
        if not group_members(pgid):
            return


def _spawn_command(h, argv):
    """Start the command in a private mount namespace, its own process group, and (when
    we own the terminal) in the foreground of the terminal, as a shell would."""
    cmd = list(argv)
    if h.as_user is not None:
        u = h.as_user
        # setpriv clears the parent-death signal with the uid change; --pdeathsig keep
        # restores it.
        cmd = ["setpriv", "--reuid=%d" % u.pw_uid, "--regid=%d" % u.pw_gid, "--init-groups",
               "--pdeathsig", "keep", "--"] + cmd
    full = ["unshare", "-m", "--propagation", "private", "sh", "-c", NS_SCRIPT,
            "mail-harness", h.run.resolv_conf] + cmd

    parent = os.getpid()
    try:
        tty = os.isatty(0) and os.tcgetpgrp(0) == os.getpgrp()
    except OSError:
        tty = False

    def setup():
        os.setpgid(0, 0)
        if tty:
            old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            os.tcsetpgrp(0, os.getpgrp())
            signal.signal(signal.SIGTTOU, old)
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)

    p = subprocess.Popen(full, env=h.command_env(), preexec_fn=setup)
    return p, tty


def _take_back_terminal(tty):
    if tty:
        old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        try:
            os.tcsetpgrp(0, os.getpgrp())
        except OSError:
            pass
        signal.signal(signal.SIGTTOU, old)


def cmd_run(args):
    if not args.command:
        raise SystemExit("mail-harness run: no command given (mail-harness run [OPTIONS] -- CMD)")
    install_signal_handlers()
    h = Harness(options_from(args, args.command[0]))
    status = EXIT_HARNESS_FAILED
    proc = tty = None
    try:
        try:
            h.start()
        except StartError as e:
            note("failed to start: %s" % e)
            return EXIT_HARNESS_FAILED
        except Exception:
            note("failed to start (internal error):\n" + traceback.format_exc())
            return EXIT_HARNESS_FAILED
        note("servers ready in %.2f s (slot %d, %s)" % (h.startup_seconds, h.addresses.slot,
                                                        h.run.ini))
        try:
            proc, tty = _spawn_command(h, args.command)
        except OSError as e:
            note("cannot run the command: %s" % e)
            return EXIT_HARNESS_FAILED
        # Recorded like the servers, so that a stale-run clean-up also ends the
        # command's process group.
        h.slot.record("%d %d command" % (proc.pid, proc_start_time(proc.pid) or 0))
        try:
            rc = proc.wait()
            status = rc if rc >= 0 else 128 - rc
        except Interrupted as e:
            note("got signal %d: stopping the command and the servers" % e.signum)
            try:
                os.killpg(proc.pid, e.signum)
            except ProcessLookupError:
                pass
            status = 128 + e.signum
    except Interrupted as e:
        note("got signal %d while starting: stopping" % e.signum)
        status = 128 + e.signum
    finally:
        defer_signals()
        if proc is not None:
            _terminate_group(h, proc.pid)
            proc.poll()
            _take_back_terminal(tty)
        if stop_harness(h) and status == 0:
            status = EXIT_HARNESS_FAILED
    return status


# --------------------------------------------------------------------------- start/stop

def cmd_start(args):
    """Daemonise a supervisor that owns the slot and the servers; return once it is ready.

    The supervisor reports "ready INI" or "failed ..." on a pipe; the caller prints the
    path of harness.ini and exits 0, or the error and exits 99.
    """
    opts = options_from(args, "start")
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid > 0:
        os.close(wfd)
        with os.fdopen(rfd) as r:
            answer = r.readline()
        os.waitpid(pid, 0)  # the first child exits once the supervisor is forked
        if answer.startswith("ready "):
            print(answer[len("ready "):].strip())
            return 0
        sys.stderr.write("mail-harness start: " + (answer or "the supervisor died\n"))
        return EXIT_HARNESS_FAILED

    # Double fork: the supervisor is nobody's child but init's (or a subreaper's), in
    # its own session, with stdio on /dev/null until its log exists.
    os.close(rfd)
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    status = EXIT_HARNESS_FAILED
    h = None
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        install_signal_handlers()
        h = Harness(opts)
        try:
            h.start()
            log = os.open(h.run.log("harness"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            os.dup2(log, 1)
            os.dup2(log, 2)
            with open(h.run.supervisor_pid, "w") as f:
                f.write("%d\n" % os.getpid())
            note("ready in %.2f s, slot %d, supervisor %d" % (h.startup_seconds,
                                                            h.addresses.slot, os.getpid()))
            os.write(wfd, ("ready %s\n" % h.run.ini).encode())
            os.close(wfd)
            wfd = None
            status = 0
            while True:
                signal.pause()
        except StartError as e:
            os.write(wfd, ("failed to start: %s\n" % e).encode())
        except Interrupted as e:
            note("got signal %d: stopping" % e.signum)
        except Exception:
            if wfd is not None:
                os.write(wfd, ("failed to start (internal error):\n%s" %
                               traceback.format_exc()).encode())
    finally:
        if h is not None:
            if stop_harness(h):
                status = EXIT_HARNESS_FAILED
            if h.run is not None:
                try:
                    os.unlink(h.run.supervisor_pid)
                except OSError:
                    pass
        os._exit(status)


def cmd_stop(args):
    pid_file = os.path.join(os.path.abspath(args.dir), "harness.pid")
    try:
        with open(pid_file) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        note("no running harness in %s (no harness.pid)" % args.dir)
        return 1
    start = proc_start_time(pid)
    if start is None:
        note("harness %d is already gone" % pid)
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while proc_start_time(pid) == start:
        if time.monotonic() > deadline:
            note("harness %d did not stop within 20 s" % pid)
            return 1
        time.sleep(0.05)
    return 0


# --------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="mail-harness",
        description="Real mail servers (Dovecot, Postfix, dnsmasq, HTTPS, gnome-keyring) "
                    "on loopback addresses for the Mail test suites.")
    sub = ap.add_subparsers(dest="verb", required=True)

    p = sub.add_parser("run", help="start the servers, run a command, stop the servers")
    add_start_options(p)
    p.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")

    p = sub.add_parser("selftest", help="start, check every service (TAP), stop")
    add_start_options(p)

    p = sub.add_parser("start", help="start a supervisor in the background (see stop)")
    add_start_options(p)
    p.add_argument("--dir", required=True, help="run directory (created, kept)")

    p = sub.add_parser("stop", help="stop the supervisor started with start --dir DIR")
    p.add_argument("--dir", required=True)

    args = ap.parse_args(argv)
    if args.verb == "run":
        if args.command and args.command[0] == "--":
            args.command = args.command[1:]
        return cmd_run(args)
    if args.verb == "selftest":
        from .selftest import selftest
        return selftest(options_from(args, "selftest"))
    if args.verb == "start":
        return cmd_start(args)
    return cmd_stop(args)
