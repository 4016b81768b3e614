"""CSL rendering with citeproc-py, corrected to match citeproc-js (see `engine_fixes`).

One `Run` holds a style, the items and what the whole run decides: the bibliography order, the
year suffixes (1921a, 1921b) and which items need ``disambiguate="true"``. Those are worked out
once with plain-text output, then reused for the requested format, so text, Markdown and HTML
always agree. citeproc-py is imported here, inside functions, never when `wocli.cite` loads.
"""

from __future__ import annotations

import copy
import html
import re
import string
import warnings
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from . import typography
from .errors import CiteError
from .styles import resolve_style

Format = Literal["text", "markdown", "html"]

# CSL-JSON fields that are identifiers or codes, not prose: left exactly as given.
_VERBATIM = frozenset(
    {"id", "type", "language", "URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "citation-key"}
)

# A rendering that printed something of the work has a letter or digit outside markup.
_PRINTED = re.compile(r"\w")
_TAGS = re.compile(r"<[^>]*>")

# Locator labels people write, mapped to CSL locator terms; anything else is a page.
_LOCATOR_LABELS = {
    "p.": "page",
    "pp.": "page",
    "page": "page",
    "pages": "page",
    "para.": "paragraph",
    "paras.": "paragraph",
    "paragraph": "paragraph",
    "ch.": "chapter",
    "chap.": "chapter",
    "chapter": "chapter",
    "sec.": "section",
    "section": "section",
    "§": "section",
    "n.": "note",
    "note": "note",
    "vol.": "volume",
    "volume": "volume",
    "fol.": "folio",
    "l.": "line",
    "line": "line",
}


def parse_locator(locator: str) -> tuple[str, str]:
    """A locator as (CSL label, value): "para. 12" -> ("paragraph", "12"); "12" is a page."""
    text = locator.strip()
    if not text:
        raise CiteError("empty locator")
    head, _, rest = text.partition(" ")
    label = _LOCATOR_LABELS.get(head.lower())
    if label is not None and rest.strip():
        return label, rest.strip()
    if head.startswith("§") and len(head) > 1:
        return "section", text[1:].strip()
    for written, label in _LOCATOR_LABELS.items():  # "ch.3", "p.12": no space after the label
        if written.endswith(".") and text.lower().startswith(written) and text[len(written) :]:
            return label, text[len(written) :].strip()
    return "page", text


def _prepare(items: list[dict[str, Any]], fmt: Format) -> list[dict[str, Any]]:
    """Items with prose marked up for the engine: quotation markers, ’, format escaping."""
    escape = {
        "text": lambda s: s,
        "html": lambda s: html.escape(s, quote=False),
        "markdown": _markdown_escape,
    }[fmt]

    def prose(value: str) -> str:
        return typography.prepare_field(escape(value))

    out = []
    for item in items:
        new: dict[str, Any] = {}
        for key, value in item.items():
            if key in _VERBATIM:
                new[key] = value
            elif isinstance(value, str):
                new[key] = prose(value)
            elif isinstance(value, list) and all(isinstance(n, dict) for n in value):
                new[key] = [
                    {k: escape(v) if isinstance(v, str) else v for k, v in name.items()}
                    for name in value
                ]
            else:
                new[key] = copy.deepcopy(value)
        out.append(new)
    return out


def _markdown_escape(text: str) -> str:
    from . import markdown

    return markdown.preformat(text)


@lru_cache(maxsize=8)
def _load_style(path: Path, mtime: float) -> Any:
    from citeproc import CitationStylesStyle  # type: ignore[import-untyped, unused-ignore]

    try:
        return CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # lxml and citeproc-py raise many kinds for a broken file
        raise CiteError(f"cannot load CSL style {path}: {exc}") from exc


def _suffix(n: int) -> str:
    """Year suffixes: a … z, aa, ab …"""
    letters = string.ascii_lowercase
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = letters[r] + out
    return out


class Run:
    """One style and its items, planned once; `rendered.Renderings` drives it."""

    def __init__(self, items: list[dict[str, Any]], style: str | Path) -> None:
        from . import engine_fixes

        engine_fixes.apply()
        path = style if isinstance(style, Path) else resolve_style(style)
        self.style = _load_style(path, path.stat().st_mtime)
        self.root = self.style.root
        self.items = items
        self.ids: dict[str, str] = {}
        for item in items:
            if "id" not in item:
                raise CiteError("a CSL-JSON item has no id")
            key = str(item["id"]).lower()
            if key in self.ids.values():
                raise CiteError(f"two items share the id '{item['id']}'")
            self.ids[str(item["id"])] = key
        self.is_note = self.root.get("class") == "note"
        self.quotes = self._quotes()
        self.year_suffixes: dict[str, str] = {}
        self.disambiguate: set[str] = set()
        self.order: list[str] = []
        self._ordered: dict[Format, Any] = {}
        self._plan()

    def key(self, item_id: str) -> str:
        if item_id not in self.ids:
            raise CiteError(f"no item with id '{item_id}' to cite")
        return self.ids[item_id]

    # -- locale -------------------------------------------------------------------------------

    def _quotes(self) -> typography.Quotes:
        from citeproc import formatter

        # A term's text goes through the style's formatter, which citeproc-py sets only when a
        # bibliography is made: without one every term reads as empty, and the marks fell back
        # to US English for whichever style was loaded first (the cache-order bug).
        if getattr(self.root, "formatter", None) is None:
            self.root.formatter = formatter.plain

        def term(name: str, default: str) -> str:
            value = self.root.get_single_term(name)
            return str(value) if value else default

        piq = None
        for locale in self.root.locales:
            options = locale.find("cs:style-options", locale.nsmap)
            if options is not None and options.get("punctuation-in-quote") is not None:
                piq = options.get("punctuation-in-quote").lower() == "true"
                break
        return typography.Quotes(
            open=term("open-quote", "\u201c"),
            close=term("close-quote", "\u201d"),
            open_inner=term("open-inner-quote", "\u2018"),
            close_inner=term("close-inner-quote", "\u2019"),
            punctuation_in_quote=bool(piq),
        )

    # -- one rendering context ----------------------------------------------------------------

    def _bibliography_object(self, fmt: Format, ordered: bool) -> Any:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped, unused-ignore]

        from . import engine_fixes, markdown

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc-py warns about every unknown field
            try:
                source = CiteProcJSON(_prepare(self.items, fmt))
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                raise CiteError(f"invalid CSL-JSON item: {exc}") from exc
        for key, suffix in self.year_suffixes.items():
            source[key]["year_suffix"] = suffix
        out_formatter = {"text": formatter.plain, "html": formatter.html, "markdown": markdown}[fmt]
        bib = CitationStylesBibliography(self.style, source, out_formatter)
        bib.wocli_state = engine_fixes.RenderState(disambiguate=set(self.disambiguate))
        keys = self.order if ordered else list(self.ids.values())
        for key in keys:
            bib.register(Citation([CitationItem(key)]))
        return bib

    def _cite(self, bib: Any, key: str, locator: str | None = None) -> str:
        from citeproc import Citation, CitationItem
        from citeproc.source import Locator  # type: ignore[import-untyped, unused-ignore]

        extra: dict[str, Any] = {}
        if locator is not None:
            label, value = parse_locator(locator)
            extra["locator"] = Locator(label, value)
        cite = Citation([CitationItem(key, **extra)])
        for cited in cite.cites:
            cited.wocli_year_suffix_done = False
        bib._cites = []  # every citation is a first citation
        bib.register(cite)
        rendered = bib.cite(cite, lambda item: None)
        return str(rendered)

    # -- what the run decides ------------------------------------------------------------------

    def _plan(self) -> None:
        if len(self.ids) == 1:  # one work cited alone: nothing to order, no one to tell apart
            self.order = list(self.ids.values())
            return
        bib = self._bibliography_object("text", ordered=False)
        if self.style.has_bibliography():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                bib.sort()
        self.order = list(bib.keys)
        options = self.root.citation
        if options is None:
            return
        renders = {key: self._cite(bib, key) for key in self.order}
        ambiguous = _collisions(renders)
        if not ambiguous:
            return
        # CSL disambiguation, step 3: render ambiguous cites with disambiguate="true".
        bib.wocli_state.disambiguate = set(ambiguous)
        trial = dict(renders)
        for key in ambiguous:
            trial[key] = self._cite(bib, key)
        still = _collisions(trial)
        self.disambiguate = {k for k in ambiguous if k not in still}
        bib.wocli_state.disambiguate = set(self.disambiguate)
        renders = {
            key: (trial[key] if key in self.disambiguate else renders[key]) for key in renders
        }
        # Step 4: year suffixes, in bibliography order within each group of identical cites.
        if (options.get("disambiguate-add-year-suffix") or "false").lower() == "true":
            groups: dict[str, list[str]] = defaultdict(list)
            for key in self.order:
                if key in _collisions(renders):
                    groups[renders[key]].append(key)
            for keys in groups.values():
                for n, key in enumerate(keys):
                    self.year_suffixes[key] = _suffix(n)

    # -- output -------------------------------------------------------------------------------

    def _finish(self, text: Any, in_citation: bool, fmt: Format = "text") -> str:
        resolved = typography.resolve(str(text), self.quotes, self.is_note and in_citation)
        resolved = typography.blocks(resolved, html=fmt == "html")
        if fmt == "markdown":
            from . import markdown

            resolved = markdown.tidy(resolved)
        elif fmt == "html":
            resolved = resolved.replace("&amp;", "&#38;")  # citeproc-js's spelling of "&"
        return resolved.strip()

    def bibliography(self, fmt: Format, substitute_authors: bool = True) -> list[tuple[str, str]]:
        """(engine key, entry) pairs in the style's order.

        Without `substitute_authors`, no entry's names become the style's
        subsequent-author-substitute ("———"): each entry can be read on its own.
        """
        from . import engine_fixes

        if not self.style.has_bibliography():
            return []  # a notes-only style (The Historical Journal): every work only in notes
        bib = self._ordered_bibliography(fmt)
        layout = self.root.bibliography.layout
        substitute = self.root.bibliography.get("subsequent-author-substitute")
        entries: list[tuple[str, str]] = []
        previous: str | None = None
        for item in bib.items:
            layout.repressed = {}
            item.wocli_year_suffix_done = False  # one implicit year suffix per entry
            if substitute is None or not substitute_authors:
                rendered = layout.render_bibliography([item])
            else:
                with engine_fixes.author_substitution(substitute, previous) as state:
                    rendered = layout.render_bibliography([item])
                previous = state.current
            if rendered:
                text = self._finish(rendered[0], in_citation=False, fmt=fmt)
                entries.append((item.key, self._second_field(layout, item, text, fmt)))
        return entries

    def _second_field(self, layout: Any, item: Any, text: str, fmt: Format) -> str:
        """With ``second-field-align`` the first field (the "[1]" of a numeric style) stands
        apart, as citeproc-js sets it: a space in text, its margin and inline blocks in HTML."""
        if not self.root.bibliography.get("second-field-align"):
            return text
        first = next(layout.iterchildren(), None)
        try:
            head = first.render(item) if first is not None else None
        except Exception:  # citeproc-py's VariableError and kin: no first field to set apart
            head = None
        head_text = self._finish(head, in_citation=False) if head is not None else ""
        if not head_text or not text.startswith(head_text):
            return text
        rest = text[len(head_text) :].lstrip()
        if fmt == "html":
            return (
                f'<div class="csl-left-margin">{head_text}</div>'
                f'<div class="csl-right-inline">{rest}</div>'
            )
        return f"{head_text} {rest}"

    def citation(self, item_id: str, fmt: Format, locator: str | None) -> str:
        key = self.key(item_id)
        if self.root.citation is None:
            raise CiteError("this style has no citation layout")
        bib = self._ordered_bibliography(fmt)
        text = self._finish(self._cite(bib, key, locator), in_citation=True, fmt=fmt)
        if not _PRINTED.search(_TAGS.sub("", text)):  # "()": nothing of the work was printed
            raise CiteError(
                f"the style prints nothing for '{item_id}' (it lacks what the style needs)"
            )
        return text

    def _ordered_bibliography(self, fmt: Format) -> Any:
        """The run's rendering context for `fmt`, made once: many citations share it."""
        bib = self._ordered.get(fmt)
        if bib is None:
            bib = self._ordered[fmt] = self._bibliography_object(fmt, ordered=True)
        self.style.root.formatter = bib.formatter  # citeproc-py keeps it on the shared style
        return bib


def _collisions(renders: dict[str, str]) -> set[str]:
    seen: dict[str, list[str]] = defaultdict(list)
    for key, text in renders.items():
        seen[text].append(key)
    return {key for keys in seen.values() if len(keys) > 1 for key in keys}
