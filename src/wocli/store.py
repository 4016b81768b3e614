"""Load the bundled fact base and overlay files into one validated, cross-linked FactBase."""

from __future__ import annotations

import marshal
import sqlite3
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import DataError
from .i18n import _
from .inputs import ENV_VAR as ENV_VAR
from .inputs import bundled_path
from .inputs import overlay_paths as overlay_paths
from .model import (
    KIND_PLURAL,
    KIND_SINGULAR,
    KINDS,
    Event,
    Naming,
    Person,
    Record,
    Vote,
    build,
    name_of,
    naming,
)

if TYPE_CHECKING:
    from pathlib import Path

    from . import forking
    from .validate import Link


class FactBase:
    """The merged records of every kind, read from a compiled SQLite base (see `cache`).

    Records are built only when asked for, so a lookup in a base of 100,000 records reads a few
    rows; the links between records were worked out once, when the base was compiled.
    """

    def __init__(self, db: sqlite3.Connection, cache_key: str | None = None) -> None:
        self._db = db
        # Each record is built once while anything holds it (equality is identity), and freed
        # when nothing does: a search index built over 100,000 records never holds them all.
        self._built: weakref.WeakValueDictionary[str, Record] = weakref.WeakValueDictionary()
        self._missing: set[str] = set()
        self._names: sqlite3.Connection | None = None  # the exact-name table, once needed
        self.cache_key = cache_key
        """Names this base's files in the cache folder; None when it lives only in memory."""

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError:
            raise self._damaged() from None

    def _record(self, rid: str, kind: str, origin: str, data: bytes) -> Record:
        # marshal: the fastest reader of plain data that never runs code; the cache is written
        # by wocli alone, and anything that does not read back is treated as damage.
        try:
            return build(kind, rid, marshal.loads(data), origin)
        except (ValueError, EOFError, TypeError, KeyError):
            raise self._damaged() from None

    def _damaged(self) -> DataError:
        from . import cache

        if self.cache_key:
            cache.discard(self.cache_key)
        message = _("wocli's cache was damaged and has been removed: run the command again")
        return DataError([message])

    def __len__(self) -> int:
        return int(self._rows("SELECT count(*) FROM records")[0][0])

    def get(self, rid: str) -> Record | None:
        if not rid.isascii():  # ids are ASCII slugs; this also keeps odd user text out of SQL
            return None
        record = self._built.get(rid)
        if record is None and rid not in self._missing:
            rows = self._rows("SELECT kind, origin, data FROM records WHERE id = ?", (rid,))
            if rows:
                record = self._built[rid] = self._record(rid, *rows[0])
            else:
                self._missing.add(rid)
        return record

    def kind_of(self, rid: str) -> str | None:
        """The plural kind ('people', ...) of the record with this id, if any."""
        if not rid.isascii():
            return None
        rows = self._rows("SELECT kind FROM records WHERE id = ?", (rid,))
        return str(rows[0][0]) if rows else None

    def all(
        self, kind: str | None = None, start: int = 0, stop: int | None = None
    ) -> Iterator[Record]:
        """Records of one plural kind (or all), in file order, read a batch of rows at a time;
        from the `start`th to before the `stop`th, if given."""
        sql = "SELECT id, kind, origin, data FROM records"
        where, args = (" WHERE kind = ?", (kind,)) if kind else ("", ())
        limit = -1 if stop is None else max(stop - start, 0)
        try:
            cursor = self._db.execute(
                sql + where + " ORDER BY seq LIMIT ? OFFSET ?", (*args, limit, start)
            )
            while rows := cursor.fetchmany(1000):
                for rid, rkind, origin, data in rows:
                    record = self._built.get(rid)
                    if record is None:
                        record = self._built[rid] = self._record(rid, rkind, origin, data)
                    yield record
        except sqlite3.DatabaseError:
            raise self._damaged() from None

    def names(self, kind: str) -> list[tuple[str, str]]:
        """(id, name) of every record of a plural kind, without building the records."""
        rows = self._rows("SELECT id, name FROM records WHERE kind = ? ORDER BY seq", (kind,))
        return [(str(rid), str(name)) for rid, name in rows]

    def exact(self, key: str) -> list[tuple[str, str, str, str]]:
        """(singular kind, id, name, field) of the records named exactly `key` (see search)."""
        from .cache import exact_bucket

        try:
            found = self._exact_names().execute(
                "SELECT entries FROM exact WHERE bucket = ?", (exact_bucket(key),)
            )
            out = []
            for (entries,) in found.fetchall():
                for entry in entries.split("\n"):
                    entry_key, rid, field = entry.split("\t")
                    if entry_key == key:
                        ((kind, name),) = self._rows(
                            "SELECT kind, name FROM records WHERE id = ?", (rid,)
                        )
                        out.append((KIND_SINGULAR[kind], rid, str(name), field))
            return out
        except (sqlite3.DatabaseError, KeyError, ValueError, AttributeError):
            raise self._damaged() from None

    def _exact_names(self) -> sqlite3.Connection:
        """The exact-name table: from the cache beside the compiled base, else built (and kept
        there). Only a query by name needs it, not an id, a list or a check: it is worked out
        then, unless a large base had it worked out alongside its compile (see _Names)."""
        from . import cache

        if self._names is None:
            key = self.cache_key
            db = cache.open_cached(key, cache.EXACT) if key else None
            if db is None:
                db = cache.build(key, self._fill_exact, cache.EXACT_SCHEMA, cache.EXACT)
            self._names = db
        return self._names

    def _fill_exact(self, db: sqlite3.Connection) -> None:
        from . import progress
        from .i18n import _

        count = len(self)
        helper = _ExactHelper.start(self._db, count) if count >= SPLIT_AT else None
        try:
            # in the order the rows were written, as the table was when compiled with the base
            mine = helper.split if helper else count
            cursor = self._db.execute(
                "SELECT id, kind, data FROM records ORDER BY rowid LIMIT ?", (mine,)
            )
            rows = progress.counted(_each(cursor), mine, _("Indexing names"))
            buckets = _exact_buckets(_namings(rows))
            theirs = helper.result() if helper else {}
            if theirs is None:  # the helper failed: its share is worked out here
                cursor = self._db.execute(
                    "SELECT id, kind, data FROM records ORDER BY rowid LIMIT -1 OFFSET ?", (mine,)
                )
                rows = progress.counted(_each(cursor), count - mine, _("Indexing names"))
                theirs = _exact_buckets(_namings(rows))
            for n, text in theirs.items():
                buckets[n] = f"{buckets[n]}\n{text}" if n in buckets else text
            _write_buckets(db, buckets)
        except (sqlite3.DatabaseError, ValueError, EOFError, TypeError, KeyError):
            raise self._damaged() from None
        finally:
            if helper:
                helper.stop()

    def _keep_names(self, path: str) -> None:
        """Put in place the exact-name table written at `path` while the base was compiled (see
        _Names); if it cannot be, it is worked out when needed."""
        from . import cache

        try:
            self._names = cache.put(path, self.cache_key or "", cache.EXACT)
        except (OSError, sqlite3.Error):
            cache.remove(path)

    def _sources_of(self, rid: str, cites: bool, kind: str | None = None) -> list[Record]:
        """The records that link to `rid` (only those of a plural `kind`), once for each link,
        in two queries: a person's panel reads a few dozen records this way."""
        sql = "SELECT sources FROM links WHERE target = ? AND cites = ?"
        args: tuple[Any, ...] = (rid, int(cites))
        if kind is not None:
            sql, args = sql + " AND kind = ?", (*args, kind)
        rows = self._rows(sql + " ORDER BY rowid", args)
        if not all(isinstance(sources, str) for (sources,) in rows):
            raise self._damaged()
        ids = [source for (sources,) in rows for source in sources.split(" ")]
        found: dict[str, Record] = {}  # held here: `_built` keeps only what something holds
        for source in ids:
            if (record := self._built.get(source)) is not None:
                found[source] = record
        missing = [source for source in dict.fromkeys(ids) if source not in found]
        for at in range(0, len(missing), 500):  # within any SQLite's limit of variables
            chunk = missing[at : at + 500]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT id, kind, origin, data FROM records WHERE id IN ({marks})"
            for row in self._rows(sql, tuple(chunk)):
                found[row[0]] = self._build(*row)
        return [found[source] for source in ids if source in found]

    def _build(self, rid: str, kind: str, origin: str, data: bytes) -> Record:
        """The record of a row read already, kept while anything holds it (see `get`)."""
        record = self._built[rid] = self._record(rid, kind, origin, data)
        return record

    def linking(self, rid: str, kind: str) -> list[Record]:
        """Records of a plural kind that point at `rid`, by date then name."""
        return sorted(self._sources_of(rid, cites=False, kind=kind), key=_chrono)

    def members(self, group_id: str) -> list[Person]:
        """The group's members by surname, as the people list orders them."""
        from .model import shown_name
        from .spelling import surname_key

        found = [r for r in self.linking(group_id, "people") if isinstance(r, Person)]
        return sorted(found, key=lambda p: surname_key(shown_name(p)))

    def events_of(self, rid: str) -> list[Event]:
        return [r for r in self.linking(rid, "events") if isinstance(r, Event)]

    def votes_of(self, rid: str) -> list[Vote]:
        """Votes naming this record directly, or taken at an event that names it."""
        direct = {v.id: v for v in self.linking(rid, "votes") if isinstance(v, Vote)}
        for event in self.events_of(rid):
            for vote in self.linking(event.id, "votes"):
                if isinstance(vote, Vote):
                    direct.setdefault(vote.id, vote)
        return sorted(direct.values(), key=_chrono)

    def citing(self, work_id: str) -> list[Record]:
        """Records that give this work as a source."""
        found = {r.id: r for r in self._sources_of(work_id, cites=True)}  # each record once
        return sorted(found.values(), key=lambda r: (KINDS.index(KIND_PLURAL[r.kind]), r.name))


