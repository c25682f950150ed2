"""Slot allocation: one flock per slot, held for the life of the harness process.

A slot S owns the loopback addresses 127.(20+S).0.N, so parallel runs never compete
for an address or port.  S.pids lists what the holder started ("pid starttime name"
lines, plus a "dir PATH keep" line), so that the next holder of a slot can remove the
leftovers of a run that was killed with SIGKILL.
"""

import fcntl
import os
import shutil
import signal
import time

from . import layout
from .process import group_members, proc_start_time


class SlotBusy(Exception):
    pass


class Slot:
    def __init__(self, number, lock_fd):
        self.number = number
        self.lock_fd = lock_fd
        self.pids_file = os.path.join(layout.SLOT_DIR, "%d.pids" % number)

    @classmethod
    def acquire(cls, wanted=None):
        """Take the first free slot (or exactly `wanted`)."""
        if not os.path.isdir(layout.SLOT_DIR):
            os.makedirs(layout.SLOT_DIR, exist_ok=True)
            os.chmod(layout.SLOT_DIR, 0o755)
        numbers = [wanted] if wanted else range(1, layout.MAX_SLOT + 1)
        for n in numbers:
            path = os.path.join(layout.SLOT_DIR, "%d.lock" % n)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            slot = cls(n, fd)
            slot.clean_stale()
            return slot
        raise SlotBusy("no free slot in %s (all %d taken)" % (layout.SLOT_DIR, len(numbers)))

    def clean_stale(self):
        """Kill processes and remove the run directory a dead holder left behind.

        Used by the next holder of the slot, and by the run's own watchdog."""
        try:
            with open(self.pids_file) as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return
        dirs, killed = [], []
        for line in lines:
            parts = line.split(None, 2)
            if len(parts) < 3:
                continue
            if parts[0] == "dir":
                dirs.append((parts[1], parts[2]))
                continue
            pid, start = int(parts[0]), int(parts[1])
            # The process itself if it is still the same one (not a reused PID), and
            # its process group: every child ran as a group leader, and a group can
            # outlive its leader (the command's grandchildren, say).  Members started
            # before the leader cannot be ours.
            victims = [p for p in group_members(pid) if (proc_start_time(p) or 0) >= start]
            if proc_start_time(pid) == start:
                victims.append(pid)
            for victim in victims:
                try:
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)
                except OSError:
                    pass
        # Let them die before their files go away.
        deadline = time.monotonic() + 2
        while any(proc_start_time(p) for p in killed) and time.monotonic() < deadline:
            time.sleep(0.01)
        for path, keep in dirs:
            # Only a directory that looks like ours and was not to be kept.
            if keep == "0" and os.path.isfile(os.path.join(path, "harness.ini")):
                shutil.rmtree(path, ignore_errors=True)
        os.unlink(self.pids_file)

    def record(self, line):
        with open(self.pids_file, "a") as f:
            f.write(line + "\n")

    def record_child(self, child):
        self.record("%d %d %s" % (child.pid, child.start_time or 0, child.name))

    def record_dir(self, path, keep):
        self.record("dir %s %d" % (path, 1 if keep else 0))

    def recorded_pids(self):
        pids = []
        try:
            with open(self.pids_file) as f:
                for line in f:
                    parts = line.split()
                    if parts and parts[0].isdigit():
                        pids.append((int(parts[0]), int(parts[1]), parts[2]))
        except FileNotFoundError:
            pass
        return pids

    def release(self):
        """Forget the records (everything is stopped) and drop the lock."""
        try:
            os.unlink(self.pids_file)
        except FileNotFoundError:
            pass
        if self.lock_fd is not None:
            os.close(self.lock_fd)
            self.lock_fd = None
