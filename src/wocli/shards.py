"""Build the search index of a large base in several processes at once, a shard of records each.

Indexing is Python, record after record: 100,000 people keep one core busy for about 20 s. So
a base of MIN_RECORDS or more is cut into contiguous shards, one per process that may run here
(`forking.processes`). Each forked child indexes its shard into a file of its own, numbering
records from the shard's first, its tokens already merged in token order
(`search.Builder.save_shard`); the parent indexes the first shard itself, then takes in the
children's files in order (`Builder.add_shard`): their rows as they are, their tokens joined
after its own, which only tokens found in more than one shard need. The index is the same, row
for row, whichever way it was built (a test compares them). A child that fails, for whatever
reason, costs only time: the parent indexes that shard itself.

The progress shown counts every shard's records: each child writes its count into memory
shared with the parent (`_Counts`), which adds them to its own while it indexes and while it
waits; taking the shards in and filing the tokens is a second phase, "Merging the search index".
"""

from __future__ import annotations

import contextlib
import mmap
import os
import sqlite3
import struct
import time
from collections.abc import Callable

from . import cache, forking, progress, search
from .store import FactBase

MIN_RECORDS = 20_000
"""Bases smaller than this are indexed in one process: starting others costs more."""
ORPHAN_CHECK = 1000
"""Records a child indexes between two looks at whether its parent is still there (and two
counts of its progress)."""
POLL = 0.1
"""Seconds between two looks of the parent at its children's progress, once its shard is done."""


def fill_base(
    db: sqlite3.Connection,
    base: FactBase,
    label: str,
    workers: int | None = None,
    min_records: int | None = None,
) -> None:
    """Index every record of `base` into `db` (INDEX_SCHEMA's tables), in `workers` processes
    (by default: `forking.processes()`) if it has `min_records` (MIN_RECORDS) or more, showing
    `label`'s progress if that takes long."""
    total = len(base)
    n = forking.processes() if workers is None else workers
    key = base.cache_key
    small = total < (MIN_RECORDS if min_records is None else min_records)
    # A base or index in memory: the cache folder cannot be used, nor could a child use it.
    if n < 2 or small or key is None or not cache.file_of(db):
        search.fill(db, progress.counted(base.all(), total, label))
        return
    import shutil
    import tempfile

    bounds = [total * k // n for k in range(n + 1)]
    folder = tempfile.mkdtemp(prefix="wocli-index-")
    paths = [os.path.join(folder, f"shard-{k}.sqlite") for k in range(n)]
    counts = _Counts(n)  # before the fork: the children's counts, seen by the parent
    children: list[forking.Child] = []
    meter = progress.Meter(total, label)
    try:
        for k in range(1, n):
            work = _shard_work(key, paths[k], bounds[k], bounds[k + 1], n, counts.slot(k))
            children.append(forking.Child.start(work))
        with search.gc_paused():
            builder = search.Builder(db, share=n)
            for record in meter.counted(base.all(stop=bounds[1]), counts.total):
                builder.add(record)
            builder.flush()  # while the children still index
            _wait(children, meter, lambda: bounds[1] + counts.total())
            _redo_failed(base, children, paths, bounds, meter, counts)
            _take_in(builder, paths, meter)
    finally:
        meter.close()
        for child in children:  # interrupted, or failed: stop the rest
            child.stop()
        shutil.rmtree(folder, ignore_errors=True)
        counts.close()


def _wait(children: list[forking.Child], meter: progress.Meter, done: Callable[[], int]) -> None:
    """Wait for every child to end, showing the records `done` in all meanwhile."""
    while any([child.running() for child in children]):
        meter.show(done())
        time.sleep(POLL)
    meter.show(done())


def _redo_failed(
    base: FactBase,
    children: list[forking.Child],
    paths: list[str],
    bounds: list[int],
    meter: progress.Meter,
    counts: _Counts,
) -> None:
    """Index here, into its file, the shard of each child that failed (whatever went wrong
    there), counted where that child's count was."""
    share = len(children) + 1
    for k, child in enumerate(children, 1):
        if not child.succeeded():
            slot = counts.slot(k)

            def count(done: int, slot: Callable[[int], None] = slot) -> None:
                slot(done)
                meter.show(bounds[1] + counts.total())

            count(0)
            with contextlib.suppress(OSError):  # what the child may have left
                os.remove(paths[k])
            _index_shard(base, paths[k], bounds[k], bounds[k + 1], share, count)


def _take_in(builder: search.Builder, paths: list[str], meter: progress.Meter) -> None:
    """Take the shards in, in order, and finish the index: a phase of its own in the progress
    shown, a step a shard and a step a space of tokens filed."""
    from .i18n import _

    steps = len(paths) - 1 + 3
    meter.phase(_("Merging the search index"), steps)
    step = iter(range(1, steps + 1))
    for path in paths[1:]:
        builder.add_shard(path)
        meter.show(next(step))
    builder.finish(lambda: meter.show(next(step)))


def _shard_work(
    cache_key: str, path: str, start: int, stop: int, share: int, count: Callable[[int], None]
) -> forking.Work:
    """What a child does: index records `start` to `stop` of the cached base into `path`."""

    def work() -> None:
        db = cache.open_cached(cache_key)  # its own connection: none may be used across a fork
        if db is None:
            raise LookupError(cache_key)
        _index_shard(FactBase(db, cache_key), path, start, stop, share, count)

    return work


def _index_shard(
    base: FactBase, path: str, start: int, stop: int, share: int, count: Callable[[int], None]
) -> None:
    """Index records `start` to `stop` of `base` into a file of their own at `path`, telling
    `count` how many are done as it goes."""
    out = sqlite3.connect(path)
    out.execute("PRAGMA journal_mode = OFF")  # a private file, read once by the parent
    out.execute("PRAGMA synchronous = OFF")
    out.executescript(cache.split_schema(search.INDEX_SCHEMA)[0])
    with search.gc_paused():
        builder = search.Builder(out, first=start, share=share)
        for done, record in enumerate(base.all(start=start, stop=stop)):
            if done % ORPHAN_CHECK == 0:
                if forking.orphaned():
                    _clear(path)  # the parent was killed: nobody will read this
                    raise forking.Orphaned
                count(done)
            builder.add(record)
        count(stop - start)
        builder.save_shard()
    out.close()


class _Counts:
    """How many records each child has indexed, in memory shared with the parent (an anonymous
    mapping made before the fork): one 8-byte slot a child, slot 0 unused."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.memory = mmap.mmap(-1, 8 * n)

    def slot(self, k: int) -> Callable[[int], None]:
        """What child `k` calls with its count."""
        return lambda done: _SLOT.pack_into(self.memory, 8 * k, done)

    def total(self) -> int:
        """The records the children have indexed so far, all told."""
        return sum(_SLOT.unpack_from(self.memory, 8 * k)[0] for k in range(1, self.n))

    def close(self) -> None:
        self.memory.close()


_SLOT = struct.Struct("@q")


def _clear(path: str) -> None:
    """Remove a child's file and, if it is empty then, the folder its parent made for it."""
    with contextlib.suppress(OSError):
        os.remove(path)
        os.rmdir(os.path.dirname(path))