SPLIT_AT = 20_000
"""A base of this many records has its exact names worked out by two processes where there
are two cores and forking is safe (`_ExactHelper`): the later records' in a child."""


def _write_buckets(db: sqlite3.Connection, buckets: dict[int, str]) -> None:
    db.executemany("INSERT INTO exact VALUES (?, ?)", buckets.items())


def _exact_buckets(rows: Iterable[tuple[str, Naming]]) -> dict[int, str]:
    """The buckets of the exact-name table (see cache.EXACT_SCHEMA) holding the names of
    records (id, `model.naming`), in the order of the records."""
    from zlib import crc32

    from .cache import EXACT_BUCKETS
    from .search import exact_keys
    from .spelling import Memo

    memo = Memo()  # one for all: names share words
    # Each bucket's entries as UTF-8 bytes, one after another: a str each would hold three
    # times the memory (500,000 names for 100,000 people).
    buckets: dict[int, bytearray] = {}
    for rid, named in rows:
        for key, field in exact_keys(rid, named, memo):
            encoded = key.encode("utf-8", "surrogatepass")
            entry = b"%s\t%s\t%s" % (encoded, rid.encode("utf-8", "surrogatepass"), field.encode())
            n = crc32(encoded) % EXACT_BUCKETS  # cache.exact_bucket
            if (bucket := buckets.get(n)) is None:
                buckets[n] = bytearray(entry)
            else:
                bucket += b"\n"
                bucket += entry
    # each bucket let go once decoded
    return {n: buckets.pop(n).decode("utf-8", "surrogatepass") for n in list(buckets)}


