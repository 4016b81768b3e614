"""Build the search index of a large base in several processes at once, a shard of records each.

Indexing is Python, record after record: 100,000 people keep one core busy for about 20 s. So
where the system can fork (Linux), a base of MIN_RECORDS or more is cut into contiguous shards,
one per core. Each forked worker indexes its shard into a file of its own, numbering records
from the shard's first (`search.Builder.save_shard`); the parent indexes the first shard itself
(that is the progress shown), then takes in the workers' files in order as runs of postings
(`Builder.add_shard`) and merges them as a one-process build merges its own. The index is the
same, row for row, whichever way it was built (a test compares them). A worker that fails, for
whatever reason, costs only time: the parent indexes that shard itself.

Ctrl-C stops the workers with the parent (the terminal signals them all); the parent stops any
left, and their files go with the temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import sys
from typing import NoReturn

from . import cache, progress, search
from .store import FactBase

MIN_RECORDS = 20_000
"""Bases smaller than this are indexed in one process: starting others costs more."""
ORPHAN_CHECK = 1000
"""Records a worker indexes between two looks at whether its parent is still there."""
MAX_PROCESSES = 4
"""No more processes than this, whatever the cores: each holds 60-70 MiB however small its
share (the interpreter, SQLite, the stemmer and romanisers), and a build is to stay within
250 MiB (four took 243 MiB for 100,000 people); the parent's merge at the end, which more
workers do not shorten, takes 2-3 s of it anyway."""


def processes() -> int:
    """How many processes may index at once here: the cores this process may use, where it
    can fork safely (macOS's system libraries are not safe to fork, Windows cannot)."""
    if not sys.platform.startswith("linux"):
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES))


def fill_base(
    db: sqlite3.Connection,
    base: FactBase,
    label: str,
    workers: int | None = None,
    min_records: int | None = None,
) -> None:
    """Index every record of `base` into `db` (INDEX_SCHEMA's tables), in `workers` processes
    (by default: `processes()`) if it has `min_records` (MIN_RECORDS) or more, showing
    `label`'s progress if that takes long."""
    total = len(base)
    n = processes() if workers is None else workers
    if (
        n < 2
        or total < (MIN_RECORDS if min_records is None else min_records)
        or base.cache_key is None
        or _in_memory(db)
    ):
        search.fill(db, progress.counted(base.all(), total, label))
        return
    import shutil
    import tempfile

    bounds = [total * k // n for k in range(n + 1)]
    folder = tempfile.mkdtemp(prefix="wocli-index-")
    workers_left: dict[int, tuple[int, str]] = {}  # shard -> (pid, its file)
    try:
        for k in range(1, n):
            path = os.path.join(folder, f"shard-{k}.sqlite")
            pid = os.fork()
            if pid == 0:
                _work(base.cache_key, path, bounds[k], bounds[k + 1], n)
            workers_left[k] = (pid, path)
        with search.gc_paused():
            builder = search.Builder(db, share=n)
            for record in progress.counted(base.all(stop=bounds[1]), total, label, step=n):
                builder.add(record)
            for k in range(1, n):
                pid, path = workers_left[k]
                succeeded = _succeeded(pid)
                del workers_left[k]  # only once reaped: an interrupted wait leaves it to stop
                if succeeded:
                    builder.add_shard(path)
                else:  # whatever went wrong there, this process can do the shard itself
                    for record in base.all(start=bounds[k], stop=bounds[k + 1]):
                        builder.add(record)
            builder.finish()
    finally:
        for pid, _path in workers_left.values():  # interrupted: stop the rest
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        shutil.rmtree(folder, ignore_errors=True)


def _in_memory(db: sqlite3.Connection) -> bool:
    """Whether `db` lives in memory: the cache folder could not be used, so a worker could not
    open the compiled base there either."""
    files = [row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"]
    return files == [""]


def _succeeded(pid: int) -> bool:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _work(cache_key: str, path: str, start: int, stop: int, share: int) -> NoReturn:
    """A worker's life: index records `start` to `stop` of the cached base into `path`, then
    exit at once (never returning into the parent's code, nor running its clean-ups)."""
    code = 1
    parent = os.getppid()
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker on the spot
        db = cache.open_cached(cache_key)  # its own connection: the parent's is not for sharing
        if db is not None:
            base = FactBase(db, cache_key)
            out = sqlite3.connect(path)
            out.execute("PRAGMA journal_mode = OFF")  # a private file, read once by the parent
            out.execute("PRAGMA synchronous = OFF")
            out.executescript(cache.split_schema(search.INDEX_SCHEMA)[0])
            with search.gc_paused():
                builder = search.Builder(out, first=start, runs_in="main", share=share)
                for done, record in enumerate(base.all(start=start, stop=stop)):
                    if done % ORPHAN_CHECK == 0 and os.getppid() != parent:
                        raise _Orphaned  # the parent was killed: nobody will read this
                    builder.add(record)
                builder.save_shard()
            out.close()
            code = 0
    except _Orphaned:
        _clear(path)
    except BaseException:  # told by the exit code: the parent does the shard itself
        pass
    finally:
        os._exit(code)


class _Orphaned(Exception):
    """A worker's parent has gone."""


def _clear(path: str) -> None:
    """Remove a worker's file and, if it is empty then, the folder its parent made for it."""
    with contextlib.suppress(OSError):
        os.remove(path)
        os.rmdir(os.path.dirname(path))
