"""Turn a user's free-text argument into exactly one record, or say why not.

The order of decisions:

1. an exact id (as typed), or an exact id, name or alias once normalised, wins outright,
   without any fuzzy matching; several records of the kind sharing that name are ambiguous;
2. otherwise the best fuzzy match wins if it is confident and clearly ahead of the next
   (or merely plausible but far ahead of everything else);
3. several matches close to the best one are ambiguous (a bare first name shared by several
   people, say), and the reader is shown them: all of them, up to SHOWN;
4. nothing close enough: not found, with up to three suggestions.

Namesakes are never told apart by guessing: the name alone lists them all, and what else the
query gives (a year, a role, a place) ranks them, or picks the one it fits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .errors import Ambiguous, Candidate, NotFound
from .errors import quoted as quote
from .i18n import _, ngettext
from .model import KIND_PLURAL, Person, Record
from .store import FactBase

if TYPE_CHECKING:
    from .search import Hit

CONFIDENT = 85.0
"""A fuzzy match at least this good may be the answer if it leads the next by MARGIN."""
MARGIN = 6.0
"""A confident best match must lead the next by this much to be chosen without asking."""
PLAUSIBLE = 75.0
"""A weaker match (e.g. two typos in a short name) may be the answer ..."""
WIDE_MARGIN = 15.0
"""... if it leads everything else of its kind by this much."""
SUGGEST = 50.0
"""Matches below this are too far off even to suggest."""
SUGGESTIONS = 3
"""At most this many "did you mean" names."""
QUOTED = 60
"""A query quoted in a message is cut to this many characters."""
LIMIT = 8
"""Fuzzy matches asked for first; more only when all of them are close to the best."""
SHOWN = 25
"""At most this many candidates are listed; the message says when there are more."""


class Matcher(Protocol):
    """What resolve needs of a search: a SearchIndex, or a Finder that builds one lazily."""

    def exact(self, query: str, kind: str | None = None) -> list[Hit]: ...

    def search(self, query: str, kind: str | None = None, limit: int = 10) -> list[Hit]: ...


def resolve(base: FactBase, index: Matcher, kind: str | None, query: str) -> Record:
    """The one record of `kind` (singular; None: of any kind) that `query` means.

    Raises:
        UsageError: the query is empty.
        NotFound: nothing is close; carries suggestions.
        Ambiguous: several records fit about equally well; carries them.
    """
    quoted = quote(query.strip(), QUOTED)
    record = base.get(query.strip())
    if record is not None and kind in (None, record.kind):
        return record
    exact = index.exact(query, kind=kind)
    if len(exact) == 1:
        return _record(base, exact[0])
    if len(exact) > 1:
        raise Ambiguous(_several(quoted, kind, len(exact)), _candidates(base, exact[:SHOWN]))
    hits = index.search(query, kind=kind, limit=LIMIT)
    top = hits[0] if hits else None
    if top is None or top.score < PLAUSIBLE:
        answered = _question(base, kind, query)
        if answered is not None:
            return answered
        suggestions = _candidates(base, [h for h in hits[:SUGGESTIONS] if h.score >= SUGGEST])
        if kind is None:
            raise NotFound(no_match(kind, quoted), suggestions)
        raise NotFound(
            no_match(kind, quoted),
            suggestions,
            _elsewhere(base, index, query, kind),
            _("Nothing is close: `{command}` lists them all.").format(
                command=f"wocli {KIND_PLURAL[kind]}"
            ),
        )
    lead = top.score - hits[1].score if len(hits) > 1 else top.score
    if (top.score >= CONFIDENT and lead >= MARGIN) or lead >= WIDE_MARGIN:
        return _record(base, top)
    close = [h for h in hits if top.score - h.score < MARGIN]
    if len(close) == LIMIT:  # as close as the best, all of them: there may be more
        hits = index.search(query, kind=kind, limit=SHOWN + 1)
        close = [h for h in hits if top.score - h.score < MARGIN]
    if len(close) > 1:
        message = _several(quoted, kind, len(close), exact=False)
        raise Ambiguous(message, _candidates(base, close[:SHOWN]))
    # Alone in front but neither confident nor far enough ahead: ask rather than guess.
    suggestions = _candidates(base, [h for h in hits[:SUGGESTIONS] if h.score >= SUGGEST])
    raise NotFound(no_match(kind, quoted), suggestions)


def no_match(kind: str | None, quoted: str) -> str:
    """'No person matches 'x'.', in the interface's language (Russian needs each kind's own);
    'Nothing matches 'x'.' when any kind was wanted."""
    if kind is None:
        return _("Nothing matches {query}.").format(query=quoted)
    messages = {
        "person": _("No person matches {query}."),
        "group": _("No group matches {query}."),
        "event": _("No event matches {query}."),
        "vote": _("No vote matches {query}."),
        "work": _("No work matches {query}."),
        "term": _("No term matches {query}."),
    }
    return messages[kind].format(query=quoted)


def _several(quoted: str, kind: str | None, count: int, exact: bool = True) -> str:
    """What to say of `count` records that the query names (or, not `exact`, could mean)
    alike: how many are listed when not all, and what would tell them apart."""
    if count <= SHOWN:
        text = (
            _("{query} names several of them; be more specific{hint}:")
            if exact
            else _("{query} could mean several of them; be more specific{hint}:")
        )
    elif exact:
        text = ngettext(
            "{query} names {count} of them, {shown} listed; be more specific{hint}:",
            "{query} names {count} of them, {shown} listed; be more specific{hint}:",
            count,
        )
    else:  # only the first SHOWN + 1 were asked for
        text = _(
            "{query} could mean more than {shown} of them, {shown} listed; be more specific{hint}:"
        )
    return text.format(query=quoted, count=f"{count:,}", shown=SHOWN, hint=_narrower(kind))


def _narrower(kind: str | None) -> str:
    """What else a query may give to tell records of `kind` apart when their names are alike."""
    if kind == "person":
        return _(" (add a life year or a role)")
    if kind in ("event", "vote"):
        return _(" (add a year or a place)")
    if kind == "work":
        return _(" (add an author or a year)")
    return ""


def _elsewhere(base: FactBase, index: Matcher, query: str, kind: str) -> list[Candidate]:
    """(kind, id, name) of the records of other kinds that `query` plainly names:
    `wocli person "workers opposition"` is asking for a group (or the term, or the article)."""
    hits = index.search(query, limit=SUGGESTIONS + 1)
    if not hits or hits[0].score < CONFIDENT:
        return []
    close = [h for h in hits if hits[0].score - h.score < MARGIN and h.kind != kind]
    return _candidates(base, close[:SUGGESTIONS])


def _question(base: FactBase, kind: str | None, query: str) -> Record | None:
    """The record a question-like query is plainly about (see `question`), or None."""
    if kind is None:
        return None
    from .question import answer

    return answer(base, kind, query)


def _candidates(base: FactBase, hits: list[Hit]) -> list[Candidate]:
    """What a reader needs to choose between records: kind, id, name, date and score."""
    from .i18n import DEFAULT, language
    from .model import shown_name

    out = []
    for h in hits:
        rec = base.get(h.id)
        shown = shown_name(rec) if rec is not None and language() != DEFAULT else ""
        date = (rec.date if rec else None) or ""
        life = (rec.born or "", rec.died or "") if isinstance(rec, Person) else ("", "")
        out.append(Candidate(h.kind, h.id, h.name, date, h.score, shown, *life))
    return out


def _record(base: FactBase, hit: Hit) -> Record:
    found = base.get(hit.id)
    assert found is not None, hit.id
    return found
