"""CSL-JSON items as RIS, written by rispy."""

from __future__ import annotations

import re
from typing import Any

from .fields import date_parts, date_range_end, names_of, page_bounds, text_of

_TYPES = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CPAPER",
    "pamphlet": "PAMP",
    "report": "RPRT",
    "thesis": "THES",
    "manuscript": "MANSCPT",
    "webpage": "ELEC",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "speech": "HEAR",
}


def _name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    suffix = name.get("suffix")
    return ", ".join(p for p in (family, given, suffix) if p)


_LINE_BREAKS = re.compile(r"\s*[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]\s*")


def _one_line(value: str) -> str:
    """RIS is one field per line: a line break inside a value would start a bogus field."""
    return _LINE_BREAKS.sub(" ", value).strip()


def _ris_date(parts: list[int]) -> str:
    """[1921, 4, 22] -> "1921/04/22"; [1921, 4] -> "1921/04/"; [1921] -> "1921//"."""
    padded = [str(parts[0])] + [f"{p:02d}" for p in parts[1:]]
    return "/".join(padded + [""] * (3 - len(padded)))


def record(item: dict[str, Any]) -> dict[str, Any]:
    """One rispy record (field names as rispy spells them) for a CSL item."""
    out: dict[str, Any] = {"type_of_reference": _TYPES.get(str(item.get("type", "")), "GEN")}

    def put(name: str, value: Any) -> None:
        if isinstance(value, str):
            value = _one_line(value)
        elif isinstance(value, list):
            value = [_one_line(v) for v in value]
        if value:
            out[name] = value

    put("id", text_of(item, "id"))
    put("title", text_of(item, "title"))
    put("authors", [_name(n) for n in names_of(item, "author")])
    put("secondary_authors", [_name(n) for n in names_of(item, "editor")])
    put("subsidiary_authors", [_name(n) for n in names_of(item, "translator")])
    put("secondary_title", text_of(item, "container-title"))
    put("tertiary_title", text_of(item, "collection-title"))
    put("volume", text_of(item, "volume"))
    put("number", text_of(item, "issue") or text_of(item, "collection-number"))
    first, last = page_bounds(item)
    put("start_page", first)
    put("end_page", last)
    put("edition", text_of(item, "edition"))
    put("publisher", text_of(item, "publisher"))
    put("place_published", text_of(item, "publisher-place"))
    parts = date_parts(item, "issued")
    if parts:
        put("year", str(parts[0]))
        end = date_range_end(item, "issued")
        if len(parts) > 1 or end:
            # DA is YYYY/MM/DD/other: a range's end goes in "other" ("1921/04/22/to 1921/08/19")
            other = f"to {_ris_date(end)}" if end else ""
            put("date", f"{_ris_date(parts)}/{other}" if other else _ris_date(parts))
    put("type_of_work", text_of(item, "genre"))
    put("original_publication", text_of(item, "original-title"))
    put("language", text_of(item, "language"))
    put("doi", text_of(item, "DOI"))
    put("issn", text_of(item, "ISBN") or text_of(item, "ISSN"))
    url = text_of(item, "URL")
    put("urls", [url] if url else None)
    note = text_of(item, "note")
    put("notes", [note] if note else None)
    return out


def dumps(items: list[dict[str, Any]]) -> str:
    """The items as RIS records."""
    import rispy  # type: ignore[import-untyped, unused-ignore]

    class Writer(rispy.RisWriter):  # type: ignore[misc, unused-ignore]
        def set_header(self, count: int) -> str:
            return ""  # rispy numbers records ("1."): not RIS, and some importers choke on it

    text: str = rispy.dumps([record(item) for item in items], implementation=Writer)
    return text
