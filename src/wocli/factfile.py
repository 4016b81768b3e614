"""Read one fact file (TOML, or JSON in the shape of `wocli export --format json`) record by
record, so that a file of 100,000 records is never held whole in memory.

A TOML fact file is a run of `[kind.id]` tables. Its lines are split at those headers and each
record is parsed on its own by the fastest parser installed (rtoml; tomllib/tomli where it has
no wheel). A file the split cannot serve exactly (a header inside a multi-line string, a table
defined twice, text that is not UTF-8 or not TOML...) is parsed whole instead, and a file that
does not parse is parsed again by tomllib, whose messages say where the problem is: the result
and every message are those of a whole-file tomllib parse (tests/test_store.py compares them).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataError
from .i18n import _
from .model import KIND_SINGULAR, KINDS

DEFAULT_MAX_BYTES = 2**30
"""Larger files are refused: the limit stops runaway input, not a reader's data."""
MAX_ENV = "WOCLI_MAX_OVERLAY"
"""Raises the limit: a number of bytes, or with a suffix K, M or G (binary)."""

_HEADER_LINE = re.compile(  # after a newline: the regex engine finds b"\n[" fast
    rb"\n\[(" + b"|".join(k.encode() for k in KINDS) + rb")\.([A-Za-z0-9_-]+)\]"
    rb"[ \t]*(?:#[^\n]*)?\r?(?=\n|\Z)"
)

Entry = tuple[str, str, Any]
"""(plural kind, id, raw table) of one record, valid or not."""


class Irregular(Exception):  # a signal to read the file whole, not an error
    """The record-by-record reading of a TOML file cannot vouch for its result."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


@dataclass
class FactFile:
    """One file's top-level tables other than records, and its records in merge order
    (kind by kind as in KINDS, each kind in file order)."""

    tables: Any
    """The parsed file but its records (check_tables reports what is wrong there)."""
    entries: Iterator[Entry]
    count: int
    """How many records `entries` yields."""
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()


def max_bytes() -> int:
    """The size limit: WOCLI_MAX_OVERLAY if it is set and readable, else 1 GiB."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMG]?)i?B?\s*", os.environ.get(MAX_ENV, ""), re.IGNORECASE)
    if not m:
        return DEFAULT_MAX_BYTES
    return int(m[1]) * 1024 ** ("KMG".index(m[2].upper()) + 1) if m[2] else int(m[1])


def _size(size: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} GiB" if unit == "GiB" else f"{size / scale:.0f} {unit}"
    return f"{size} bytes"


def open_checked(path: Path, label: str, limited: bool = True) -> int:
    """The size of a file fit to read; DataError naming the file if it is not one (or, if
    `limited`, if it is over the size limit)."""
    try:
        if path.is_dir():
            raise DataError([_("{file}: is a folder, not a TOML file").format(file=label)])
        if path.exists() and not path.is_file():  # a device or pipe: no size, no cache identity
            raise DataError([_("{file}: not a regular file").format(file=label)])
        size = path.stat().st_size
        if limited and size > (limit := max_bytes()):
            message = _(
                "{file}: {size} is over the {limit} limit (set {var} to a larger size in "
                "bytes, such as {var}=4G)"
            )
            raise DataError(
                [message.format(file=label, size=_size(size), limit=_size(limit), var=MAX_ENV)]
            )
        with path.open("rb"):
            return size
    except OSError as exc:
        raise unreadable(exc, label) from None


def unreadable(exc: OSError, label: str) -> DataError:
    """What to say of a file that could not be opened or read."""
    if isinstance(exc, FileNotFoundError):
        message = _("{file}: no such file").format(file=label)
    elif isinstance(exc, PermissionError):
        message = _("{file}: permission denied").format(file=label)
    else:
        reason = exc.strerror or exc
        message = _("{file}: cannot be read ({reason})").format(file=label, reason=reason)
    return DataError([message])


