"""The whole base as related tables: one per kind, one per kind of link, and a node and an edge
table for network tools (Palladio, Gephi). The CSV data package and the SQLite database are
both written from these, and the GEXF and GraphML graphs from the nodes and edges.

Every link table's columns point at the tables they name (foreign keys); a link whose other
end may be of several kinds (a participant, a record citing a work) points at `nodes`, which
holds every record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import KIND_SINGULAR, KINDS, Event, Person, Record, Term, Vote
from ..store import FactBase
from .rows import COLUMNS, DATES, INTEGERS, Row, life, row, span


@dataclass
class Table:
    """A table: its rows, what each column is, its key and where its columns point."""

    name: str
    description: str
    columns: tuple[str, ...]
    rows: list[Row]
    primary_key: tuple[str, ...] = ()
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)
    """(column, table, column there)"""

    def type_of(self, column: str) -> str:
        """The column's type in Frictionless terms: string, integer or date."""
        if column in INTEGERS:
            return "integer"
        return "date" if column in DATES else "string"


NODE_COLUMNS = ("id", "kind", "name", "date", "start", "end")
EDGE_COLUMNS = ("source", "target", "relation", "votes")

EDGE_TYPES = {
    "member": "a person belongs to a group",
    "participant": "a person or group took part in an event or was named in a vote",
    "side": "a group's side in a vote (with its votes)",
    "held-at": "a vote was taken at an event",
    "related": "a term is related to a record",
    "cites": "a record gives a work as a source",
}

KIND_DESCRIPTIONS = {
    "people": "People named in the sources",
    "groups": "Factions, platforms, organisations and party and state bodies",
    "events": "Events, dated in EDTF with ISO start and end days",
    "votes": "Votes, with each side's count in tallies",
    "works": "The bibliography and the primary texts",
    "terms": "The glossary",
}


def node(rec: Record) -> Row:
    """A record as a node: its kind, name and dates (a person's life as an EDTF interval)."""
    when = life(rec) if isinstance(rec, Person) else rec.date
    start, end = span(when)
    return {
        "id": rec.id,
        "kind": rec.kind,
        "name": rec.name,
        "date": when,
        "start": start,
        "end": end,
    }


def edges(base: FactBase) -> list[Row]:
    """Every link between records, typed (see EDGE_TYPES); a side carries its votes."""
    out: list[Row] = []

    def add(source: str, target: str, kind: str, votes: int | None = None) -> None:
        out.append({"source": source, "target": target, "relation": kind, "votes": votes})

    for rec in base.all():
        if isinstance(rec, Person):
            for group in rec.groups:
                add(rec.id, group, "member")
        if isinstance(rec, Event):
            for other in (*rec.people, *rec.groups):
                add(rec.id, other, "participant")
        if isinstance(rec, Vote):
            for other in rec.people:
                add(rec.id, other, "participant")
            for tally in rec.tallies:
                if tally.group:
                    add(rec.id, tally.group, "side", tally.votes)
            if rec.event:
                add(rec.id, rec.event, "held-at")
        if isinstance(rec, Term):
            for other in rec.related:
                add(rec.id, other, "related")
        for work in dict.fromkeys(s.work for s in rec.sources):
            add(rec.id, work, "cites")
    return out


def tables(base: FactBase) -> list[Table]:
    """Every table of the export: the kinds, the nodes, then the links (each after what it
    points at)."""
    out = [
        Table(
            kind,
            KIND_DESCRIPTIONS[kind],
            COLUMNS[kind],
            [row(r, base) for r in base.all(kind)],
            ("id",),
            [("event", "events", "id")] if kind == "votes" else [],
        )
        for kind in KINDS
    ]
    out.append(
        Table(
            "nodes",
            "Every record as a node of the network (Palladio, Gephi)",
            NODE_COLUMNS,
            [node(r) for r in base.all()],
            ("id",),
        )
    )
    people = [r for r in base.all("people") if isinstance(r, Person)]
    events = [r for r in base.all("events") if isinstance(r, Event)]
    votes = [r for r in base.all("votes") if isinstance(r, Vote)]
    taking_part: list[Event | Vote] = [*events, *votes]
    out.append(
        Table(
            "memberships",
            "Which person belongs to which group",
            ("person", "group"),
            [{"person": p.id, "group": g} for p in people for g in dict.fromkeys(p.groups)],
            (),
            [("person", "people", "id"), ("group", "groups", "id")],
        )
    )
    participants: list[Row] = [
        {
            "record": r.id,
            "kind": r.kind,
            "participant": other,
            "participant_kind": _kind(base, other),
        }
        for r in taking_part
        for other in (*r.people, *(r.groups if isinstance(r, Event) else ()))
    ]
    out.append(
        Table(
            "participants",
            "Who took part in an event, or is named in a vote",
            ("record", "kind", "participant", "participant_kind"),
            participants,
            (),
            [("record", "nodes", "id"), ("participant", "nodes", "id")],
        )
    )
    out.append(
        Table(
            "tallies",
            "Each side of each vote, in the order the source gives them",
            ("vote", "position", "label", "group", "votes"),
            [
                {"vote": v.id, "position": i, "label": t.label, "group": t.group, "votes": t.votes}
                for v in votes
                for i, t in enumerate(v.tallies, 1)
            ],
            ("vote", "position"),
            [("vote", "votes", "id"), ("group", "groups", "id")],
        )
    )
    out.append(
        Table(
            "sources",
            "Where each record's facts come from: the work, and where in it",
            ("record", "kind", "position", "work", "locator", "note"),
            [
                {
                    "record": r.id,
                    "kind": r.kind,
                    "position": i,
                    "work": s.work,
                    "locator": s.locator,
                    "note": s.note,
                }
                for r in base.all()
                for i, s in enumerate(r.sources, 1)
            ],
            ("record", "position"),
            [("record", "nodes", "id"), ("work", "works", "id")],
        )
    )
    out.append(
        Table(
            "edges",
            "Every link between records, typed: "
            + "; ".join(f"{k}: {v}" for k, v in EDGE_TYPES.items()),
            EDGE_COLUMNS,
            edges(base),
            (),
            [("source", "nodes", "id"), ("target", "nodes", "id")],
        )
    )
    return out


def _kind(base: FactBase, rid: str) -> str | None:
    kind = base.kind_of(rid)
    return KIND_SINGULAR[kind] if kind else None
