"""Lists of records as rich tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

from .. import dates
from ..i18n import _, kind_label
from ..model import Event, Group, Person, Record, Vote, Work
from ..store import FactBase
from .records import DIM, LABEL, t

if TYPE_CHECKING:
    from ..search import Hit


def hits_table(hits: list[Hit], base: FactBase) -> Table:
    """Search results: kind, name, date, score and the field that matched."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(_("kind"), style=LABEL, no_wrap=True)
    table.add_column(_("name"), overflow="fold", ratio=1)
    table.add_column(_("date"), no_wrap=True)
    table.add_column(_("score"), justify="right", no_wrap=True)
    table.add_column(_("matched"), no_wrap=True)
    for hit in hits:
        rec = base.get(hit.id)
        when = dates.display(rec.date) if rec and rec.date else ""
        table.add_row(kind_label(hit.kind), t(hit.name), when, f"{hit.score:.0f}", hit.matched)
    return table


def _table(*columns: tuple[str, Mapping[str, Any]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for header, options in columns:
        table.add_column(header, **options)
    return table


WRAP: Mapping[str, Any] = {"overflow": "fold", "ratio": 1}
KEEP: Mapping[str, Any] = {"no_wrap": True}


def people_table(people: list[Record], base: FactBase) -> Table:
    table = _table(
        (_("name"), KEEP),
        (_("Russian"), WRAP),
        (_("life"), KEEP),
        (_("groups"), {**WRAP, "ratio": 2}),
    )
    for p in people:
        assert isinstance(p, Person)
        life = dates.years(p.born, p.died)
        groups = ", ".join(g.name for g in map(base.get, p.groups) if g)
        table.add_row(t(p.name, "bold"), t(p.name_ru), t(life), t(groups))
    return table


def groups_table(groups: list[Record], base: FactBase) -> Table:
    table = _table(
        (_("name"), WRAP),
        (_("type"), KEEP),
        (_("members"), {"justify": "right"}),
        (_("also"), WRAP),
    )
    for g in groups:
        assert isinstance(g, Group)
        members = len(base.members(g.id))
        table.add_row(t(g.name, "bold"), t(g.type), str(members or ""), t(", ".join(g.aliases)))
    return table


def events_table(events: list[Record]) -> Table:
    table = _table((_("date"), KEEP), (_("event"), WRAP), (_("place"), {"overflow": "fold"}))
    for e in events:
        assert isinstance(e, Event)
        table.add_row(dates.display(e.when), t(e.name, "bold"), t(e.place))
    return table


def votes_table(votes: list[Record]) -> Table:
    table = _table(
        (_("date"), KEEP),
        (_("vote"), WRAP),
        (_("total"), {"justify": "right"}),
        (_("largest side"), WRAP),
    )
    for v in votes:
        assert isinstance(v, Vote)
        win = v.winner
        share = (
            f"{win.label}: {win.votes} ({win.votes / v.total:.0%})" if win and v.total else _("tie")
        )
        table.add_row(dates.display(v.when) or "—", t(v.name, "bold"), str(v.total), t(share))
    return table


def terms_table(terms: list[Record]) -> Table:
    table = _table(
        (_("term"), {"overflow": "fold", "ratio": 1}),
        (_("definition"), {"overflow": "fold", "ratio": 3}),
    )
    for term in terms:
        table.add_row(t(term.name, "bold"), t(term.summary))
    return table


def works_table(works: list[Work]) -> Table:
    table = _table(
        (_("author"), WRAP),
        (_("year"), KEEP),
        (_("title"), {"overflow": "fold", "ratio": 3}),
        (_("id"), KEEP),
    )
    for w in works:
        table.add_row(
            t(", ".join(w.authors)), (w.date or "")[:4], t(w.name, "italic"), t(w.id, DIM)
        )
    return table


def timeline_table(records: list[Record], year_of: Callable[[Record], str]) -> Table:
    """Events and votes under a heading per year, each date at its own precision."""
    table = _table((_("date"), KEEP), ("", KEEP), (_("what"), WRAP))
    table.show_header = False
    year = None
    for rec in records:
        if year_of(rec) != year:
            year = year_of(rec)
            if table.row_count:
                table.add_section()
            table.add_row(Text(year, style="bold magenta"), "", "")
        mark = (
            Text(_("vote"), style="green") if isinstance(rec, Vote) else Text(_("event"), style=DIM)
        )
        name = t(rec.name)
        if isinstance(rec, Vote) and rec.winner and rec.total:
            name.append_text(t(f"  {rec.winner.label} {rec.winner.votes}/{rec.total}", DIM))
        table.add_row(dates.display(rec.date), mark, name)
    return table
