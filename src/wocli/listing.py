"""The plural commands' queries: records of one kind, filtered and in a reader's order."""

from __future__ import annotations

from . import dates
from .model import Group, Person, Record, Vote, Work, roles_for, shown_name
from .spelling import normalize, surname_key
from .store import FactBase


def _by_date(records: list[Record]) -> list[Record]:
    """In date order; on the same dates an event comes before the votes taken at it."""
    return sorted(records, key=lambda r: (*dates.sort_key(r.date), r.kind == "vote", r.name))


def people(base: FactBase, group: Group | None = None) -> list[Record]:
    found = [p for p in base.all("people") if isinstance(p, Person)]
    if group is not None:
        found = [p for p in found if group.id in p.groups]
    return sorted(found, key=lambda p: surname_key(shown_name(p)))


def roles_in(person: Person, group: Group, lang: str = "en") -> list[str]:
    """The person's roles that name the group (by its name or an alias), as written, in
    `lang` where the curators translated them."""
    names = [f" {normalize(n)} " for n in (group.name, *group.aliases) if normalize(n)]
    shown = roles_for(person, lang)[0]
    return [
        text
        for role, text in zip(person.roles, shown, strict=True)
        if any(n in f" {normalize(role)} " for n in names)
    ]


def groups(base: FactBase) -> list[Record]:
    return sorted(base.all("groups"), key=lambda g: normalize(shown_name(g)))


def terms(base: FactBase) -> list[Record]:
    return sorted(base.all("terms"), key=lambda r: normalize(shown_name(r)))


def works(base: FactBase, author: str | None = None) -> list[Work]:
    found = [w for w in base.all("works") if isinstance(w, Work)]
    if author:
        wanted = normalize(author)
        found = [w for w in found if any(wanted in normalize(a) for a in _all_names(w))]
    return sorted(found, key=lambda w: (normalize(" ".join(w.authors)), w.date or ""))


def _all_names(work: Work) -> list[str]:
    names = []
    for role in ("author", "editor", "translator"):
        for name in work.csl.get(role) or []:
            names.append(" ".join(str(v) for v in name.values()))
    return names


def events(
    base: FactBase,
    after: str | None = None,
    before: str | None = None,
    person: Person | None = None,
    group: Group | None = None,
    strict: bool = False,
) -> list[Record]:
    """Events in date order, filtered by dates and by who took part."""
    return _dated(base, list(base.all("events")), after, before, person, group, strict)


def votes(base: FactBase, group: Group | None = None) -> list[Record]:
    found = [v for v in base.all("votes") if isinstance(v, Vote)]
    if group is not None:
        theirs = {v.id for v in base.votes_of(group.id)}
        found = [v for v in found if v.id in theirs]
    return _by_date(list(found))


def timeline(
    base: FactBase,
    after: str | None = None,
    before: str | None = None,
    person: Person | None = None,
    group: Group | None = None,
    strict: bool = False,
) -> list[Record]:
    """Events and votes together in date order; undated votes are left out."""
    found = [*base.all("events"), *(v for v in base.all("votes") if v.date)]
    return _dated(base, found, after, before, person, group, strict)


def _dated(
    base: FactBase,
    records: list[Record],
    after: str | None,
    before: str | None,
    person: Person | None,
    group: Group | None,
    strict: bool = False,
) -> list[Record]:
    """`records` within the dates (overlapping them, or with `strict` wholly inside) and
    linked to every given person or group, in date order."""
    in_range = dates.within if strict else dates.overlaps
    linked = [_linked(base, who.id) for who in (person, group) if who is not None]
    return _by_date(
        [
            r
            for r in records
            if (not (after or before) or in_range(r.date, after, before))
            and all(r.id in ids for ids in linked)
        ]
    )


def _linked(base: FactBase, rid: str) -> set[str]:
    """Ids of the events and votes a person or group is linked to."""
    return {r.id for r in (*base.events_of(rid), *base.votes_of(rid))}


def year_of(rec: Record) -> str:
    """The heading a record falls under in the timeline."""
    if not rec.date:
        return "undated"
    return str(dates.year(rec.date))
