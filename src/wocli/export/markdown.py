"""Markdown for notes: a list as a GFM table, a record as a heading and a definition list.

Text from the data is escaped so that it reads as written: a `|` never ends a cell, a `*`
never starts emphasis, `<b>` is not HTML. Definition lists use the syntax of PHP Markdown
Extra and Pandoc (`Term` then `: definition`), which markdown-it-py, Pandoc and Obsidian's
plugins render.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import dates
from ..i18n import _, kind_label, language
from ..model import (
    Event,
    Group,
    Person,
    Record,
    Tally,
    Term,
    Vote,
    Work,
    roles_for,
    shown_name,
    text_for,
)
from ..provenance import overlay_lines, source_lines
from ..store import FactBase
from .rows import Row

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~&"})
_LEADING = re.compile(r"^(?:[#+=:-]|\d+(?=[.)]))")
"""What makes a line a heading, a list item or a definition when it starts one."""


def escape(text: str) -> str:
    """Text that Markdown shows as written, on one line."""
    flat = " ".join(text.split()).translate(_SPECIAL)
    return _LEADING.sub(
        lambda m: m.group() + "\\" if m.group()[0].isdigit() else "\\" + m.group(), flat
    )


def _cell(value: object) -> str:
    return "" if value is None else escape(str(value))


def table(columns: Sequence[str], rows: Sequence[Row]) -> str:
    """A GFM table: a header, the delimiter row, one row per record."""
    lines = [
        "| " + " | ".join(escape(c) for c in columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
    ]
    lines += ["| " + " | ".join(_cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def record(rec: Record, base: FactBase) -> str:
    """One record: its name as a heading, its summary, then each field as a definition; in
    the interface's language where the base has it, English marked as such where not."""
    out = [f"# {escape(shown_name(rec))}", ""]
    if rec.summary:
        out += [escape(_in(rec, "summary")), ""]
    for label, values in _fields(rec, base):
        values = [v for v in values if v]
        if values:
            out.append(escape(label))
            out += [f": {escape(v)}" for v in values]
            out.append("")
    out.append(f"*{escape(kind_label(rec.kind))} · {escape(rec.id)}*")
    out += [f"*{escape(line)}*" for line in overlay_lines(rec)]
    return "\n".join(out) + "\n"


def _in(item: Record | Tally, field: str) -> str:
    """A text field in the interface's language, marked as English where it has no other."""
    text, lang = text_for(item, field, language())
    return text + (" " + _("(in English)") if text and lang != language() else "")


def _roles(rec: Person) -> list[str]:
    roles, lang = roles_for(rec, language())
    mark = " " + _("(in English)") if lang != language() else ""
    return [role + mark for role in roles]


def _other_name(rec: Person) -> tuple[str, list[str]]:
    """The name in the language the heading is not in: English under a Russian heading."""
    if language() == "ru" and rec.name_ru:
        return _("In English"), [rec.name]
    mark = " " + _("(general reference)") if rec.is_general("name_ru") else ""
    return _("Russian"), [(rec.name_ru or "") + mark if rec.name_ru else ""]


def _names(base: FactBase, ids: Sequence[str]) -> list[str]:
    return [shown_name(r) if (r := base.get(i)) else i for i in ids]


def _dated(records: Sequence[Record]) -> list[str]:
    return [f"{dates.display(r.date) or _('undated')}: {shown_name(r)}" for r in records]


def _fields(rec: Record, base: FactBase) -> list[tuple[str, list[str]]]:
    fields: list[tuple[str, list[str]]] = []
    if isinstance(rec, Person):
        general = set(rec.general_reference)
        mark = " " + _("(general reference)")
        life = dates.span(rec.born, rec.died)
        fields += [
            _other_name(rec),
            (_("Life"), [life + (mark if life and general & {"born", "died"} else "")]),
            (_("Roles"), _roles(rec)),
            (_("Groups"), _names(base, rec.groups)),
            (_("Events"), _dated(base.events_of(rec.id))),
            (_("Votes"), _dated(base.votes_of(rec.id))),
        ]
    elif isinstance(rec, Group):
        fields += [
            (_("Type"), [rec.type or ""]),
            (_("Members"), [shown_name(p) for p in base.members(rec.id)]),
            (_("Events"), _dated(base.events_of(rec.id))),
            (_("Votes"), _dated(base.votes_of(rec.id))),
        ]
    elif isinstance(rec, Event):
        fields += [
            (_("Date"), [dates.display(rec.when)]),
            (_("Place"), [_in(rec, "place")]),
            (_("People"), _names(base, rec.people)),
            (_("Groups"), _names(base, rec.groups)),
            (_("Votes"), _dated(base.linking(rec.id, "votes"))),
        ]
    elif isinstance(rec, Vote):
        event = base.get(rec.event) if rec.event else None
        winner = rec.winner
        fields += [
            (_("Body"), [_in(rec, "body")]),
            (_("Date"), [dates.display(rec.when) or _("not given")]),
            (_("Place"), [_in(rec, "place")]),
            (_("Event"), [shown_name(event) if event else ""]),
            (_("People"), _names(base, rec.people)),
            (_("Result"), [_tally(_in(t, "label"), t.votes, rec.total) for t in rec.tallies]),
            (_("Total"), [str(rec.total)]),
            (
                _("Winner"),
                [
                    _("{label} ({votes} of {total})").format(
                        label=_in(winner, "label"), votes=winner.votes, total=rec.total
                    )
                    if winner
                    else _("a tie")
                ],
            ),
            (_("Count"), [_in(rec, "notes")]),
        ]
    elif isinstance(rec, Work):
        fields += [
            (_("Type"), [str(rec.csl.get("type", ""))]),
            (_("Authors"), [", ".join(rec.authors)]),
            (_("Date"), [dates.display(rec.date) if rec.date else ""]),
            (_("Cited by"), [shown_name(r) for r in base.citing(rec.id)]),
        ]
    elif isinstance(rec, Term):
        fields.append((_("Related"), _names(base, rec.related)))
    fields += [
        (_("Also"), [", ".join(rec.aliases)]),
        (_("Note"), [_in(rec, "note")]),
        (_("Sources"), source_lines(rec, base, language())),
    ]
    return fields


def _tally(label: str, votes: int, total: int) -> str:
    share = f" ({votes / total:.1%})" if total else ""
    return f"{label}: {votes}{share}"