class _ExactHelper:
    """A forked child (see `forking`) working out the exact names of the later records of a
    large base while the parent does the first: the work is Python, so two processes take
    about half the time on two cores. If anything goes wrong in the child, the parent does
    its share."""

    def __init__(self, child: forking.Child, pipe: int, split: int) -> None:
        self._child, self._pipe, self.split = child, pipe, split

    @classmethod
    def start(cls, db: sqlite3.Connection, count: int) -> _ExactHelper | None:
        """The helper, or None where it cannot be: one core, no safe fork, or a base only in
        memory (the child opens the file anew: no connection is used across a fork)."""
        import os

        from . import cache, forking

        path = cache.file_of(db)
        if forking.processes() < 2 or not path:
            return None
        split = count * 9 // 20  # the child does a little more: the parent merges and writes
        read, write = os.pipe()

        def work() -> None:
            os.close(read)
            cursor = cache.read_only(path).execute(
                "SELECT id, kind, data FROM records ORDER BY rowid LIMIT -1 OFFSET ?", (split,)
            )
            data = marshal.dumps(_exact_buckets(_namings(_each(cursor))))
            with os.fdopen(write, "wb") as f:  # a parent gone (killed) makes this fail
                f.write(data)

        try:
            child = forking.Child.start(work)
        finally:
            os.close(write)
        return cls(child, read, split)

    def result(self) -> dict[int, str] | None:
        """The child's buckets, or None if it failed."""
        import os

        with os.fdopen(self._pipe, "rb") as f:
            self._pipe = -1
            data = f.read()
        if not self._child.succeeded():
            return None
        try:
            buckets = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            return None
        return buckets if isinstance(buckets, dict) else None

    def stop(self) -> None:
        """End the child if it is still running (Ctrl-C, a damaged base), and close the pipe."""
        import os

        if self._pipe >= 0:
            os.close(self._pipe)
            self._pipe = -1
        self._child.stop()


