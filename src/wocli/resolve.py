"""Turn a user's free-text argument into exactly one record, or say why not."""

from __future__ import annotations

from .errors import Ambiguous, NotFound
from .model import Record
from .search import SearchIndex
from .store import FactBase

CONFIDENT = 85.0
"""A fuzzy match below this is only a suggestion, never an answer."""
MARGIN = 6.0
"""A best match must lead the next by this much to be chosen without asking."""


def resolve(base: FactBase, index: SearchIndex, kind: str, query: str) -> Record:
    """The one record of `kind` (singular) that `query` means.

    Raises:
        NotFound: nothing is close; carries suggestions.
        Ambiguous: several records fit about equally well; carries them.
    """
    record = base.get(query.strip())
    if record is not None and record.kind == kind:
        return record
    hits = index.search(query, kind=kind, limit=8)
    if not hits or hits[0].score < CONFIDENT:
        suggestions = [h.name for h in hits[:3] if h.score >= 60]
        raise NotFound(f"No {kind} matches {query!r}.", suggestions)
    top = hits[0]
    close = [h for h in hits if top.score - h.score < MARGIN]
    if len(close) > 1:
        raise Ambiguous(
            f"{query!r} could mean several of them; be more specific:",
            [(h.id, h.name) for h in close],
        )
    found = base.get(top.id)
    assert found is not None
    return found
