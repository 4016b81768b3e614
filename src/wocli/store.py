"""Load the bundled fact base and overlay files into one validated, cross-linked FactBase."""

from __future__ import annotations

import marshal
import os
import re
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import DataError
from .model import KIND_PLURAL, KIND_SINGULAR, KINDS, Event, Person, Record, Vote, build

MAX_FILE_BYTES = 128 * 1024 * 1024
"""Overlay files larger than this are refused rather than parsed for minutes."""

ENV_VAR = "WOCLI_DATA"


def bundled_path() -> Path:
    """The fact base shipped in the wheel, or the repository's copy when run from a checkout."""
    packaged = Path(__file__).parent / "data" / "facts.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "facts.toml"


def overlay_paths(cli_paths: Sequence[str] = ()) -> list[Path]:
    """Overlays in merge order: those from WOCLI_DATA, then those given with --data."""
    from_env = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    return _once([Path(p) for p in [*from_env, *cli_paths]])


def _once(paths: list[Path]) -> list[Path]:
    """Each file once, where it first comes: one named in WOCLI_DATA and again with --data (or
    to `wocli check`) is one overlay, not two that clash on every id."""
    seen: set[Path] = set()
    out = []
    for path in paths:
        try:
            same = path.resolve()
        except (OSError, RuntimeError):
            same = path
        if same not in seen:
            seen.add(same)
            out.append(path)
    return out


