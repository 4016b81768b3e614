"""Questions put to a singular command ("how many votes did the Workers' Opposition get at the
Moscow provincial conference in February 1921"): the record of the kind asked for whose
name, body, place, date and linked names hold most of the question's telling words.

The search index answers names; this answers sentences, and runs only when the index found
nothing plausible for a query of several words. Each word counts by how rare it is among the
records of that kind, so that "provincial" and "February" tell more than "opposition".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

from . import dates
from .model import KIND_PLURAL, Event, Group, Person, Record, Vote, Work
from .spelling import STOPWORDS, normalize
from .store import FactBase

_ASKING = (
    "how many much what which who whom whose when where why did does do was were is are get got "
    "give gave take took receive received there their its it this that"
)
ASKING = frozenset(_ASKING.split())
"""Words of a question that say nothing about which record it asks for."""
WORDS = 4
"""The fewest telling words a query needs to be read as a question."""
ENOUGH = 0.6
"""The share of the question's weight a record must hold ..."""
LEAD = 0.15
"""... and by how much it must lead the next one, to be the answer."""


def answer(base: FactBase, kind: str, query: str) -> Record | None:
    """The one record of `kind` that the question `query` is plainly about, or None."""
    asked = _words(query) - ASKING - STOPWORDS
    if len(asked) < WORDS:
        return None
    records = list(base.all(KIND_PLURAL[kind]))
    bags = [(rec, _words(" ".join(_texts(base, rec)))) for rec in records]
    seen = Counter(word for _, bag in bags for word in bag & asked)
    weight = {w: math.log((1 + len(bags)) / (1 + seen[w])) + 1 for w in asked}
    total = sum(weight.values())
    scored = sorted(
        ((sum(weight[w] for w in bag & asked) / total, rec) for rec, bag in bags),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < ENOUGH:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < LEAD:
        return None
    return scored[0][1]


def _words(text: str) -> set[str]:
    """Normalised words, a plural's final s dropped (votes and vote are one word here)."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in normalize(text).split()}


def _texts(base: FactBase, rec: Record) -> Iterator[str]:
    """What a question may name a record by: its names, and its body, place, date and links."""
    yield rec.name
    yield from rec.aliases
    if rec.date:
        yield dates.display(rec.date)
        yield rec.date[:4]
    if isinstance(rec, Vote | Event):
        yield rec.place or ""
        for rid in rec.people:
            linked = base.get(rid)
            yield linked.name if linked else ""
    if isinstance(rec, Vote):
        yield rec.body
        event = base.get(rec.event) if rec.event else None
        yield event.name if event else ""
        yield from (t.label for t in rec.tallies)
        for tally in rec.tallies:
            group = base.get(tally.group) if tally.group else None
            yield group.name if group else ""
    if isinstance(rec, Event):
        for rid in rec.groups:
            linked = base.get(rid)
            yield linked.name if linked else ""
    if isinstance(rec, Person):
        yield from rec.roles
    if isinstance(rec, Group):
        yield rec.type or ""
    if isinstance(rec, Work):
        yield from rec.authors