def _namings(rows: Iterable[tuple[str, str, bytes]]) -> Iterator[tuple[str, Naming]]:
    """Rows of the records table (id, plural kind, marshalled raw table): what names each."""
    for rid, kind, data in rows:
        yield rid, naming(kind, marshal.loads(data))


def _each(cursor: sqlite3.Cursor) -> Iterator[Any]:
    """The rows of a query, read a batch at a time."""
    while rows := cursor.fetchmany(2000):
        yield from rows


def _chrono(record: Record) -> tuple[Any, ...]:
    from .dates import sort_key

    return (*sort_key(record.date), record.name)


def load(
    overlays: Sequence[str | Path] = (), bundled: str | Path | None = None, names: bool = False
) -> FactBase:
    """The bundled base merged with overlays in order; DataError listing every problem.

    Served from the compiled cache when no input file has changed since it was built. With
    `names` (a lookup by name will follow), a large base compiled now has its exact-name table
    worked out alongside (see _Names); else it is worked out when first needed.
    """
    from . import cache

    named = bundled or bundled_path()
    cache_key = cache.key([named, *overlays])
    db = cache.open_cached(cache_key) if cache_key else None
    whole: set[Path] = set()
    written: list[str] = []  # the exact-name table's file, if worked out during the compile
    while db is None:
        from .factfile import Irregular  # only when the cache cannot serve

        try:
            db = cache.build(
                cache_key,
                lambda db: _compile(
                    db, _labelled(named, overlays), whole, cache_key if names else None, written
                ),
            )
        except Irregular as exc:  # that file cannot be read record by record: read it whole
            if exc.path in whole:  # pragma: no cover (a whole reading never raises it)
                raise DataError([_("{file}: cannot be read").format(file=exc.path)]) from None
            whole.add(exc.path)
    base = FactBase(db, cache_key)
    for path in written:
        base._keep_names(path)
    return base


def _labelled(bundled: str | Path, overlays: Sequence[str | Path]) -> list[tuple[Path, str]]:
    """The input files as the compiler reads them, each with the name its messages use."""
    from pathlib import Path  # here: a lookup that the cache serves never needs pathlib

    return [(Path(bundled), "facts.toml"), *((Path(p), str(p)) for p in overlays)]


def _compile(
    db: sqlite3.Connection,
    files: list[tuple[Path, str]],
    whole: set[Path],
    names_key: str | None,
    written: list[str],
) -> None:
    """Validate and merge the files record by record into `db`; DataError if anything is wrong.
    With `names_key` (the cache key of the base), the file of its exact-name table goes into
    `written` if it could be worked out alongside (_Names).
    """
    rows = _Rows(db, names_key)
    try:
        replaced = _merge(files, whole, rows)
        rows.finish(replaced)
        if (path := rows.names(replaced)) is not None:
            written.append(path)
    finally:
        rows.stop()


