"""What `wocli cite` prints: references to works, or the sources behind any record."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .model import KIND_PLURAL, KIND_SINGULAR, Work
from .store import FactBase

if TYPE_CHECKING:
    from .resolve import Matcher

IndexFactory = Callable[[FactBase], "Matcher"]


def _items(base: FactBase) -> list[dict[str, Any]]:
    """Every bundled and overlay work as CSL-JSON, so disambiguation (1921a) is consistent."""
    return [w.csl for w in base.all("works") if isinstance(w, Work)]


def _work(base: FactBase, index: IndexFactory, query: str) -> Work:
    from .resolve import resolve

    found = base.get(query.strip())
    if not isinstance(found, Work):
        found = resolve(base, index(base), "work", query)
    assert isinstance(found, Work)
    return found


_LINE_BREAKS = re.compile(r"[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")


def _line(entry: str) -> str:
    """One entry as one line: a line break in the data (a title with a newline) is a space."""
    return _LINE_BREAKS.sub(" ", entry) + "\n"


def _lines(entries: list[str]) -> str:
    return "".join(_line(entry) for entry in entries)


def cite_works(
    base: FactBase,
    index: IndexFactory,
    query: str | None,
    style: str,
    fmt: str,
    *,
    all_works: bool = False,
    citation: bool = False,
    page: str | None = None,
) -> str:
    """One work's entry (or citation), or with `all_works` the whole bibliography.

    One work's entry is the one in the bibliography of every work (same year suffixes), but
    with its names written out where the list would print "———" for a repeated author.

    Some styles list a work only in notes: Chicago notes-bibliography prints no bibliography
    entry for unpublished documents or for reference works such as Wikipedia (citeproc-js
    neither). For such a work the entry is its first note instead (the form Chicago wants it
    cited in), never an empty line; the text alone does not say which it is, since the core
    prints nothing on its own. A work the style prints nothing for at all is a `CiteError`.
    """
    from . import cite

    _check(fmt)
    if all_works and query is not None:
        raise UsageError("give either a work (wocli cite allen2015) or --all, not both")
    if not all_works and query is None:
        raise UsageError(
            "say what to cite: a work (wocli cite allen2015), --all, or --for KIND:QUERY"
        )
    if page is not None and not citation:
        raise UsageError("--page is a locator for --citation")
    items = _items(base)
    export = style.strip().lower() in cite.EXPORT_FORMATS
    if all_works:
        if export:
            return cite.export(items, style.strip().lower())
        if citation:
            raise UsageError("--citation cites one work; leave out --all")
        return _lines(cite.bibliography(items, style, fmt))
    assert query is not None
    work = _work(base, index, query)
    if export:
        return cite.export([work.csl], style.strip().lower())
    if citation:
        return _line(cite.citation(items, work.id, style, fmt, page))
    entry = cite.bibliography_entry(items, work.id, style, fmt, standalone=True)
    if not entry:  # listed only in notes: the first note, not an empty line
        entry = cite.citation(items, work.id, style, fmt)
    if not entry:
        raise cite.CiteError(f"the style {style} prints nothing for {work.id}")
    return _line(entry)


def cite_for(base: FactBase, index: IndexFactory, target: str, style: str, fmt: str) -> str:
    """The sources behind a record: a citation with each locator, then their bibliography entries.

    Citations and entries are those of the whole bibliography (same year suffixes), in its
    order, with names written out instead of "———". When the style lists none of the works
    (Chicago leaves out Wikipedia), only the citations are printed.
    """
    from . import cite
    from .resolve import resolve

    _check(fmt)
    kind, sep, query = target.partition(":")
    kind = kind.strip().lower()
    kind = KIND_SINGULAR.get(kind, kind)  # "people:" as well as "person:"
    if not sep or kind not in KIND_PLURAL or not query.strip():
        raise UsageError(
            f"--for wants KIND:QUERY, e.g. person:shlyapnikov (kinds: {', '.join(KIND_PLURAL)})"
        )
    record = resolve(base, index(base), kind, query)
    works = list(dict.fromkeys(s.work for s in record.sources))
    items = _items(base)
    if style.strip().lower() in cite.EXPORT_FORMATS:
        return cite.export([i for i in items if i["id"] in works], style.strip().lower())
    cites = list(dict.fromkeys((s.work, s.locator) for s in record.sources))
    notes = cite.citations(items, cites, style, fmt)
    listed = cite.bibliography_entries(items, style, fmt, standalone=True)  # a subset: no "———"
    entries = [e for wid, e in listed if wid in works]
    if not entries:  # a note style that lists none of these works (Chicago: Wikipedia)
        return _lines(notes)
    return _lines(notes) + "\n" + _lines(entries)


def _check(fmt: str) -> None:
    from .cite import FORMATS

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
