"""Records as rich renderables: one panel per record, tables for lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.console import Group as Stack
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .. import dates
from ..i18n import _, kind_label
from ..model import Event, Group, Person, Record, Term, Vote, Work
from ..provenance import cited, work_label
from ..store import FactBase
from .output import encodable
from .safe import clean

LABEL = "bold cyan"
DIM = "dim"


def t(text: str | None, style: str = "") -> Text:
    """Data as a Text that rich never parses for markup, with control characters made visible
    and what the output encoding cannot carry escaped."""
    return Text(encodable(clean(text or "")), style=style)


class _Fitted:
    """A renderable laid out for the width it is given.

    Tables whose every column has a fixed width spare rich measuring every cell, nested
    tables included: that measuring was half of a person panel's render time.
    """

    def __init__(self, layout: Callable[[int], RenderableType]) -> None:
        self.layout = layout

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        yield self.layout(options.max_width)


def _names(base: FactBase, ids: Iterable[str]) -> Text:
    out = Text()
    for i, rid in enumerate(ids):
        rec = base.get(rid)
        if i:
            out.append(", ")
        out.append_text(t(rec.name if rec else rid))
    return out


def _dated_lines(records: Iterable[Record]) -> RenderableType:
    """Records one a line, the date in a column of its own so the names line up."""
    rows: list[tuple[str, RenderableType]] = [
        (dates.display(rec.date) or _("undated"), t(rec.name)) for rec in records
    ]
    if not rows:
        return Text()
    return _Fitted(lambda width: _two_columns(rows, width, DIM))


def _sources(rec: Record, base: FactBase) -> Text:
    """One line per work, its locators and notes gathered: 'Wikipedia, …, para. 2; para. 4'."""
    out = Text()
    for i, (work_id, details) in enumerate(cited(rec).items()):
        if i:
            out.append("\n")
        out.append_text(t(work_label(base.get(work_id), work_id)))
        if details:
            out.append_text(t(": " + "; ".join(details), DIM))
    return out


def _two_columns(rows: list[tuple[str, RenderableType]], width: int, label_style: str) -> Table:
    """Labels (short, one line each) beside their values, folded to fit `width`."""
    labels = [t(label) for label, _value in rows]
    label_width = max(cell_len(label.plain) for label in labels)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style=label_style, no_wrap=True, width=label_width)
    grid.add_column(overflow="fold", width=max(width - label_width - 2, 1))
    for label, (_label, value) in zip(labels, rows, strict=True):
        grid.add_row(label, value)
    return grid


def _grid(rows: list[tuple[str, RenderableType]]) -> _Fitted:
    shown = [
        (label, value) for label, value in rows if not (isinstance(value, Text) and not value.plain)
    ]
    return _Fitted(lambda width: _two_columns(shown, width, LABEL))


def _person_rows(rec: Person, base: FactBase) -> list[tuple[str, RenderableType]]:
    general = set(rec.general_reference)

    def flagged(value: str, *fields: str) -> Text:
        text = t(value)
        if general & set(fields):
            text.append(" " + _("(general reference)"), DIM)
        return text

    life = dates.span(rec.born, rec.died)
    return [
        (_("Russian"), flagged(rec.name_ru or "", "name_ru")),
        (_("Life"), flagged(life, "born", "died") if life else t("")),
        (_("Also"), t(", ".join(rec.aliases))),
        (_("Roles"), t("\n".join(rec.roles))),
        (_("Groups"), _names(base, rec.groups)),
        (_("Events"), _dated_lines(base.events_of(rec.id))),
        (_("Votes"), _dated_lines(base.votes_of(rec.id))),
    ]


def _group_rows(rec: Group, base: FactBase) -> list[tuple[str, RenderableType]]:
    return [
        (_("Type"), t(rec.type)),
        (_("Also"), t(", ".join(rec.aliases))),
        (_("Members"), _names(base, (p.id for p in base.members(rec.id)))),
        (_("Events"), _dated_lines(base.events_of(rec.id))),
        (_("Votes"), _dated_lines(base.votes_of(rec.id))),
    ]


def _event_rows(rec: Event, base: FactBase) -> list[tuple[str, RenderableType]]:
    return [
        (_("Date"), t(dates.display(rec.when))),
        (_("Place"), t(rec.place)),
        (_("Also"), t(", ".join(rec.aliases))),
        (_("People"), _names(base, rec.people)),
        (_("Groups"), _names(base, rec.groups)),
        (_("Votes"), _dated_lines(base.linking(rec.id, "votes"))),
    ]


BAR = 24
"""The longest a vote's bar is drawn, in columns."""
SIDE_MIN = 22
"""Columns a side's label keeps before the bar gives up any: the figures come first."""


