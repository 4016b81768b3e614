"""The compiled fact base on disk: one SQLite file per set of input files (and beside it, once a
query by name has needed them, the exact-name table and, for a fuzzy search, the search index).

A lookup then reads a few rows instead of parsing and validating TOML. The file is named by a
key over wocli's version and every input file's identity (path, size, modification time), so any
change means a new file; it is written under a temporary name and renamed into place, so readers
never see half of one; a damaged or foreign file is detected, removed and rebuilt; and when the
cache folder cannot be used, the base is built in memory instead: slower, never broken.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import zlib
from collections.abc import Callable, Sequence

from . import __version__

TYPE_CHECKING = False  # not typing's: shell completion reads the cache without typing
if TYPE_CHECKING:
    from pathlib import Path

FORMAT = 7
"""Bump when the tables below change, so old caches are ignored."""
KEEP = 8
"""How many cache files (for different sets of overlays) to keep."""

META_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
"""Every cache database says which inputs it was built from, and that it is complete."""
FACTS = ".sqlite"
"""The suffix of the compiled fact base; other databases built from the same inputs (the
search index) sit beside it with suffixes of their own, and go with it."""
SCHEMA = """
CREATE TABLE records (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, seq INTEGER NOT NULL,
    name TEXT NOT NULL, origin TEXT NOT NULL, data BLOB NOT NULL
);
CREATE INDEX records_by_kind ON records (kind, seq);
CREATE TABLE links (
    target TEXT NOT NULL, cites INTEGER NOT NULL, kind TEXT NOT NULL, sources TEXT NOT NULL
);
CREATE INDEX links_by_target ON links (target, cites, kind);
"""
"""The records, and their links: one row per record pointed at and kind of record pointing at
it, with the ids of those (as a source if cites) in the order they were merged, space-separated
(100,000 people in a few groups make a few rows, not 300,000)."""
EXACT = ".exact.sqlite"
"""The suffix of the exact-name table beside the compiled base (see store.FactBase.exact)."""
EXACT_SCHEMA = """
CREATE TABLE exact (bucket INTEGER PRIMARY KEY, entries TEXT NOT NULL);
"""
"""The exact names in buckets by a hash of the key (`exact_bucket`): each bucket one row of
"KEY\tID\tFIELD" lines in the order of the records. 100,000 people have 500,000 names:
a few thousand rows cost far less to write than 500,000 and an index."""
EXACT_BUCKETS = 4096


def exact_bucket(key: str) -> int:
    """The bucket of the exact-name table that holds `key`."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % EXACT_BUCKETS


Populate = Callable[[sqlite3.Connection], None]


def folder() -> Path:
    """$XDG_CACHE_HOME/wocli, else ~/.cache/wocli."""
    from pathlib import Path

    return Path(_folder())


def _folder() -> str:
    # Paths in this module are strs: a lookup that the cache serves need not import pathlib.
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "wocli")


def key(files: Sequence[str | os.PathLike[str]]) -> str | None:
    """What identifies a compiled base: wocli's version and every input file's path, size,
    modification time and inode; None if a file cannot be looked at.

    Kept whole in the database and compared exactly, so a clash of file names can only cost a
    rebuild; hashed (cheaply: hashlib's import alone costs a lookup 7 ms) only for the name.
    """
    parts = [f"wocli {__version__} cache {FORMAT}"]
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            return None  # the slow path will report the problem properly
        parts.append(f"{os.path.realpath(path)}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}")
    return "\n".join(parts)


def _path(cache_key: str, suffix: str = FACTS) -> str:
    raw = cache_key.encode("utf-8", "surrogateescape")
    return os.path.join(_folder(), f"facts-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}{suffix}")


def open_cached(cache_key: str, suffix: str = FACTS) -> sqlite3.Connection | None:
    """The cached database for this key, or None when there is none or it is damaged."""
    path = _path(cache_key, suffix)
    try:
        if not _whole(path):
            remove(path)
            return None
        db = read_only(path)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError:
            db.close()
            raise
        if meta.get("key") != cache_key or meta.get("complete") != "1":
            db.close()
            remove(path)
            return None
        return db
    except (OSError, sqlite3.DatabaseError):
        remove(path)
        return None


def file_of(db: sqlite3.Connection) -> str:
    """The file `db`'s main database is in; "" for a database in memory."""
    databases = db.execute("PRAGMA database_list").fetchall()
    return str(next(file for _n, name, file in databases if name == "main"))


def read_only(path: str) -> sqlite3.Connection:
    """A connection to a complete cache database, which nothing changes once it is in place."""
    return sqlite3.connect(f"file:{_uri_path(path)}?mode=ro&immutable=1", uri=True)