def read(path: Path, label: str, whole: bool = False, limited: bool = True) -> FactFile:
    """The records of one fact file; DataError naming the file if it cannot be read at all.

    `whole` parses the file in one piece (see Irregular).
    `limited`: refuse a file over the size limit (overlays are; the bundled base is not).
    """
    open_checked(path, label, limited)
    if path.suffix.lower() == ".json":
        if whole:
            return from_export(_read_json(path, label), label)
        return _json_by_record(path, label)
    if whole:
        return _from_data(read_toml(path, label, limited))
    return _by_record(path, label)


def _from_data(data: Any) -> FactFile:
    from .validate import entries

    if not isinstance(data, dict):
        return FactFile(data, iter(()), 0)
    tables = {k: v for k, v in data.items() if k not in KINDS or not isinstance(v, dict)}
    count = sum(len(v) for k, v in data.items() if k in KINDS and isinstance(v, dict))
    return FactFile(tables, entries(data), count)


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise unreadable(exc, label) from None


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [
                _("{file}: line {line}: not UTF-8 text (byte {byte})").format(
                    file=label, line=line, byte=exc.start
                )
            ]
        ) from None


def read_toml(path: Path, label: str | None = None, limited: bool = True) -> Any:
    """Parse one TOML file whole; every way it can fail becomes a DataError naming the file."""
    label = label or str(path)
    open_checked(path, label, limited)
    text = _decode(_read_bytes(path, label), label)
    fast = _fast_parser()
    if fast is not None:
        try:
            return fast(text)
        except Exception:  # tomllib says what is wrong, below
            pass
    return _tomllib_parse(text, label)


def _tomllib_parse(text: str, label: str) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError([f"{label}: {_toml_message(str(exc))}"]) from None
    except RecursionError:
        raise DataError([_("{file}: nested too deeply to read").format(file=label)]) from None


def _fast_parser() -> Callable[[str], Any] | None:
    """rtoml's `loads` where it is installed: 10x tomllib on fact files (bench/RESULTS.md)."""
    try:
        import rtoml
    except ImportError:  # no wheel for this platform: tomllib is the parser
        return None
    loads: Callable[[str], Any] = rtoml.loads
    return loads


def _toml_message(message: str) -> str:
    """'Invalid value (at line 3, column 7)' -> 'line 3, column 7: invalid value'."""
    m = re.match(r"^(.*?) \(at line (\d+), column (\d+)\)$", message)
    if not m:
        return _("not valid TOML: {message}").format(message=message)
    what = m[1][:1].lower() + m[1][1:]
    return _("line {line}, column {column}: not valid TOML: {what}").format(
        line=m[2], column=m[3], what=what
    )


def _by_record(path: Path, label: str) -> FactFile:
    """Split at record headers (one pass over the lines), then parse record by record."""
    parse = _fast_parser() or (lambda text: _tomllib_parse(text, label))
    spans: dict[str, list[tuple[int, int, str]]] = {kind: [] for kind in KINDS}
    prelude_end = None
    try:
        with path.open("rb") as f:
            start = None
            for at, kind, rid in _headers(f):
                if start is None:
                    prelude_end = at
                else:
                    spans[start[0]].append((start[1], at - start[1], start[2]))
                start = (kind.decode(), at, rid.decode())
            offset = f.tell()  # the end of the file
            if start is not None:
                spans[start[0]].append((start[1], offset - start[1], start[2]))
    except OSError as exc:
        raise unreadable(exc, label) from None
    prelude_end = offset if prelude_end is None else prelude_end

    f = path.open("rb")
    prelude = _piece(f, 0, prelude_end, path, parse, first=True)
    if set(prelude) & set(KINDS):  # records outside `[kind.id]` tables: read the file whole
        f.close()
        raise Irregular(path)

    def records() -> Iterator[Entry]:
        for kind in KINDS:
            seen: set[str] = set()
            for begin, length, rids in _runs(spans[kind]):
                piece = _piece(f, begin, length, path, parse, first=begin == 0)
                table = piece.get(kind)
                if (
                    len(piece) != 1
                    or not isinstance(table, dict)
                    or list(table) != rids
                    or not seen.isdisjoint(rids)
                ):
                    raise Irregular(path)  # the split is not the file's structure
                seen.update(rids)
                for rid in rids:
                    yield kind, rid, table[rid]

    count = sum(len(s) for s in spans.values())
    return FactFile(prelude, records(), count, [f.close])