def _merge(files: list[tuple[Path, str]], whole: set[Path], rows: _Rows) -> set[str]:
    """Validate and merge the files record by record into `rows`; the ids of the records
    replaced (or patched) by a later file; DataError if anything is wrong.

    Only ids are kept in memory (and the links that point at records not read yet): a record
    goes into the database as soon as it is checked. Files are merged in order, each kind by
    kind as in KINDS; a replacement takes the place of the original in that order.
    """
    from . import factfile, overlay, progress, suggest
    from .validate import check_record, check_tables, link_problem, links

    known: dict[str, tuple[str, str]] = {}  # id -> (file label, plural kind), once merged
    pending: dict[str, tuple[int, str, list[str | Link]]] = {}  # links not known to be right
    rejected: list[tuple[str, list[Link]]] = []  # records not merged: their links are checked too
    replaced: set[str] = set()
    problems: list[str] = []
    seq = 0
    for n, (path, label) in enumerate(files):
        try:
            read = factfile.read(path, label, whole=path in whole, limited=n > 0)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        rows.expect(read.count)
        try:
            checks = check_tables(label, read.tables)
            clashes: list[str] = []
            seen: dict[str, str] = {}
            for kind, rid, raw in progress.counted(
                read.entries, read.count, _("Reading {file}").format(file=label)
            ):
                where = f"{label}: {kind}.{rid}"
                own = check_record(where, kind, rid, raw)
                checks.extend(own)
                place = seq
                if overlay.is_patch(raw) and rid not in seen:  # corrects the earlier record
                    seen[rid] = kind
                    patched, place = _patched(where, kind, rid, raw, label, known, rows, checks)
                    if patched is None:
                        rejected.append((where, links(kind, raw)))
                        continue
                    raw = patched
                else:
                    clash, merge = _clash(where, kind, rid, raw, seen, known)
                    if clash:
                        clashes.append(clash)
                    if not merge:
                        rejected.append((where, links(kind, raw)))
                        continue
                    raw = overlay.stamped(raw, label) if n else raw  # every field from that file
                if rid in known:
                    replaced.add(rid)
                    pending.pop(rid, None)
                known[rid] = (label, kind)
                unsure: list[str | Link] = []
                pointed = links(kind, raw)
                for link in pointed:
                    target = known.get(link[1])
                    if target is None:
                        unsure.append(link)  # may be defined further on
                    elif target[1] not in link[2] and (
                        problem := link_problem(where, link, target[1])
                    ):
                        unsure.append(problem)
                if unsure:
                    pending[rid] = (place, where, unsure)
                if not (problems or checks or clashes):
                    rows.add(place, kind, rid, raw, label, pointed)
                seq += 1
        finally:
            read.close()
        problems.extend(checks)
        problems.extend(clashes)
    near = suggest.near_ids((rid, kind) for rid, (_label, kind) in known.items())
    for _seq, where, unsure in sorted(pending.values(), key=lambda p: p[0]):
        for item in unsure:
            if isinstance(item, str):
                problems.append(item)
            else:
                target = known.get(item[1])
                if problem := link_problem(where, item, target[1] if target else None, near):
                    problems.append(problem)
    for where, pointed in rejected:
        for link in pointed:
            target = known.get(link[1])
            if problem := link_problem(where, link, target[1] if target else None, near):
                problems.append(problem)
    if problems:
        raise DataError(problems)
    return replaced


def _clash(
    where: str,
    kind: str,
    rid: str,
    raw: Any,
    seen: dict[str, str],
    known: dict[str, tuple[str, str]],
) -> tuple[str | None, bool]:
    """What is wrong with merging a record (its id is taken; it replaces nothing), and
    whether it is merged all the same."""
    replace = isinstance(raw, dict) and raw.get("replace") is True
    earlier = known.get(rid)
    if rid in seen:
        return _("{where}: id already used by {other}").format(
            where=where, other=f"{seen[rid]}.{rid}"
        ), False
    seen[rid] = kind
    if earlier and not replace:
        message = _(
            "{where}: id already defined in {file}; add `replace = true` to replace that record, "
            "or `patch = true` to correct some of its fields"
        )
        return message.format(where=where, file=earlier[0]), False
    if earlier and earlier[1] != kind:
        message = _("{where}: replaces a record of {table}, not of {kind}")
        return message.format(where=where, table=earlier[1], kind=kind), False
    if replace and not earlier:
        return _("{where}: no earlier record has this id").format(where=f"{where}.replace"), True
    return None, True


