"""A share of a long build done by a forked child process while the parent does its own.

Building the search index and the exact-name table of a large base is Python, record after
record: on two cores two processes take about half the time. `Child.start(work)` forks (on
Linux only: macOS's system libraries are not safe to fork, Windows cannot) and runs `work` in
the child, which then exits at once with 0 if `work` returned, 1 if it raised anything: it
never returns into the parent's code nor runs its clean-ups, and leaves the parent's files and
connections alone (it opens its own). The parent asks `succeeded()` and does the share itself
if not, and calls `stop()` when it is interrupted or fails (Ctrl-C reaches the child too, the
terminal signals them all; `stop` ends one still running). A child whose parent was killed
outright finds out at its next `orphaned()` and gives up.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import NoReturn

MAX_PROCESSES = 4
"""No more processes than this at once, whatever the cores: each holds 60-70 MiB however small
its share (the interpreter, SQLite, the stemmer and romanisers), and a build is to stay within
250 MiB (four took 243 MiB for 100,000 people)."""

Work = Callable[[], None]
"""A child's share of a build: it puts what it makes where the parent will look."""

_parent: int | None = None  # in a child: the pid of the parent it was forked from


def processes() -> int:
    """How many processes may build at once here: the cores this process may use (at most
    MAX_PROCESSES), or 1 where forking is not safe."""
    if not sys.platform.startswith("linux") or threaded():
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES))


def threaded() -> bool:
    """Whether this process runs other threads (the explorer's, say): a fork copies only the
    one that forks, and any lock another holds stays locked for ever in the child."""
    threading = sys.modules.get("threading")  # no threads were started without it
    return threading is not None and threading.active_count() > 1


def orphaned() -> bool:
    """In a child, whether its parent has gone (killed: nobody will read what it makes)."""
    return _parent is not None and os.getppid() != _parent


class Orphaned(Exception):
    """Raised by a child's work on finding its parent gone (see `orphaned`)."""


class Child:
    """A forked child doing `work`; see the module's docstring."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self._running = pid is not None
        self._status: int | None = None  # its exit status, once reaped

    @classmethod
    def start(cls, work: Work) -> Child:
        """A child doing `work`; one that never ran (and so did not succeed) where this process
        runs other threads (see `threaded`)."""
        if threaded():
            return cls(None)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _run(work, parent)
        return cls(pid)

    def running(self) -> bool:
        """Whether the child is still at work (reaped if not): the parent can show progress
        while it waits."""
        if self._running and self.pid is not None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self._running, self._status = False, status
        return self._running

    def succeeded(self) -> bool:
        """Wait for the child to end: whether its work was done."""
        if self.pid is None:
            return False
        if self._status is None:
            _, self._status = os.waitpid(self.pid, 0)
            self._running = False  # only once reaped: an interrupted wait leaves it to `stop`
        return os.waitstatus_to_exitcode(self._status) == 0

    def stop(self) -> None:
        """End the child if it is still running, and reap it."""
        if self._running and self.pid is not None:
            self._running = False
            try:
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
            except OSError:  # gone already
                pass


def _run(work: Work, parent: int) -> NoReturn:
    global _parent
    code = 1
    try:
        _parent = parent
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a child on the spot
        work()
        code = 0
    except BaseException:  # told by the exit code: the parent does the share itself
        pass
    finally:
        os._exit(code)
