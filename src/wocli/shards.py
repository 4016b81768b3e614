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
"""

from __future__ import annotations

import contextlib
import os
import sqlite3

from . import cache, forking, progress, search
from .store import FactBase

MIN_RECORDS = 20_000
"""Bases smaller than this are indexed in one process: starting others costs more."""
ORPHAN_CHECK = 1000
"""Records a child indexes between two looks at whether its parent is still there."""


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
    children: list[forking.Child] = []
    try:
        for k in range(1, n):
            work = _shard_work(key, paths[k], bounds[k], bounds[k + 1], n)
            children.append(forking.Child.start(work))
        with search.gc_paused():
            builder = search.Builder(db, share=n)
            for record in progress.counted(base.all(stop=bounds[1]), total, label, step=n):
                builder.add(record)
            for k, child in enumerate(children, 1):
                if child.succeeded():
                    builder.add_shard(paths[k])
                else:  # whatever went wrong there, this process can do the shard itself
                    for record in base.all(start=bounds[k], stop=bounds[k + 1]):
                        builder.add(record)
            builder.finish()
    finally:
        for child in children:  # interrupted, or failed: stop the rest
            child.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _shard_work(cache_key: str, path: str, start: int, stop: int, share: int) -> forking.Work:
    """What a child does: index records `start` to `stop` of the cached base into `path`."""

    def work() -> None:
        db = cache.open_cached(cache_key)  # its own connection: none may be used across a fork
        if db is None:
            raise LookupError(cache_key)
        base = FactBase(db, cache_key)
        out = sqlite3.connect(path)
        out.execute("PRAGMA journal_mode = OFF")  # a private file, read once by the parent
        out.execute("PRAGMA synchronous = OFF")
        out.executescript(cache.split_schema(search.INDEX_SCHEMA)[0])
        with search.gc_paused():
            builder = search.Builder(out, first=start, share=share)
            for done, record in enumerate(base.all(start=start, stop=stop)):
                if done % ORPHAN_CHECK == 0 and forking.orphaned():
                    _clear(path)  # the parent was killed: nobody will read this
                    raise forking.Orphaned
                builder.add(record)
            builder.save_shard()
        out.close()

    return work


def _clear(path: str) -> None:
    """Remove a child's file and, if it is empty then, the folder its parent made for it."""
    with contextlib.suppress(OSError):
        os.remove(path)
        os.rmdir(os.path.dirname(path))
