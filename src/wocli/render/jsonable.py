"""Records as JSON-ready dicts: the documented, stable `--json` contract (schema 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import Candidate
from ..model import Event, Group, Person, Record, Term, Vote, Work
from ..store import FactBase

if TYPE_CHECKING:
    from ..search import Hit

SCHEMA = 1


def record(rec: Record, base: FactBase) -> dict[str, Any]:
    """One record with the fields the contract promises for its kind."""
    out: dict[str, Any] = {"kind": rec.kind, "id": rec.id, "name": rec.name}
    if isinstance(rec, Term):
        out["definition"] = rec.definition
    else:
        out["summary"] = rec.summary
    out["aliases"] = list(rec.aliases)
    if not isinstance(rec, Work):
        out["name_ru"] = rec.name_ru
    out["summary_ru" if not isinstance(rec, Term) else "definition_ru"] = rec.summary_ru
    out["general_reference"] = list(rec.general_reference)
    if isinstance(rec, Person):
        out.update(
            born=rec.born,
            died=rec.died,
            roles=list(rec.roles),
            roles_ru=list(rec.roles_ru) or None,
            groups=list(rec.groups),
        )
    elif isinstance(rec, Group):
        out.update(type=rec.type, members=[p.id for p in base.members(rec.id)])
    elif isinstance(rec, Event):
        out.update(date=rec.when, place=rec.place, place_ru=rec.place_ru)
        out.update(people=list(rec.people), groups=list(rec.groups))
    elif isinstance(rec, Vote):
        out.update(
            date=rec.when,
            event=rec.event,
            body=rec.body,
            body_ru=rec.body_ru,
            place=rec.place,
            place_ru=rec.place_ru,
            people=list(rec.people),
            tallies=[
                {"label": t.label, "label_ru": t.label_ru, "group": t.group, "votes": t.votes}
                for t in rec.tallies
            ],
            total=rec.total,
            notes=rec.notes,
            notes_ru=rec.notes_ru,
        )
    elif isinstance(rec, Work):
        out["csl"] = rec.csl
    elif isinstance(rec, Term):
        out["related"] = list(rec.related)
    out["sources"] = [
        {"work": s.work, "locator": s.locator, "note": s.note, "note_ru": s.note_ru}
        for s in rec.sources
    ]
    out["note"] = rec.note
    out["note_ru"] = rec.note_ru
    out["provenance"] = dict(rec.provenance)
    return out


def detailed(rec: Record, base: FactBase) -> dict[str, Any]:
    """A record for a singular command: linked events and votes embedded where they exist."""
    out = record(rec, base)
    if isinstance(rec, Person | Group):
        out["events"] = [record(e, base) for e in base.events_of(rec.id)]
        out["votes"] = [record(v, base) for v in base.votes_of(rec.id)]
    elif isinstance(rec, Event):
        out["votes"] = [record(v, base) for v in base.linking(rec.id, "votes")]
    elif isinstance(rec, Work):
        out["cited_by"] = [{"kind": r.kind, "id": r.id} for r in base.citing(rec.id)]
    return out


def check_report(files: list[str], records: int | None, problems: list[str]) -> dict[str, Any]:
    """`wocli check --json`: which files were read, how many records, every problem."""
    ok = not problems
    return {"schema": SCHEMA, "ok": ok, "files": files, "records": records, "problems": problems}


def listing(kind: str, records: list[Record], base: FactBase) -> dict[str, Any]:
    """A plural command's result."""
    return {"schema": SCHEMA, kind: [record(r, base) for r in records]}


def candidates(query: str, found: list[Candidate]) -> dict[str, Any]:
    """An ambiguous or unanswered singular query: the records it might mean, best first."""
    return {
        "schema": SCHEMA,
        "query": query,
        "candidates": [
            {
                "kind": c.kind,
                "id": c.id,
                "name": c.name,
                "date": c.date or None,
                "born": c.born or None,
                "died": c.died or None,
                "score": c.score,
            }
            for c in found
        ],
    }


def search(query: str, hits: list[Hit]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "query": query,
        "results": [
            {"kind": h.kind, "id": h.id, "name": h.name, "score": h.score, "matched": h.matched}
            for h in hits
        ],
    }