def _uri_path(path: str) -> str:
    """A path as SQLite's URI filenames want it (Path.as_uri would import urllib: 6 ms)."""
    text = os.path.abspath(path)
    for char, escaped in (("%", "%25"), ("?", "%3f"), ("#", "%23")):
        text = text.replace(char, escaped)
    return text


def _whole(path: str) -> bool:
    """Whether a file is an SQLite database as long as its header says: truncation shows here."""
    with open(path, "rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    return pages > 0 and os.stat(path).st_size == page_size * pages


def build(
    cache_key: str | None, populate: Populate, schema: str = SCHEMA, suffix: str = FACTS
) -> sqlite3.Connection:
    """Create `schema`'s tables, fill them with `populate`, keep the database on disk if
    possible, and open it."""
    if cache_key is not None:
        try:
            return _build_on_disk(cache_key, populate, schema, suffix)
        except (OSError, sqlite3.Error):
            pass  # unusable cache folder or disk full: fall back to memory
    db = sqlite3.connect(":memory:")
    _fill(db, cache_key or "", populate, schema)
    return db


def _build_on_disk(
    cache_key: str, populate: Populate, schema: str, suffix: str
) -> sqlite3.Connection:
    tmp = temporary()
    try:
        write(tmp, cache_key, populate, schema)
        return put(tmp, cache_key, suffix)
    except BaseException:
        remove(tmp)
        raise


def temporary() -> str:
    """A new empty file in the cache folder, for a database to be written (`write`) and then
    put in place (`put`); OSError if the folder cannot be used."""
    import tempfile  # here, not at the top: only a run that writes the cache needs it

    where = _folder()
    os.makedirs(where, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=where, prefix=".facts-", suffix=".tmp")
    os.close(fd)
    return tmp


def write(path: str, cache_key: str, populate: Populate, schema: str) -> None:
    """Create `schema`'s tables in the file at `path` and fill them with `populate`."""
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a private file, renamed when complete
        db.execute("PRAGMA synchronous = OFF")
        _fill(db, cache_key, populate, schema)
    finally:
        db.close()


def put(tmp: str, cache_key: str, suffix: str = FACTS) -> sqlite3.Connection:
    """Put the complete database written at `tmp` in place as the cache's file for this key
    and suffix, and open it."""
    target = _path(cache_key, suffix)
    os.replace(tmp, target)  # atomic: concurrent builders each rename a whole file
    _prune(os.path.dirname(target))
    opened = open_cached(cache_key, suffix)
    if opened is None:
        raise OSError("the cache file could not be read back")
    return opened


def _fill(db: sqlite3.Connection, cache_key: str, populate: Populate, schema: str) -> None:
    # Indexes are made once the rows are in: one sort instead of 100,000 updates.
    tables, indexes = split_schema(META_SCHEMA + schema)
    db.executescript(tables)
    populate(db)
    db.executescript(indexes)
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("key", cache_key), ("version", __version__), ("complete", "1")],
    )
    db.commit()


def split_schema(schema: str) -> tuple[str, str]:
    """A schema's statements that create tables, and those that create indexes."""
    statements = [s.strip() for s in schema.split(";") if s.strip()]
    indexes = [s for s in statements if s.upper().startswith("CREATE INDEX")]
    tables = [s for s in statements if s not in indexes]
    return ";\n".join(tables), ";\n".join(indexes)


def discard(cache_key: str) -> None:
    """Remove a compiled base found damaged while in use, and what was built beside it."""
    _remove_with_companions(_path(cache_key))


def remove_beside(cache_key: str, family: str, keep: str) -> None:
    """Remove the files beside the compiled base of `cache_key` whose suffix begins with `family`
    (".search-v"), except the one ending in `keep`: databases of a layout no longer read."""
    from pathlib import Path

    base = Path(_path(cache_key))
    for other in base.parent.glob(f"{base.stem}{family}*"):
        if not other.name.endswith(keep):
            remove(other)


def _remove_with_companions(file: str) -> None:
    from pathlib import Path

    path = Path(file)
    for companion in path.parent.glob(path.stem + ".*"):
        remove(companion)


def _prune(where: str) -> None:
    """Keep the most recently used cache files; old sets of overlays are forgotten."""
    from pathlib import Path

    with contextlib.suppress(OSError):
        bases = [p for p in Path(where).glob(f"facts-*{FACTS}") if p.suffixes == [FACTS]]
        files = sorted(bases, key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            _remove_with_companions(str(old))


def remove(path: str | os.PathLike[str]) -> None:
    """Remove a file of the cache, if it is there."""
    with contextlib.suppress(OSError):
        os.unlink(path)
