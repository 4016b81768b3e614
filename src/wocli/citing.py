"""What `wocli cite` prints: references to works, or the sources behind any record."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .i18n import _, ngettext
from .model import KIND_PLURAL, KIND_SINGULAR, Work
from .store import FactBase

if TYPE_CHECKING:
    from .resolve import Matcher

IndexFactory = Callable[[FactBase], "Matcher"]


def _items(base: FactBase) -> list[dict[str, Any]]:
    """Every bundled and overlay work as CSL-JSON, in the base's order."""
    return [w.csl for w in base.all("works") if isinstance(w, Work)]


def _work(base: FactBase, index: IndexFactory, query: str) -> Work:
    from .resolve import resolve

    found = base.get(query.strip())
    if not isinstance(found, Work):
        found = resolve(base, index(base), "work", query)
    assert isinstance(found, Work)
    return found


_LINE_BREAKS = re.compile(r" *[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+ *")


def _line(entry: str) -> str:
    """One entry as one line: a line break (in the data, or before a block such as iso690's
    note) is a space."""
    return _LINE_BREAKS.sub(" ", entry) + "\n"


def _lines(entries: list[str]) -> str:
    return "".join(_line(entry) for entry in entries)


@dataclass
class Cited:
    """What `cite` prints: `text` for stdout, `notices` (what was left out, and why) for stderr."""

    text: str
    notices: list[str] = field(default_factory=list)


def _join(entries: list[str], fmt: str) -> str:
    """Entries one per line; in Markdown one per paragraph, so each renders on its own."""
    if fmt == "markdown":
        return "\n".join(_line(entry) for entry in entries)
    return _lines(entries)


def _export_only(style: str, fmt: str) -> str | None:
    """The export format `style` names, refusing a --format it would not apply."""
    from .cite import export_format

    export = export_format(style)
    if export is not None and fmt != "text":
        raise UsageError(
            _("--format applies to CSL styles; {export} is written as it is (leave out --format)")
            .format(export=export)
        )  # fmt: skip
    return export


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
) -> Cited:
    """One work's entry (or citation), or with `all_works` the whole bibliography.

    One work is rendered alone, as a reference manager renders a work cited on its own: no
    year suffix (1921a) and no number from the rest of the base. The whole bibliography is one
    rendering (year suffixes and numbering as the style wants).

    Some styles list a work only in notes: Chicago notes-bibliography prints no bibliography
    entry for unpublished documents or for reference works such as Wikipedia, and a notes-only
    style (The Historical Journal) none at all (citeproc-js neither). For such a work the entry
    is its first note, with a notice saying so; `all_works` names the works it leaves out.
    """
    from . import cite

    _check(fmt)
    if all_works and query is not None:
        raise UsageError(_("give either a work (wocli cite allen2015) or --all, not both"))
    if not all_works and query is None:
        raise UsageError(
            _("say what to cite: a work (wocli cite allen2015), --all, or --for KIND:QUERY")
        )
    if page is not None and not citation:
        raise UsageError(_("--page is a locator for --citation (or --for)"))
    export = _export_only(style, fmt)
    if all_works:
        items = _items(base)
        if export:
            return Cited(cite.export(items, export))
        if citation:
            raise UsageError(_("--citation cites one work; leave out --all"))
        return _bibliography(items, style, fmt)
    assert query is not None
    work = _work(base, index, query)
    alone = [work.csl]
    if export:
        return Cited(cite.export(alone, export))
    if citation:
        return Cited(_line(cite.citation(alone, work.id, style, fmt, page)))
    entry = cite.bibliography_entry(alone, work.id, style, fmt)
    if entry:
        return Cited(_line(entry))
    note = cite.citation(alone, work.id, style, fmt)  # listed only in notes: the first note
    return Cited(
        _line(note),
        [
            _("{style} lists {work} only in notes: this is its first note, not an entry").format(
                style=cite.canonical_name(style), work=work.id
            )
        ],
    )


def _bibliography(items: list[dict[str, Any]], style: str, fmt: str) -> Cited:
    """Every work's entry; the works the style lists only in notes are named on stderr."""
    from . import cite

    listed = cite.bibliography_entries(items, style, fmt)
    left_out = [str(item["id"]) for item in items if str(item["id"]) not in dict(listed)]
    name = cite.canonical_name(style)
    if not listed:
        notes = cite.citations(items, [(i, None) for i in left_out], style, fmt)
        notice = _("{style} has no bibliography, only notes: these are first notes").format(
            style=name
        )
        return Cited(_join(notes, fmt), [notice])
    notices = []
    if left_out:
        notices.append(
            ngettext(
                "{style} lists {n} work only in notes, left out here: {works}",
                "{style} lists {n} works only in notes, left out here: {works}",
                len(left_out),
            ).format(style=name, n=len(left_out), works=", ".join(left_out))
        )
    return Cited(_join([text for _id, text in listed], fmt), notices)


def cite_for(
    base: FactBase,
    index: IndexFactory,
    target: str,
    style: str,
    fmt: str,
    page: str | None = None,
) -> Cited:
    """The sources behind a record: a citation with each locator, then their bibliography entries.

    The record's works are rendered as one bibliography (year suffixes, numbering), in its
    order. `page` replaces the records' own locators. When the style lists none of the works
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
            _("--for wants KIND:QUERY, e.g. person:shlyapnikov (kinds: {kinds})").format(
                kinds=", ".join(KIND_PLURAL)
            )
        )
    export = _export_only(style, fmt)
    record = resolve(base, index(base), kind, query)
    works = list(dict.fromkeys(s.work for s in record.sources))
    items = [i for i in _items(base) if i["id"] in works]
    if export:
        return Cited(cite.export(items, export))
    cites = list(
        dict.fromkeys((s.work, s.locator if page is None else page) for s in record.sources)
    )
    notes = cite.citations(items, cites, style, fmt)
    entries = [e for _id, e in cite.bibliography_entries(items, style, fmt)]
    if not entries:  # a note style that lists none of these works (Chicago: Wikipedia)
        return Cited(_join(notes, fmt))
    return Cited(_join(notes, fmt) + "\n" + _join(entries, fmt))


def _check(fmt: str) -> None:
    from .cite import FORMATS

    if fmt not in FORMATS:
        raise UsageError(
            _("--format must be one of {formats}, not {fmt!r}").format(
                formats=", ".join(FORMATS), fmt=fmt
            )
        )
