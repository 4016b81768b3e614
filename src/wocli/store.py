"""Load the bundled fact base and overlay files into one validated, cross-linked FactBase."""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import DataError
from .model import KIND_PLURAL, KINDS, Event, Person, Record, Vote
from .validate import check_file, entries, references

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
    return [Path(p) for p in [*from_env, *cli_paths]]


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
    """The merged records of every kind, with lookups by id and the links derived from them."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._by_id: dict[str, Record] = {r.id: r for r in records}

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, rid: str) -> Record | None:
        return self._by_id.get(rid)

    def kind_of(self, rid: str) -> str | None:
        """The plural kind ('people', ...) of the record with this id, if any."""
        record = self._by_id.get(rid)
        return KIND_PLURAL[record.kind] if record else None

    def all(self, kind: str | None = None) -> Iterator[Record]:
        """Records of one plural kind (or all), in file order."""
        for record in self._by_id.values():
            if kind is None or KIND_PLURAL[record.kind] == kind:
                yield record

    @cached_property
    def _links(self) -> dict[str, set[str]]:
        """id -> ids of the records that point at it (any field)."""
        links: dict[str, set[str]] = defaultdict(set)
        for record in self._by_id.values():
            for target in _outgoing(record):
                links[target].add(record.id)
        return links

    def linking(self, rid: str, kind: str) -> list[Record]:
        """Records of a plural kind that point at `rid`, by date then name."""
        found = [self._by_id[i] for i in self._links.get(rid, ()) if i in self._by_id]
        return sorted((r for r in found if KIND_PLURAL[r.kind] == kind), key=_chrono)

    def members(self, group_id: str) -> list[Person]:
        return [r for r in self.linking(group_id, "people") if isinstance(r, Person)]

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
        found = [r for r in self._by_id.values() if any(s.work == work_id for s in r.sources)]
        return sorted(found, key=lambda r: (KINDS.index(KIND_PLURAL[r.kind]), r.name))


def _chrono(record: Record) -> tuple[Any, ...]:
    from .dates import sort_key

    return (*sort_key(record.date), record.name)


def _outgoing(record: Record) -> Iterator[str]:
    """Every id a record points at, except its sources."""
    for field in ("groups", "people", "related"):
        yield from getattr(record, field, ())
    if isinstance(record, Vote):
        if record.event:
            yield record.event
        yield from (t.group for t in record.tallies if t.group)


def load(overlays: Sequence[Path] = (), bundled: Path | None = None) -> FactBase:
    """The bundled base merged with overlays in order; DataError listing every problem."""
    files = [(bundled or bundled_path(), "facts.toml"), *((p, str(p)) for p in overlays)]
    merged: dict[str, tuple[str, str, Any]] = {}  # id -> (file label, plural kind, raw table)
    records: dict[str, Record] = {}
    problems: list[str] = []
    for path, label in files:
        try:
            data = read_toml(path, label)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        valid, file_problems = check_file(label, data)
        problems.extend(file_problems)
        built = {r.id: r for r in valid}
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
            merged[rid] = (label, kind, raw)
            records.pop(rid, None)
            if rid in built:
                records[rid] = built[rid]

    def kind_of(rid: str) -> str | None:
        entry = merged.get(rid)
        return entry[1] if entry else None

    for rid, (label, kind, raw) in merged.items():
        problems.extend(references(f"{label}: {kind}.{rid}", kind, raw, kind_of))
    if problems:
        raise DataError(problems)
    return FactBase(records.values())