def tally_table(vote: Vote, base: FactBase, width: int = 80) -> Table:
    """Each side of a vote as a bar with its count and share; the winner marked.

    The bar takes what `width` leaves beside the labels and figures, and is left out when
    too little is left: on a narrow terminal the figures stay whole.
    """
    votes = max(len(_("Votes")), len(str(vote.total)))
    figures = votes + len("100.0%") + 2 * 2  # the Votes and Share columns, and padding
    bar = min(BAR, width - SIDE_MIN - figures - 2)
    if bar < 8:
        bar = 0
    full, empty = ("█", "·") if encodable("█·") == "█·" else ("#", ".")  # "#" under LANG=C
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_footer=True)
    table.add_column(_("Side"), footer=_("Total"), overflow="fold", ratio=1)
    table.add_column(_("Votes"), justify="right", footer=str(vote.total), no_wrap=True)
    table.add_column(_("Share"), justify="right", no_wrap=True)
    if bar:
        table.add_column("", no_wrap=True, width=bar)
    winner = vote.winner
    top = max((x.votes for x in vote.tallies), default=0) or 1
    for tally in vote.tallies:
        share = tally.votes / vote.total if vote.total else 0.0
        label = t(tally.label, "bold" if tally is winner else "")
        group = base.get(tally.group) if tally.group else None
        if group is not None and group.name != tally.label:
            label.append_text(t(f"\n{group.name}", DIM))
        cells: list[RenderableType] = [label, str(tally.votes), f"{share:.1%}"]
        if bar:
            filled = round(bar * tally.votes / top)
            style = "green" if tally is winner else ""
            cells.append(Text(full * filled + empty * (bar - filled), style=style))
        table.add_row(*cells)
    return table


def _vote_rows(rec: Vote, base: FactBase) -> list[tuple[str, RenderableType]]:
    event = base.get(rec.event) if rec.event else None
    return [
        (_("Body"), t(rec.body)),
        (_("Date"), t(dates.display(rec.when) or _("not given"))),
        (_("Place"), t(rec.place)),
        (_("Event"), t(event.name if event else "")),
        (_("People"), _names(base, rec.people)),
        (_("Result"), _Fitted(lambda width: tally_table(rec, base, width))),
        (_("Winner"), t(_winner(rec))),
        (_("Count"), t(rec.notes)),
    ]


def _winner(vote: Vote) -> str:
    winner = vote.winner
    if winner is None:
        return _("a tie")
    return _("{side} ({votes} of {total})").format(
        side=winner.label, votes=winner.votes, total=vote.total
    )


def _work_rows(rec: Work, base: FactBase) -> list[tuple[str, RenderableType]]:
    return [
        (_("Type"), t(str(rec.csl.get("type", "")))),
        (_("Authors"), t(", ".join(rec.authors))),
        (_("Date"), t(dates.display(rec.date) if rec.date else "")),
        (_("Cited by"), _names(base, (r.id for r in base.citing(rec.id)))),
    ]


def _term_rows(rec: Term, base: FactBase) -> list[tuple[str, RenderableType]]:
    return [(_("Also"), t(", ".join(rec.aliases))), (_("Related"), _names(base, rec.related))]


def details(rec: Record, base: FactBase) -> RenderableType:
    """One record in full, with its links, curator's note and sources."""
    rows: list[tuple[str, RenderableType]]
    if isinstance(rec, Person):
        rows = _person_rows(rec, base)
    elif isinstance(rec, Group):
        rows = _group_rows(rec, base)
    elif isinstance(rec, Event):
        rows = _event_rows(rec, base)
    elif isinstance(rec, Vote):
        rows = _vote_rows(rec, base)
    elif isinstance(rec, Work):
        rows = _work_rows(rec, base)
    else:
        assert isinstance(rec, Term)
        rows = _term_rows(rec, base)
    rows.append((_("Note"), t(rec.note, "yellow")))
    rows.append((_("Sources"), _sources(rec, base)))
    title = t(rec.name, "bold")
    body: list[RenderableType] = []
    if rec.summary:
        body += [t(rec.summary), Text()]
    body.append(_grid(rows))
    return Panel(
        Stack(*body),
        title=title,
        title_align="left",
        subtitle=t(f"{kind_label(rec.kind)} · {rec.id}", DIM),
        subtitle_align="right",
        box=box.ROUNDED,
        padding=(0, 1),
    )


def candidates(rows: list[tuple[str, str, str]]) -> Table:
    """Records a query could mean, for the user to choose from: id, name, date."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(_("id"), style=LABEL, no_wrap=True)
    table.add_column(_("name"), overflow="fold", ratio=1)
    dated = any(when for _rid, _name, when in rows)
    if dated:
        table.add_column(_("date"), no_wrap=True)
    for rid, name, when in rows:
        table.add_row(t(rid), t(name), *([t(when)] if dated else []))
    return table
