"""A digest of the search index built for a fact base, to show that a change to the build
leaves the index as it was: a sha256 of every table's rows in a fixed order.

    python bench/index_digest.py [OVERLAY ...] [--workers N]

Builds the index of the bundled base merged with the overlays (in a scratch cache folder)
and prints each table's row count and digest, then one digest of them all, and the CPU
seconds the build took in this process (children's not counted; use --workers 1 to time it).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import sqlite3
import sys
import tempfile
import time


def digest(db: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Each table's (row count, sha256 of its rows in key order)."""
    out = {}
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in sorted(tables):
        columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
        h = hashlib.sha256()
        n = 0
        for row in db.execute(f"SELECT * FROM {table} ORDER BY {', '.join(columns)}"):
            h.update(repr(row).encode())
            n += 1
        out[table] = (n, h.hexdigest())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("overlays", nargs="*")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="wocli-digest-")
    gc.disable()  # as the command line runs
    from wocli import cache, search, shards, store

    base = store.load(args.overlays)
    path = os.path.join(os.environ["XDG_CACHE_HOME"], "index.sqlite")
    db = sqlite3.connect(path)
    db.executescript(cache.split_schema(search.INDEX_SCHEMA)[0])
    start = time.process_time()
    shards.fill_base(db, base, "index", workers=args.workers)
    db.executescript(cache.split_schema(search.INDEX_SCHEMA)[1])
    db.commit()
    cpu = time.process_time() - start
    whole = hashlib.sha256()
    for table, (n, hexdigest) in digest(db).items():
        print(f"{table:16} {n:>9,} {hexdigest[:16]}")
        whole.update(hexdigest.encode())
    print(f"all              {whole.hexdigest()[:16]}   build {cpu:.2f} s CPU", file=sys.stdout)


if __name__ == "__main__":
    main()
