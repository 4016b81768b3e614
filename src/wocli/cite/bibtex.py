"""CSL-JSON items as BibTeX, written by pybtex.

Field values are LaTeX-escaped (``&`` → ``\\&`` and so on: pybtex's writer does most of it,
`latex_escape` the rest), except ``url`` and ``doi``, which biblatex reads verbatim; non-ASCII
text (Cyrillic, ’, –) is kept as UTF-8, which biber and modern LaTeX read. In titles, capitalised
words after the first of the title or subtitle are brace-protected (``{Shlyapnikov}``), so that
styles that lower-case titles keep the capitals of proper nouns (`protect_capitals`). Fields
biblatex knows but BibTeX does not (``translator``, ``origtitle``, ``origdate``, ``date``, a
range as ``1921-04-22/1921-08-19``, ``langid``, ``journaltitle`` with ``entrysubtype =
{newspaper}`` for a newspaper) are ignored by BibTeX.
"""

from __future__ import annotations

import io
import re
from typing import Any

from .errors import CiteError
from .fields import date_parts, date_range_end, iso_date, names_of, page_range, text_of

_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "pamphlet": "booklet",
    "report": "techreport",
    "manuscript": "unpublished",
}

# pybtex's writer encodes text with latexcodec, which escapes & % # _ ~ but leaves these alone.
_COMMON = {"\\": r"\textbackslash{}", "$": r"\$", "^": r"\^{}"}
_BALANCED = str.maketrans({**_COMMON, "{": r"\{", "}": r"\}"})
_UNBALANCED = str.maketrans({**_COMMON, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"})


# biblatex's langid for the CSL language codes the base uses (others are left out).
_LANGIDS = {"en": "english", "ru": "russian", "de": "german", "fr": "french", "uk": "ukrainian"}
_VERBATIM = ("url", "doi")
_TITLES = ("title", "origtitle", "series", "booktitle")
_WORD = re.compile(r"[^\s–—/]+")


def protect_capitals(title: str) -> str:
    r"""Brace every word with a capital letter except the title's first: ``Life of an Old
    Bolshevik`` -> ``Life of an {Old} {Bolshevik}``, ``… party: Alexander Shliapnikov`` ->
    ``… party: {Alexander} {Shliapnikov}`` (after a colon a capital may be a name). Expects
    LaTeX-escaped text; words holding a command or a brace are left as they are."""
    out = []
    pos = 0
    for n, m in enumerate(_WORD.finditer(title)):
        word = m.group(0)
        out.append(title[pos : m.start()])
        core = word.strip(".,;:?!()[]«»“”‘’\"'")
        if (
            n > 0
            and core
            and any(ch.isupper() for ch in core)
            and not any(ch in core for ch in "\\{}$")
        ):
            i = word.index(core)
            while core.count("(") > core.count(")") and word[i + len(core) :].startswith(")"):
                core += ")"  # "RCP(b)" keeps its closing parenthesis inside the braces
            word = word[:i] + "{" + core + "}" + word[i + len(core) :]
        out.append(word)
        pos = m.end()
    out.append(title[pos:])
    return "".join(out)


def latex_escape(text: str) -> str:
    r"""Escape what pybtex's writer does not: backslash, $, ^ and braces.

    Balanced braces become ``\{``/``\}``; unbalanced ones (which BibTeX cannot read) become
    ``\textbraceleft{}``/``\textbraceright{}``.
    """
    depth = 0
    balanced = True
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        balanced = balanced and depth >= 0
    return text.translate(_BALANCED if balanced and depth == 0 else _UNBALANCED)


def entry_type(item: dict[str, Any]) -> str:
    """The BibTeX entry type for a CSL item type."""
    csl_type = str(item.get("type", ""))
    if csl_type == "thesis":
        genre = str(item.get("genre", "")).lower()
        return "mastersthesis" if ("master" in genre or "m.a" in genre) else "phdthesis"
    return _TYPES.get(csl_type, "misc")


def fields(item: dict[str, Any]) -> dict[str, str]:
    """BibTeX fields (unescaped) for a CSL item, in a conventional order."""
    kind = entry_type(item)
    out: dict[str, str] = {}

    def put(name: str, value: str | None) -> None:
        if value:
            out[name] = value

    put("title", text_of(item, "title"))
    container = text_of(item, "container-title")
    if item.get("type") == "article-newspaper":
        put("journaltitle", container)
        put("entrysubtype", "newspaper")
    elif kind == "article":
        put("journal", container)
    elif kind in ("incollection", "inproceedings"):
        put("booktitle", container)
    else:
        put("howpublished", container)
    put("series", text_of(item, "collection-title"))
    put("edition", text_of(item, "edition"))
    put("volume", text_of(item, "volume"))
    put("number", text_of(item, "issue") or text_of(item, "collection-number"))
    put("pages", page_range(item, "--"))
    publisher = text_of(item, "publisher")
    if kind in ("phdthesis", "mastersthesis"):
        put("school", publisher)
        put("type", text_of(item, "genre"))
    elif kind == "techreport":
        put("institution", publisher)
    else:
        put("publisher", publisher)
    put("address", text_of(item, "publisher-place"))
    parts = date_parts(item, "issued")
    if parts:
        put("year", str(parts[0]))
        end = date_range_end(item, "issued")
        if len(parts) > 1:
            put("month", str(parts[1]))
        if len(parts) > 1 or end:
            put("date", iso_date(parts) + (f"/{iso_date(end)}" if end else ""))
    put("origtitle", text_of(item, "original-title"))
    original = date_parts(item, "original-date")
    if original:
        put("origdate", str(original[0]))
    language = (text_of(item, "language") or "").lower().split("-")[0]
    put("langid", _LANGIDS.get(language))
    put("doi", text_of(item, "DOI"))
    put("isbn", text_of(item, "ISBN"))
    put("url", text_of(item, "URL"))
    put("note", text_of(item, "note"))
    return out


def dumps(items: list[dict[str, Any]]) -> str:
    """The items as a BibTeX database (keys are the item ids)."""
    from pybtex.database import BibliographyData, Entry, Person  # type: ignore[import-untyped, unused-ignore]

    entries: dict[str, Any] = {}
    for item in items:
        key = str(item.get("id", ""))
        if not key or any(c in key for c in " ,{}\"#%'()=\\"):
            raise CiteError(f"'{key}' cannot be a BibTeX key")
        persons: dict[str, list[Any]] = {}
        for role in ("author", "editor", "translator"):
            people = []
            for name in names_of(item, role):
                if "literal" in name:
                    people.append(Person(last_names=["{" + latex_escape(name["literal"]) + "}"]))
                    continue
                people.append(
                    Person(
                        first=latex_escape(name.get("given", "")),
                        prelast=latex_escape(
                            " ".join(
                                p
                                for p in (
                                    name.get("dropping-particle", ""),
                                    name.get("non-dropping-particle", ""),
                                )
                                if p
                            )
                        ),
                        last=latex_escape(name.get("family", "")),
                        lineage=latex_escape(name.get("suffix", "")),
                    )
                )
            if people:
                persons[role] = people
        values: dict[str, str] = {}
        for field, value in fields(item).items():
            if field in _VERBATIM:
                values[field] = value
            elif field in _TITLES:
                values[field] = protect_capitals(latex_escape(value))
            else:
                values[field] = latex_escape(value)
        entries[key] = Entry(entry_type(item), fields=values, persons=persons)
    stream = io.StringIO()
    _writer().write_stream(BibliographyData(entries=entries), stream)
    return stream.getvalue()


def _writer() -> Any:
    """pybtex's BibTeX writer, leaving ``url`` and ``doi`` unencoded (no ``\\%`` or ``\\_``)."""
    from pybtex.database.output.bibtex import Writer  # type: ignore[import-untyped, unused-ignore]

    class VerbatimWriter(Writer):  # type: ignore[misc, unused-ignore]
        def _write_field(self, stream: Any, type: str, value: str) -> None:
            if type.lower() in _VERBATIM:
                stream.write(f",\n    {type} = {{{value}}}")
            else:
                super()._write_field(stream, type, value)

    return VerbatimWriter()