_CHUNK = 2**23
"""Bytes read at a time while looking for record headers."""


def _headers(f: Any) -> Iterator[tuple[int, bytes, bytes]]:
    """(offset, kind, id) of each record header line (`[people.some-id]`, nothing else on the
    line but a comment) of a binary file, read a chunk of whole lines at a time."""
    offset = -1  # of `chunk` in the file; each line is looked for with the newline before it
    rest = b"\n"  # (the first line has one too)
    while True:
        data = f.read(_CHUNK)
        chunk = rest + data
        end = chunk.rfind(b"\n") if data else len(chunk)  # the last whole line's newline
        for m in _HEADER_LINE.finditer(chunk, 0, end + 1):
            yield offset + m.start() + 1, m[1], m[2]
        if not data:
            return
        offset += end
        rest = chunk[end:]


_RUN = 64
"""Records that follow one another in the file are parsed together, up to this many."""


def _runs(spans: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, list[str]]]:
    """(start, length, ids) of runs of records that follow one another in the file."""
    run: list[str] = []
    begin = end = 0
    for start, length, rid in spans:
        if run and (start != end or len(run) == _RUN):
            yield begin, end - begin, run
            run = []
        if not run:
            begin = start
        run.append(rid)
        end = start + length
    if run:
        yield begin, end - begin, run


def _piece(f: Any, begin: int, length: int, path: Path, parse: Any, first: bool) -> Any:
    f.seek(begin)
    raw = f.read(length)
    try:
        text = raw.decode("utf-8-sig" if first else "utf-8")
        return parse(text)
    except Exception:  # anything odd: the whole-file reading says what
        f.close()
        raise Irregular(path) from None


def _read_json(path: Path, label: str) -> Any:
    import json

    text = _decode(_read_bytes(path, label), label)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        what = exc.msg[:1].lower() + exc.msg[1:]
        message = _("{file}: line {line}, column {column}: not valid JSON: {what}")
        raise DataError(
            [message.format(file=label, line=exc.lineno, column=exc.colno, what=what)]
        ) from None
    except RecursionError:
        raise DataError([_("{file}: nested too deeply to read").format(file=label)]) from None


# Fields `wocli export` adds that are worked out from other records, not written in a fact file
# (`provenance` says which files the others came from: this file, once read).
_DERIVED = {"groups": {"members"}, "votes": {"total"}, "works": {"name"}}
_DROPPED = {kind: {"id", "kind", "provenance", *_DERIVED.get(kind, ())} for kind in KINDS}


def from_export(data: Any, label: str) -> FactFile:
    """The records of JSON in the shape of `wocli export --format json`: {"people": [{"id":
    "...", "name": "...", ...}, ...], ...}; null means "not set". Each record's JSON is let go
    once it has been read, so the file is not held twice."""
    if not isinstance(data, dict):
        return FactFile(data, iter(()), 0)
    problems: list[str] = []
    tables: dict[str, Any] = {}
    count = 0
    for key, value in data.items():
        if key in KINDS and isinstance(value, list):
            seen: set[str] = set()
            for i, item in enumerate(value):
                problems.extend(_item_problems(label, key, i, item, seen))
            count += len(value)
        else:
            problems.extend(_member(label, key, value, tables))
    if problems:
        raise DataError(problems)

    def records() -> Iterator[Entry]:
        for kind in KINDS:
            items = data.get(kind)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                items[i] = None
                yield _from_item(kind, item)

    return FactFile(tables, records(), count)