def _patched(
    where: str,
    kind: str,
    rid: str,
    raw: dict[str, Any],
    label: str,
    known: dict[str, tuple[str, str]],
    rows: _Rows,
    checks: list[str],
) -> tuple[dict[str, Any] | None, int]:
    """A patch merged into the earlier record of its id (see overlay.py), which keeps its
    place: (the merged raw table or None, the earlier record's seq); problems go to `checks`."""
    from . import overlay, suggest

    found = known.get(rid)
    stored = rows.stored(rid) if found else None  # not at hand once a problem stopped writing
    earlier = (*found, stored[1] if stored else None) if found else None
    near = suggest.near_ids((i, k) for i, (_label, k) in known.items())  # read only if no earlier
    patched, problems = overlay.patched(where, kind, rid, raw, earlier, label, near)
    checks.extend(problems)
    return patched, stored[0] if stored else -1


class _Rows:
    """Rows of the compiled base, written in batches as records are read; the links, which
    make one row per record pointed at, once all are read."""

    BATCH = 2000

    def __init__(self, db: sqlite3.Connection, names_key: str | None = None) -> None:
        self._db = db
        self._records: list[tuple[Any, ...]] = []
        self._links: dict[tuple[str, bool, str], list[str]] = {}  # (target, cites, kind) -> ids
        self._expected = 0  # records the files read so far hold
        self._names: _Names | None = None  # working out the exact names alongside
        self._names_key = names_key  # the base's cache key, if its names are wanted
        self._names_tried = names_key is None  # whether _Names was started, or is not wanted
        self._named: list[tuple[str, Naming]] = []  # for _Names, once flushed

    def expect(self, count: int) -> None:
        """`count` more records are coming (a file's): once a base reaches SPLIT_AT, its exact
        names are worked out alongside the compile (see _Names), from the rows written."""
        self._expected += count
        if self._expected >= SPLIT_AT and not self._names_tried:
            self._names_tried = True
            self.flush()
            self._names = _Names.start(self._db, self._names_key or "")
            if self._names is not None:  # the rows written already: none, or a few files'
                written = self._db.execute("SELECT id, kind, data FROM records ORDER BY rowid")
                self._names.send(list(_namings(written)))

    def add(self, seq: int, kind: str, rid: str, raw: Any, label: str, pointed: list[Link]) -> None:
        name = name_of(kind, raw)
        self._records.append((rid, kind, seq, name, label, marshal.dumps(raw)))
        if self._names is not None:
            self._named.append((rid, naming(kind, raw, name)))
        self._link(rid, kind, pointed)
        if len(self._records) >= self.BATCH:
            self.flush()

    def _link(self, rid: str, kind: str, pointed: list[Link]) -> None:
        for field, target, _kinds in pointed:
            cites = field.startswith("sources")
            found = self._links.get(key := (target, cites, kind))
            if found is None:
                self._links[key] = [rid]
            elif not (cites and found and found[-1] == rid):  # cited twice: once (`citing`)
                found.append(rid)

    def stored(self, rid: str) -> tuple[int, Any] | None:
        """(seq, raw table) of a record added already, for a patch to merge into."""
        self.flush()
        row = self._db.execute("SELECT seq, data FROM records WHERE id = ?", (rid,)).fetchone()
        return (int(row[0]), marshal.loads(row[1])) if row else None

    def flush(self) -> None:
        if self._names is not None and self._named:
            self._names.send(self._named)
            self._named = []
        # a replacement's row takes the place of the original's (same id)
        self._db.executemany(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)", self._records
        )
        self._records = []

    def finish(self, replaced: set[str]) -> None:
        """Write what is left, and the links: those of replaced records are the replacements'."""
        from .validate import links

        self.flush()
        if self._names is not None:  # every row is sent: the child ends while links are written
            self._names.sent_all()
        if replaced:  # the originals' links go, the replacements' come after the others
            for key, sources in self._links.items():
                self._links[key] = [rid for rid in sources if rid not in replaced]
            db = self._db
            db.execute("CREATE TEMP TABLE replaced (id TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO replaced VALUES (?)", ((rid,) for rid in replaced))
            found = db.execute(
                "SELECT r.id, kind, data FROM records r JOIN replaced USING (id) ORDER BY seq"
            ).fetchall()
            db.execute("DROP TABLE replaced")
            for rid, kind, data in found:
                self._link(rid, kind, links(kind, marshal.loads(data)))
        self._db.executemany(
            "INSERT INTO links VALUES (?, ?, ?, ?)",
            [
                (target, cites, kind, " ".join(sources))
                for (target, cites, kind), sources in self._links.items()
                if sources
            ],
        )

    def names(self, replaced: set[str]) -> str | None:
        """The file of the exact-name table if it was worked out alongside and still holds (a
        record replaced or patched was sent as it first was), to be put in place (cache.put)."""
        names, self._names = self._names, None
        if names is None:
            return None
        try:
            return None if replaced else names.result()
        finally:
            names.stop()

    def stop(self) -> None:
        """End the work alongside if it is still going (the compile failed or was interrupted)."""
        if self._names is not None:
            self._names.stop()
            self._names = None