def read_toml(path: Path, label: str | None = None) -> Any:
    """Parse one TOML file; every way it can fail becomes a DataError naming the file."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    label = label or str(path)
    try:
        if path.is_dir():
            raise DataError([f"{label}: is a folder, not a TOML file"])
        if path.exists() and not path.is_file():  # a device or pipe: no size, no cache identity
            raise DataError([f"{label}: not a regular file"])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 2**20
            raise DataError([f"{label}: {size / 2**20:.0f} MiB is over the {limit} MiB limit"])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([f"{label}: no such file"]) from None
    except PermissionError:
        raise DataError([f"{label}: permission denied"]) from None
    except OSError as exc:
        raise DataError([f"{label}: cannot be read ({exc.strerror or exc})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError([f"{label}: line {line}: not UTF-8 text (byte {exc.start})"]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError([f"{label}: {_toml_message(str(exc))}"]) from None
    except RecursionError:
        raise DataError([f"{label}: nested too deeply to read"]) from None


def _toml_message(message: str) -> str:
    """'Invalid value (at line 3, column 7)' -> 'line 3, column 7: invalid value'."""
    m = re.match(r"^(.*?) \(at line (\d+), column (\d+)\)$", message)
    if not m:
        return f"not valid TOML: {message}"
    what = m[1][:1].lower() + m[1][1:]
    return f"line {m[2]}, column {m[3]}: not valid TOML: {what}"


class FactBase:
    """The merged records of every kind, read from a compiled SQLite base (see `cache`).

    Records are built only when asked for, so a lookup in a base of 100,000 records reads a few
    rows; the links between records were worked out once, when the base was compiled.
    """

    def __init__(self, db: sqlite3.Connection, cache_key: str | None = None) -> None:
        self._db = db
        self._built: dict[str, Record | None] = {}
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
        return DataError(["wocli's cache was damaged and has been removed: run the command again"])

    def __len__(self) -> int:
        return int(self._rows("SELECT count(*) FROM records")[0][0])

    def get(self, rid: str) -> Record | None:
        if not rid.isascii():  # ids are ASCII slugs; this also keeps odd user text out of SQL
            return None
        if rid not in self._built:
            rows = self._rows("SELECT kind, origin, data FROM records WHERE id = ?", (rid,))
            self._built[rid] = self._record(rid, *rows[0]) if rows else None
        return self._built[rid]

    def kind_of(self, rid: str) -> str | None:
        """The plural kind ('people', ...) of the record with this id, if any."""
        if not rid.isascii():
            return None
        rows = self._rows("SELECT kind FROM records WHERE id = ?", (rid,))
        return str(rows[0][0]) if rows else None

    def all(self, kind: str | None = None) -> Iterator[Record]:
        """Records of one plural kind (or all), in file order."""
        if kind is None:
            rows = self._rows("SELECT id, kind, origin, data FROM records ORDER BY seq")
        else:
            rows = self._rows(
                "SELECT id, kind, origin, data FROM records WHERE kind = ? ORDER BY seq", (kind,)
            )
        for rid, rkind, origin, data in rows:
            record = self._built.get(rid)
            if record is None:
                record = self._built[rid] = self._record(rid, rkind, origin, data)
            yield record

    def names(self, kind: str) -> list[tuple[str, str]]:
        """(id, name) of every record of a plural kind, without building the records."""
        rows = self._rows("SELECT id, name FROM records WHERE kind = ? ORDER BY seq", (kind,))
        return [(str(rid), str(name)) for rid, name in rows]

    def exact(self, key: str) -> list[tuple[str, str, str, str]]:
        """(singular kind, id, name, field) of the records named exactly `key` (see search)."""
        rows = self._rows(
            "SELECT r.kind, r.id, r.name, e.field FROM exact e JOIN records r ON r.id = e.id "
            "WHERE e.key = ?",
            (key,),
        )
        return [(KIND_SINGULAR[k], str(i), str(n), str(f)) for k, i, n, f in rows]

    def _sources_of(self, rid: str, cites: bool) -> list[Record]:
        rows = self._rows(
            "SELECT source FROM links WHERE target = ? AND cites = ?", (rid, int(cites))
        )
        return [r for (source,) in rows if (r := self.get(source)) is not None]

    def linking(self, rid: str, kind: str) -> list[Record]:
        """Records of a plural kind that point at `rid`, by date then name."""
        found = self._sources_of(rid, cites=False)
        return sorted((r for r in found if KIND_PLURAL[r.kind] == kind), key=_chrono)

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


def _chrono(record: Record) -> tuple[Any, ...]:
    from .dates import sort_key

    return (*sort_key(record.date), record.name)


def _outgoing(kind: str, raw: dict[str, Any]) -> Iterator[str]:
    """Every id a valid raw record points at, except its sources."""
    for field in ("groups", "people", "related"):
        yield from raw.get(field, ())
    if kind == "votes":
        if raw.get("event"):
            yield raw["event"]
        yield from (t["group"] for t in raw["tallies"] if t.get("group"))


def load(overlays: Sequence[Path] = (), bundled: Path | None = None) -> FactBase:
    """The bundled base merged with overlays in order; DataError listing every problem.

    Served from the compiled cache when no input file has changed since it was built.
    """
    from . import cache

    files = [(bundled or bundled_path(), "facts.toml"), *((p, str(p)) for p in overlays)]
    cache_key = cache.key([path for path, _ in files])
    db = cache.open_cached(cache_key) if cache_key else None
    if db is None:
        merged = _merge(files)
        db = cache.build(cache_key, lambda db: _populate(db, merged))
    return FactBase(db, cache_key)


def _merge(files: list[tuple[Path, str]]) -> dict[str, tuple[str, str, Any]]:
    """id -> (file label, plural kind, raw table) after overlays; DataError if anything is wrong."""
    from .validate import check_file, entries, references  # only when the cache cannot serve

    merged: dict[str, tuple[str, str, Any]] = {}
    problems: list[str] = []
    for path, label in files:
        try:
            data = read_toml(path, label)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(check_file(label, data))
        seen: dict[str, str] = {}
        for kind, rid, raw in entries(data):
            where = f"{label}: {kind}.{rid}"
            replace = isinstance(raw, dict) and raw.get("replace") is True
            earlier = merged.get(rid)
            if rid in seen:
                problems.append(f"{where}: id already used by {seen[rid]}.{rid}")
                continue
            seen[rid] = kind
            if earlier and not replace:
                problems.append(
                    f"{where}: id already defined in {earlier[0]}; "
                    "add `replace = true` to replace that record"
                )
                continue
            if earlier and earlier[1] != kind:
                problems.append(f"{where}: replaces a record of {earlier[1]}, not of {kind}")
                continue
            if replace and not earlier:
                problems.append(f"{where}.replace: no earlier record has this id")
            merged.pop(rid, None)  # a replacement takes the place of the original in file order
            merged[rid] = (label, kind, raw)

    def kind_of(rid: str) -> str | None:
        entry = merged.get(rid)
        return entry[1] if entry else None

    for rid, (label, kind, raw) in merged.items():
        problems.extend(references(f"{label}: {kind}.{rid}", kind, raw, kind_of))
    if problems:
        raise DataError(problems)
    return merged


def _populate(db: sqlite3.Connection, merged: dict[str, tuple[str, str, Any]]) -> None:
    from .search import exact_keys

    records = {rid: build(kind, rid, raw, label) for rid, (label, kind, raw) in merged.items()}
    db.executemany(
        "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)",
        (
            (rid, kind, seq, records[rid].name, label, marshal.dumps(raw))
            for seq, (rid, (label, kind, raw)) in enumerate(merged.items())
        ),
    )
    db.executemany(
        "INSERT INTO links VALUES (?, ?, ?)",
        (
            (target, rid, cites)
            for rid, (_, kind, raw) in merged.items()
            for target, cites in [
                *((t, 0) for t in _outgoing(kind, raw)),
                *((s["work"], 1) for s in raw["sources"]),
            ]
        ),
    )
    db.executemany(
        "INSERT INTO exact VALUES (?, ?, ?)",
        ((key, rid, field) for rid, rec in records.items() for key, field in exact_keys(rec)),
    )