def _json_by_record(path: Path, label: str) -> FactFile:
    """The records of an export-shaped JSON file, read twice a record at a time: once to check
    the ids and count (and keep the other members), once to hand them out kind by kind. Irregular
    if the file is not what `jsonstream` can read exactly; then it is read whole."""
    from . import jsonstream

    f = path.open("rb")
    try:
        problems: list[str] = []
        tables: dict[str, Any] = {}
        arrays: dict[str, int] = {}  # plural kind -> byte offset of its array
        count = 0
        for key, stream in jsonstream.members(f):
            if key in KINDS and stream.peek() == "[":
                arrays[key] = stream.offset()
                seen: set[str] = set()  # the array's ids
                for i, item in enumerate(stream.elements()):
                    problems.extend(_item_problems(label, key, i, item, seen))
                    count += 1
            else:
                problems.extend(_member(label, key, stream.value(), tables))
    except jsonstream.Unstreamable:
        f.close()
        raise Irregular(path) from None
    except BaseException:
        f.close()
        raise
    if problems:
        f.close()
        raise DataError(problems)

    def records() -> Iterator[Entry]:
        try:
            for kind in KINDS:
                if kind in arrays:
                    for item in jsonstream.elements_at(f, arrays[kind]):
                        if not (isinstance(item, dict) and isinstance(item.get("id"), str)):
                            raise jsonstream.Unstreamable  # changed since it was checked
                        yield _from_item(kind, item)
        except jsonstream.Unstreamable:
            raise Irregular(path) from None

    return FactFile(tables, records(), count, [f.close])


def _member(label: str, key: str, value: Any, tables: dict[str, Any]) -> list[str]:
    """A top-level member other than an array of records: the schema, or a table kept."""
    if key == "schema":
        if value != 1:
            message = _("{file}: schema: {value} is not 1, the schema wocli reads")
            return [message.format(file=label, value=repr(value))]
    else:
        tables[key] = value
    return []


def _from_item(kind: str, item: dict[str, Any]) -> Entry:
    """(kind, id, raw table) of one exported record: fields worked out on export dropped, and
    null meaning "not set"."""
    drop = _DROPPED[kind]
    raw = {k: _unset_nulls(v) for k, v in item.items() if k not in drop}
    return kind, item["id"], {k: v for k, v in raw.items() if v is not None}


def _item_problems(label: str, kind: str, i: int, item: Any, seen: set[str]) -> list[str]:
    """What is wrong with the `i`th (from 0) item of an array of records, given the ids `seen`
    before it in the array (which it adds to)."""
    where = f"{label}: {kind}[{i + 1}]"
    if not isinstance(item, dict):
        return [_("{where}: must be an object with an id").format(where=where)]
    problems = []
    singular = KIND_SINGULAR[kind]
    rid = item.get("id")
    if not isinstance(rid, str) or not rid:
        message = _("{where}.id: missing (each record needs a string id)")
        problems.append(message.format(where=where))
    elif item.get("kind", singular) != singular:
        message = _("{where}.kind: {kind} is not {expected} ({table} holds {singular} records)")
        problems.append(
            message.format(
                where=where,
                kind=repr(item["kind"]),
                expected=repr(singular),
                table=kind,
                singular=singular,
            )
        )
    elif rid in seen:
        message = _("{where}: id {id} is given twice in {table}")
        problems.append(message.format(where=where, id=repr(rid), table=kind))
    if isinstance(rid, str):
        seen.add(rid)
    return problems


def _unset_nulls(value: Any) -> Any:
    """Drop the null fields of the tables in a list (sources, tallies): export writes them."""
    if isinstance(value, list):
        return [
            {k: v for k, v in item.items() if v is not None} if isinstance(item, dict) else item
            for item in value
        ]
    return value