PIPE_BYTES = 1 << 20
"""The pipe to _Names' child holds this much (Linux allows an unprivileged process 1 MiB): a
batch of names (~0.25 MiB for 2,000 people, ~0.5 MiB with full records) goes in without
waiting for the child to read."""


class _Names:
    """A forked child (see `forking`) working out the exact names of a large base while the
    parent compiles it: the parent sends each batch of rows as it writes them, down a pipe,
    and the child files them in buckets (`_exact_buckets`) and, once the last is in, writes the
    exact-name table into a file of the cache folder, which the parent puts in place if the
    names still hold (see _Rows.names). On two cores the first lookup by name then costs about
    what the compile does, not the compile and the names one after the other. If anything goes
    wrong, there is no file, and the names are worked out at the first query by name as they
    would be without this."""

    def __init__(self, child: forking.Child, rows: BinaryIO, path: str) -> None:
        self._child, self._rows, self._path = child, rows, path
        self._sent = True  # every batch went down the pipe

    @classmethod
    def start(cls, db: sqlite3.Connection, cache_key: str) -> _Names | None:
        """The child, or None where it cannot be (as for _ExactHelper) or is no use: a base in
        memory has its names worked out in memory, when needed."""
        import contextlib
        import os

        from . import cache, forking

        if forking.processes() < 2 or not cache.file_of(db):
            return None
        import fcntl  # there is a fork only on Linux (see forking)

        try:
            path = cache.temporary()
        except OSError:
            return None
        rows_in, rows_out = os.pipe()
        with contextlib.suppress(OSError, AttributeError):  # Linux: batches need not wait
            fcntl.fcntl(rows_out, fcntl.F_SETPIPE_SZ, PIPE_BYTES)

        def work() -> None:
            os.close(rows_out)
            with os.fdopen(rows_in, "rb") as f:
                buckets = _exact_buckets(_received(f))
            cache.write(path, cache_key, lambda db: _write_buckets(db, buckets), cache.EXACT_SCHEMA)

        try:
            child = forking.Child.start(work)
        finally:
            os.close(rows_in)
        return cls(child, os.fdopen(rows_out, "wb"), path)

    def send(self, rows: list[tuple[str, Naming]]) -> None:
        """Records (id, `model.naming`) written to the base, in their order."""
        if self._sent:
            try:
                marshal.dump(rows, self._rows)
            except OSError:  # the child has gone: it will have no result
                self._sent = False

    def sent_all(self) -> None:
        """Tell the child that every row has been sent."""
        try:
            self._rows.close()
        except OSError:
            self._sent = False

    def result(self) -> str | None:
        """The path of the file the child wrote, once it has, or None if it or a send failed
        (the file is removed then)."""
        self.sent_all()  # if not said already
        if self._child.succeeded() and self._sent:
            path, self._path = self._path, ""
            return path
        return None

    def stop(self) -> None:
        """End the child if it is still running, close the pipe, and remove the file unless
        it was handed on (`result`)."""
        import contextlib

        from . import cache

        with contextlib.suppress(OSError):
            self._rows.close()
        self._child.stop()
        if self._path:
            cache.remove(self._path)
            self._path = ""


def _received(f: BinaryIO) -> Iterator[tuple[str, Naming]]:
    """The rows sent down a pipe by _Names.send, until its end."""
    while True:
        try:
            batch = marshal.load(f)
        except EOFError:
            return
        yield from batch
