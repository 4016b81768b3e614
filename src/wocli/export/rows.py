"""Records as flat rows: the one shape behind every table wocli writes.

CSV files, SQLite tables, Markdown tables and the list commands' `--format csv|markdown` all
take their rows from here: `id` first, lists of ids joined by `;` (lists of words by `; `),
dates as EDTF with ISO `start` and `end` columns beside them for sorting, and a `sources`
column saying where the facts come from. Only the standard library: a list command imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .. import dates
from ..model import Event, Group, Person, Record, Term, Vote, Work
from ..provenance import source_lines
from ..store import FactBase

if TYPE_CHECKING:
    from ..search import Hit

Row = dict[str, Any]
"""Column name -> a str, an int, or None for nothing."""

IDS = ";"
WORDS = "; "
SOURCES = " | "
"""Between the works of a `sources` cell (each work's locators are already `; `-joined)."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "people": (
        "id", "name", "name_ru", "born", "died", "start", "end", "roles", "groups", "aliases",
        "general_reference", "summary", "note", "sources",
    ),
    "groups": ("id", "name", "type", "members", "aliases", "summary", "note", "sources"),
    "events": (
        "id", "name", "date", "start", "end", "place", "people", "groups", "aliases", "summary",
        "note", "sources",
    ),
    "votes": (
        "id", "name", "date", "start", "end", "event", "body", "place", "people", "tallies",
        "total", "winner", "notes", "aliases", "summary", "note", "sources",
    ),
    "works": (
        "id", "name", "type", "authors", "date", "start", "end", "container_title", "publisher",
        "publisher_place", "aliases", "summary", "note", "sources",
    ),
    "terms": ("id", "name", "definition", "related", "aliases", "note", "sources"),
    "timeline": ("id", "kind", "name", "date", "start", "end", "place", "summary", "sources"),
    "search": ("id", "kind", "name", "score", "matched", "date"),
}  # fmt: skip

INTEGERS = frozenset({"total", "votes", "position"})
DATES = frozenset({"start", "end"})
NUMBERS = frozenset({"score"})


def span(text: str | None) -> tuple[str | None, str | None]:
    """The first and last day an EDTF date covers, as ISO dates; None for an open end."""
    if not text:
        return None, None
    parsed = dates.parse(text)
    first, last = parsed.first, parsed.last
    return (
        None if first.year == 1 else first.isoformat(),
        None if last.year == 9999 else last.isoformat(),
    )


def life(person: Person) -> str | None:
    """A life as one EDTF interval ('1885/1937-09', '../1937'), or None when neither is known."""
    if not (person.born or person.died):
        return None
    return f"{person.born or '..'}/{person.died or '..'}"


def ids(values: Iterable[str]) -> str:
    return IDS.join(values)


def words(values: Iterable[str]) -> str:
    return WORDS.join(values)


def sources(rec: Record, base: FactBase) -> str:
    """Every work a record cites, with its locators: the citation text of a `sources` cell."""
    return SOURCES.join(source_lines(rec, base))


def tallies(vote: Vote) -> str:
    """'Platform 10: 217; Trotsky's theses: 52; ...'"""
    return WORDS.join(f"{t.label}: {t.votes}" for t in vote.tallies)


def row(rec: Record, base: FactBase) -> Row:
    """One record as a row of its kind's columns."""
    out: Row = {"id": rec.id, "name": rec.name}
    if isinstance(rec, Person):
        out.update(name_ru=rec.name_ru, born=rec.born, died=rec.died)
        out["start"], out["end"] = span(life(rec))
        out.update(
            roles=words(rec.roles),
            groups=ids(rec.groups),
            general_reference=ids(rec.general_reference),
        )
    elif isinstance(rec, Group):
        out.update(type=rec.type, members=ids(p.id for p in base.members(rec.id)))
    elif isinstance(rec, Event):
        out["date"] = rec.when
        out["start"], out["end"] = span(rec.when)
        out.update(place=rec.place, people=ids(rec.people), groups=ids(rec.groups))
    elif isinstance(rec, Vote):
        out["date"] = rec.when
        out["start"], out["end"] = span(rec.when)
        winner = rec.winner
        out.update(
            event=rec.event,
            body=rec.body,
            place=rec.place,
            people=ids(rec.people),
            tallies=tallies(rec),
            total=rec.total,
            winner=winner.label if winner else None,
            notes=rec.notes,
        )
    elif isinstance(rec, Work):
        out["date"] = rec.date
        out["start"], out["end"] = span(rec.date)
        out.update(
            type=rec.csl.get("type"),
            authors=words(rec.authors),
            container_title=rec.csl.get("container-title"),
            publisher=rec.csl.get("publisher"),
            publisher_place=rec.csl.get("publisher-place"),
        )
    elif isinstance(rec, Term):
        out.update(definition=rec.definition, related=ids(rec.related))
    out["aliases"] = words(rec.aliases)
    if not isinstance(rec, Term):
        out["summary"] = rec.summary or None
    out["note"] = rec.note
    out["sources"] = sources(rec, base)
    return out


def rows(kind: str, records: Iterable[Record], base: FactBase) -> list[Row]:
    """Records as rows of `kind`'s columns (a plural kind, or "timeline" for a mixed list)."""
    columns = COLUMNS[kind]
    if kind != "timeline":
        return [_only(row(r, base), columns) for r in records]
    out = []
    for rec in records:
        full = row(rec, base)
        full["kind"] = rec.kind
        full.setdefault("date", rec.date)
        out.append(_only(full, columns))
    return out


def hit_rows(hits: Sequence[Hit], base: FactBase) -> list[Row]:
    """Search results as rows: what matched, how well, and its date."""
    out = []
    for hit in hits:
        rec = base.get(hit.id)
        out.append(
            {
                "id": hit.id,
                "kind": hit.kind,
                "name": hit.name,
                "score": round(hit.score, 1),
                "matched": hit.matched,
                "date": rec.date if rec else None,
            }
        )
    return out


def _only(full: Row, columns: Sequence[str]) -> Row:
    return {c: full.get(c) for c in columns}
