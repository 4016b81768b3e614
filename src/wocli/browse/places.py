"""Where the explorer can be: one page each, the unit of its back and forward history."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Candidate

START = "start"
RECORD = "record"
TIMELINE = "timeline"
VOTES = "votes"
MEMBERS = "members"
PICK = "pick"


@dataclass(frozen=True)
class Place:
    """A page: a view, and what it shows (a record's id, the timeline's filters, a pick list)."""

    view: str
    rid: str | None = None
    person: str | None = None  # the timeline's filters (ids)
    group: str | None = None
    message: str = ""  # a pick list's question, and the records it offers
    candidates: tuple[Candidate, ...] = ()


HOME = Place(START)


def record(rid: str) -> Place:
    return Place(RECORD, rid)


def timeline(person: str | None = None, group: str | None = None) -> Place:
    return Place(TIMELINE, person=person, group=group)
