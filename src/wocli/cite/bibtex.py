"""CSL-JSON items as BibTeX, written by pybtex.

Field values are LaTeX-escaped (``&`` → ``\\&`` and so on: pybtex's writer does most of it,
`latex_escape` the rest); non-ASCII text (Cyrillic, ’, –) is kept as UTF-8, which biber and
modern LaTeX read. Fields biblatex knows but BibTeX does not
(``translator``, ``origtitle``, ``origdate``, ``date``, ``language``) are ignored by BibTeX.
"""

from __future__ import annotations

from typing import Any

from .errors import CiteError
from .fields import date_parts, names_of, page_range, text_of

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
    if kind == "article":
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
        if len(parts) > 1:
            put("month", str(parts[1]))
            put("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)))
    put("origtitle", text_of(item, "original-title"))
    original = date_parts(item, "original-date")
    if original:
        put("origdate", str(original[0]))
    put("language", text_of(item, "language"))
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
        values = {name: latex_escape(value) for name, value in fields(item).items()}
        entries[key] = Entry(entry_type(item), fields=values, persons=persons)
    data = BibliographyData(entries=entries)
    text: str = data.to_string("bibtex")
    return text
