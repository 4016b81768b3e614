"""Where a record's facts come from, as plain text: the works it cites and where in them.

The record panel, the Markdown record, the exports' `sources` columns and the Anki cards all
say it the same way: 'Allen 2015, Alexander Shlyapnikov, 1885–1937: para. 2; para. 4'; the
Markdown record and the site's page say which overlay set which field the same way too.
"""

from __future__ import annotations

import re

from .i18n import _
from .model import Record, Work, text_for
from .store import FactBase


def work_label(work: Record | None, fallback: str) -> str:
    """A short reference: 'Allen 2015, Alexander Shlyapnikov, 1885–1937'."""
    if not isinstance(work, Work):
        return fallback
    who = " & ".join(work.authors[:2]) + (" et al." if len(work.authors) > 2 else "")
    if not who:
        who = str(work.csl.get("container-title") or work.csl.get("publisher") or "")
    year = (work.date or "")[:4]
    head = " ".join(p for p in (who, year) if p)
    return f"{head}, {work.name}" if head else work.name


def cited(rec: Record, lang: str = "en", display: bool = False) -> dict[str, list[str]]:
    """Work id -> the locators and notes given for it, in the record's order, each once; the
    notes in `lang` where the curators translated them (else in English, marked so), and with
    `display` the locators as a reader of the interface reads them (see `shown_locator`)."""
    out: dict[str, list[str]] = {}
    for src in rec.sources:
        where = out.setdefault(src.work, [])
        locator = shown_locator(src.locator) if display and src.locator else src.locator
        note, note_lang = text_for(src, "note", lang)
        if note:
            note = f"({note})" + (" " + _("(in English)") if note_lang != lang else "")
        detail = " ".join(p for p in (locator, note) if p)
        if detail and detail not in where:
            where.append(detail)
    return out


def shown_locator(locator: str) -> str:
    """A locator as it reads in the interface's language: 'para. 13' is 'абз. 13' in Russian.
    For panels and pages only: citations and exports keep the locator as the data gives it."""
    if locator == "bibliography":
        return _("bibliography")
    paragraph = _("para. {number}")
    if paragraph == "para. {number}":  # English: nothing to change, no pattern to compile
        return locator
    return re.sub(r"para\. (\d+)", lambda m: paragraph.format(number=m.group(1)), locator)


def source_lines(rec: Record, base: FactBase, lang: str = "en") -> list[str]:
    """One line per work cited: its short reference, then its locators and notes (the notes
    in `lang` where translated)."""
    return [
        work_label(base.get(work_id), work_id) + (": " + "; ".join(details) if details else "")
        for work_id, details in cited(rec, lang).items()
    ]


def overlay_lines(rec: Record) -> list[str]:
    """'from mine.toml: died, aliases:Shlyapnikoff', a line per overlay that set fields of the
    record (none for a bundled one)."""
    by_file: dict[str, list[str]] = {}
    for field, file in rec.provenance.items():
        by_file.setdefault(file, []).append(field)
    return [
        _("from {file}: {fields}").format(file=file, fields=", ".join(fields))
        for file, fields in by_file.items()
    ]
