"""Records as rich renderables: one panel per record, tables for lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.console import Group as Stack
from rich.panel import Panel
from rich.segment import Segment
from rich.text import Text

from .. import dates
from ..errors import Candidate
from ..i18n import _, kind_label, language
from ..model import (
    Event,
    Group,
    Person,
    Record,
    SourceRef,
    Tally,
    Term,
    Vote,
    Work,
    roles_for,
    shown_name,
    text_for,
)
from ..provenance import cited, work_label
from ..store import FactBase
from .output import encodable
from .safe import clean

if TYPE_CHECKING:
    from rich.table import Table

LABEL = "bold cyan"
DIM = "dim"


def t(text: str | None, style: str = "") -> Text:
    """Data as a Text that rich never parses for markup, with control characters made visible
    and what the output encoding cannot carry escaped."""
    return Text(encodable(clean(text or "")), style=style)


class Fitted:
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


def _names(base: FactBase, ids: Iterable[str], of: Record | None = None, field: str = "") -> Text:
    """The names of records, each marked that an overlay added to `field` of `of`."""
    out = Text()
    for i, rid in enumerate(ids):
        rec = base.get(rid)
        if i:
            out.append(", ")
        out.append_text(t(name(rec) if rec else rid))
        if of is not None and f"{field}:{rid}" in of.provenance:
            _marked(of, out, field, item=rid)
    return out


def _linked(rec: Record, base: FactBase, field: str) -> Text:
    """A field of ids as names, marked where an overlay added or set them."""
    return _marked(rec, _names(base, getattr(rec, field), rec, field), field)


def _dated_lines(records: Iterable[Record]) -> RenderableType:
    """Records one a line, the date in a column of its own so the names line up."""
    rows: list[tuple[str, RenderableType]] = [
        (dates.display(rec.date) or _("undated"), t(name(rec))) for rec in records
    ]
    if not rows:
        return Text()
    return Fitted(lambda width: _two_columns(rows, width, DIM))


def _sources(rec: Record, base: FactBase) -> Text:
    """One line per work, its locators and notes gathered: 'Wikipedia, …, para. 2; para. 4'."""
    out = Text()
    for i, (work_id, details) in enumerate(cited(rec, language(), display=True).items()):
        if i:
            out.append("\n")
        out.append_text(t(work_label(base.get(work_id), work_id)))
        if details:
            out.append_text(t(": " + "; ".join(details), DIM))
    return out


class Beside:
    """Labels beside their values, in two columns of fixed widths: the lines a `Table.grid`
    of those two columns draws, without importing rich.table (~5% of a person lookup) or
    working out column widths that are given.

    The label column's width includes the gap after the labels (padding would wrap every
    cell); the values take the rest of the width, folded.
    """

    def __init__(
        self, rows: list[tuple[Text, RenderableType]], label_width: int, label_style: str
    ) -> None:
        self.rows = rows
        self.label_width = label_width
        self.label_style = label_style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        widths = (self.label_width, options.max_width - self.label_width)
        styles = (console.get_style(self.label_style), console.get_style(""))
        shown = options.update(justify="left", highlight=False, height=None)
        column_options = (
            shown.update(width=widths[0], no_wrap=True, overflow="ellipsis"),
            shown.update(width=widths[1], no_wrap=False, overflow="fold"),
        )
        new_line = Segment.line()
        for row in self.rows:
            cells = [
                console.render_lines(cell, cell_options, style=style)
                for cell, cell_options, style in zip(row, column_options, styles, strict=True)
            ]
            height = max(len(lines) for lines in cells)
            shaped = [
                Segment.set_shape(Segment.align_top(lines, width, height, style), width, height)
                for lines, width, style in zip(cells, widths, styles, strict=True)
            ]
            for label_line, value_line in zip(*shaped, strict=True):
                yield from label_line
                yield from value_line
                yield new_line


def _two_columns(
    rows: list[tuple[str, RenderableType]], width: int, label_style: str
) -> RenderableType:
    """Labels (short, one line each) beside their values, folded to fit `width`."""
    cells = [(t(label), value) for label, value in rows]
    label_width = max(cell_len(label.plain) for label, _value in cells) + 2  # with the gap
    if width > label_width:  # always, but in a terminal too narrow for the labels
        return Beside(cells, label_width, label_style)
    from rich.table import Table  # which shrinks both columns to fit as best it can

    grid = Table.grid()
    grid.add_column(style=label_style, no_wrap=True, width=label_width)
    grid.add_column(overflow="fold", width=1)
    for label, value in cells:
        grid.add_row(label, value)
    return grid


def _grid(rows: list[tuple[str, RenderableType]]) -> Fitted:
    shown = [
        (label, value) for label, value in rows if not (isinstance(value, Text) and not value.plain)
    ]
    return Fitted(lambda width: _two_columns(shown, width, LABEL))


def _general() -> str:
    """What follows a value that the cited sources do not give."""
    return " " + _("(general reference)")


def name(rec: Record) -> str:
    """A record's name in the interface's language where it has one (else its English name)."""
    return shown_name(rec)


def in_language(item: Record | Tally | SourceRef, field: str, style: str = "") -> Text:
    """A text field (a record's name, summary, note, ...; a tally's label) in the interface's
    language; English where there is no translation, and then marked as English, so that the
    two are never mixed silently."""
    text, lang = text_for(item, field, language())
    return _in(t(text, style), lang)


def group_type(rec: Record) -> str:
    """A group's type in the interface's language."""
    assert isinstance(rec, Group)
    types = {
        "faction": _("faction"),
        "platform": _("platform"),
        "organisation": _("organisation"),
        "union": _("union"),
        "party-body": _("party body"),
        "state-body": _("state body"),
    }
    return types.get(rec.type or "", rec.type or "")


def _in(text: Text, lang: str) -> Text:
    """`text`, which is in `lang`, marked as English when the interface is in another
    language."""
    if text.plain and lang != language():
        text.append(" " + _("(in English)"), DIM)
    return text


def _flagged(rec: Record, value: str | Text | None, *fields: str) -> Text:
    """A value, marked when any of `fields` is general reference or set by an overlay; empty
    when there is none."""
    text = value if isinstance(value, Text) else t(value)
    if text.plain and any(rec.is_general(f) for f in fields):
        text.append(_general(), DIM)
    return _marked(rec, text, *fields)


def _marked(rec: Record, text: Text, *fields: str, item: str | None = None) -> Text:
    """`text` followed by '(from mine.toml)' when an overlay set any of `fields` (a fact
    file's field names), or added `item` to the list `fields[0]`; a value not shown gets no
    mark."""
    file = rec.provenance.get(f"{fields[0]}:{item}") if item else rec.overlaid(*fields)
    if file and text.plain:
        text.append_text(t(" " + _("(from {file})").format(file=file), DIM))
    return text


def _aliases(rec: Record) -> Text:
    """The aliases the sources give, then, marked, those from general reference, then those an
    overlay added, each group a line."""
    added = [a for a in rec.aliases if f"aliases:{a}" in rec.provenance]
    general = [a for a in rec.aliases if rec.is_general("aliases", a) and a not in added]
    sourced = [a for a in rec.aliases if a not in general and a not in added]
    out = t(", ".join(sourced))
    for group, mark in ((general, _general()), (added, "")):
        if group:
            if out.plain:
                out.append("\n")
            out.append_text(t(", ".join(group)))
            out.append(mark, DIM)
            if group is added:
                _marked(rec, out, "aliases", item=added[0])
    return _marked(rec, out, "aliases")


def _items(rec: Record, field: str, items: Iterable[str], shown: Iterable[str] = ()) -> Text:
    """A list field one item a line, each marked that is general reference; with `shown`,
    each item shown as its counterpart there (a translation, item for item)."""
    out = Text()
    for i, (item, text) in enumerate(zip(items, shown or items, strict=True)):
        if i:
            out.append("\n")
        out.append_text(t(text))
        if rec.is_general(field, item):
            out.append(_general(), DIM)
        if f"{field}:{item}" in rec.provenance:
            _marked(rec, out, field, item=item)
    return _marked(rec, out, field, f"{field}_ru")


def _roles(rec: Person) -> Text:
    roles, lang = roles_for(rec, language())
    return _in(_items(rec, "roles", rec.roles, roles), lang)


def _person_rows(rec: Person, base: FactBase) -> list[tuple[str, RenderableType]]:
    life = dates.span(rec.born, rec.died)
    return [
        (_("Life"), _flagged(rec, life, "born", "died")),
        (_("Also"), _aliases(rec)),
        (_("Roles"), _roles(rec)),
        (_("Groups"), _linked(rec, base, "groups")),
        (_("Events"), _dated_lines(base.events_of(rec.id))),
        (_("Votes"), _dated_lines(base.votes_of(rec.id))),
    ]


def _group_rows(rec: Group, base: FactBase) -> list[tuple[str, RenderableType]]:
    return [
        (_("Type"), _marked(rec, t(group_type(rec)), "type")),
        (_("Also"), _aliases(rec)),
        (_("Members"), _names(base, (p.id for p in base.members(rec.id)))),
        (_("Events"), _dated_lines(base.events_of(rec.id))),
        (_("Votes"), _dated_lines(base.votes_of(rec.id))),
    ]


def _event_rows(rec: Event, base: FactBase) -> list[tuple[str, RenderableType]]:
    return [
        (_("Date"), _marked(rec, t(dates.display(rec.when)), "date")),
        (_("Place"), _flagged(rec, in_language(rec, "place"), "place", "place_ru")),
        (_("Also"), _aliases(rec)),
        (_("People"), _linked(rec, base, "people")),
        (_("Groups"), _linked(rec, base, "groups")),
        (_("Votes"), _dated_lines(base.linking(rec.id, "votes"))),
    ]


BAR = 24
"""The longest a vote's bar is drawn, in columns."""
SIDE_MIN = 15
"""Columns a side's label keeps before the bar gives up any: the figures come first."""
BAR_MIN = 8
"""The shortest bar worth drawing."""


def tally_table(vote: Vote, base: FactBase, width: int = 80) -> Table:
    """Each side of a vote as a bar with its count and share; the winner marked.

    A bar's length is the side's share of the total (two thirds of the votes fill two thirds
    of the bar). The sides' labels come first: the bar takes only what `width` leaves beside
    the longest label and the figures, and is left out when too little is left.
    """
    votes = max(len(_("Votes")), len(str(vote.total)))
    # The Votes and Share columns with their padding and dividers, and the table's two edges.
    figures = votes + len("100.0%") + 3 * 2 + 2
    rows = [_side(tally, base) for tally in vote.tallies]
    longest = max([cell_len(_("Side")), cell_len(_("Total")), *map(_line_width, rows)])
    room = width - figures  # for the labels, and the bar with its divider
    if room - longest - 3 >= BAR_MIN:  # every label on one line, the bar beside
        side, bar = longest, min(BAR, room - longest - 3)
    elif room - SIDE_MIN - 3 >= BAR_MIN:  # long labels fold (each group line is marked)
        side, bar = room - BAR_MIN - 3, BAR_MIN
    else:  # no room for a bar: the figures stay whole
        side, bar = max(room, 1), 0
    from rich.table import Table  # here: a lookup of anything but a vote needs no rich.table

    full, empty = ("█", "·") if encodable("█·") == "█·" else ("#", ".")  # "#" under LANG=C
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_footer=True)
    table.add_column(_("Side"), footer=_("Total"), overflow="fold", width=side)
    table.add_column(_("Votes"), justify="right", footer=str(vote.total), no_wrap=True)
    table.add_column(_("Share"), justify="right", no_wrap=True)
    if bar:
        table.add_column("", no_wrap=True, width=bar)
    winner = vote.winner
    for tally, label in zip(vote.tallies, rows, strict=True):
        share = tally.votes / vote.total if vote.total else 0.0
        if tally is winner:
            label.stylize("bold", 0, len(text_for(tally, "label", language())[0]))
        cells: list[RenderableType] = [label, str(tally.votes), f"{share:.1%}"]
        if bar:
            filled = round(bar * share)
            style = "green" if tally is winner else ""
            cells.append(Text(full * filled + empty * (bar - filled), style=style))
        table.add_row(*cells)
    return table


def _side(tally: Tally, base: FactBase) -> Text:
    """A side's label, and on a line of its own the group it stands for, marked as such."""
    label = in_language(tally, "label")
    group = base.get(tally.group) if tally.group else None
    if group is not None and name(group) != text_for(tally, "label", language())[0]:
        label.append_text(t("\n  = " + name(group), DIM))
    return label


def _line_width(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.splitlines()), default=0)


def _vote_rows(rec: Vote, base: FactBase) -> list[tuple[str, RenderableType]]:
    event = base.get(rec.event) if rec.event else None
    return [
        (_("Body"), _marked(rec, in_language(rec, "body"), "body", "body_ru")),
        (_("Date"), _marked(rec, t(dates.display(rec.when) or _("not given")), "date")),
        (_("Place"), _flagged(rec, in_language(rec, "place"), "place", "place_ru")),
        (_("Event"), _marked(rec, t(name(event) if event else ""), "event")),
        (_("People"), _linked(rec, base, "people")),
        (_("Result"), Fitted(lambda width: tally_table(rec, base, width))),
        (_("Winner"), _marked(rec, t(_winner(rec)), "tallies")),  # the figures' source
        (_("Count"), _marked(rec, in_language(rec, "notes"), "notes", "notes_ru")),
    ]


def _winner(vote: Vote) -> str:
    winner = vote.winner
    if winner is None:
        return _("a tie")
    return _("{side} ({votes} of {total})").format(
        side=text_for(winner, "label", language())[0], votes=winner.votes, total=vote.total
    )


def _work_rows(rec: Work, base: FactBase) -> list[tuple[str, RenderableType]]:
    """The full reference, field by field: every name in full, where and by whom published."""
    csl = rec.csl

    def people(role: str) -> Text:
        names = csl.get(role) or []
        return t(", ".join(_full_name(n) for n in names))

    def joined(*fields: str) -> Text:
        return t(", ".join(str(csl[f]) for f in fields if csl.get(f)))

    rows: list[tuple[str, RenderableType]] = [
        (_("Type"), t(str(csl.get("type", "")))),
        (_("Authors"), people("author")),
        (_("Editors"), people("editor")),
        (_("Translators"), people("translator")),
        (_("Date"), t(dates.display(rec.date) if rec.date else "")),
        (_("In"), _container(csl)),
        (_("Series"), joined("collection-title", "collection-number")),
        (_("Publisher"), joined("publisher", "publisher-place")),
        (_("URL"), t(str(csl.get("URL") or ""))),
    ]
    rows = [(label, _marked(rec, value, "csl")) for label, value in rows if isinstance(value, Text)]
    return [*rows, (_("Cited by"), _names(base, (r.id for r in base.citing(rec.id))))]


def _full_name(name: dict[str, object]) -> str:
    """A CSL name as written: 'Barbara C. Allen', or its literal form."""
    parts = (name.get(p) for p in ("given", "non-dropping-particle", "family", "suffix"))
    return str(name.get("literal") or " ".join(str(p) for p in parts if p))


def _container(csl: dict[str, object]) -> Text:
    """The journal, book or site a work appears in, with volume, issue and pages."""
    if not csl.get("container-title"):
        return Text()
    out = str(csl["container-title"])
    for field, label in (("volume", _("vol.")), ("issue", _("no.")), ("page", _("pp."))):
        if csl.get(field):
            out += f", {label} {csl[field]}"
    return t(out)


def _term_rows(rec: Term, base: FactBase) -> list[tuple[str, RenderableType]]:
    return [
        (_("Also"), _aliases(rec)),
        (_("Related"), _linked(rec, base, "related")),
    ]


def _russian_first(rec: Record) -> bool:
    """In a Russian interface a record with a Russian name is titled by it."""
    return language() == "ru" and bool(getattr(rec, "name_ru", None))


def fields(rec: Record, base: FactBase) -> list[tuple[str, RenderableType]]:
    """A record's labelled lines, as its panel shows them: the name in the other language, its
    own lines, then note and sources. Empty values are kept (the panel leaves them out)."""
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
    if _russian_first(rec):  # the Russian name is the title; the English one gets the row
        rows.insert(0, (_("In English"), _flagged(rec, rec.name, "name")))
    elif not isinstance(rec, Work):
        rows.insert(0, (_("Russian"), _flagged(rec, rec.name_ru, "name_ru")))
    rows.append((_("Note"), _marked(rec, in_language(rec, "note", "yellow"), "note", "note_ru")))
    rows.append((_("Sources"), _marked(rec, _sources(rec, base), "sources")))
    return rows


def title(rec: Record) -> Text:
    """A record's name as its panel's title: bold, marked if the sources do not give it or an
    overlay set it."""
    russian = _russian_first(rec)
    text = t(rec.name_ru if russian else rec.name, "bold")
    if rec.is_general("name_ru" if russian else "name"):
        text.append(_general(), DIM)
    return _marked(rec, text, "name_ru" if russian else "csl" if isinstance(rec, Work) else "name")


def summary(rec: Record) -> Text:
    """A record's summary (a term's definition) in the interface's language, marked if an
    overlay set it."""
    return _marked(rec, in_language(rec, "summary"), _summary_field(rec))


def subtitle(rec: Record) -> Text:
    """What kind of record it is, and its id: 'person · shlyapnikov'."""
    return t(f"{kind_label(rec.kind)} · {rec.id}", DIM)


def details(rec: Record, base: FactBase) -> RenderableType:
    """One record in full, with its links, curator's note and sources."""
    body: list[RenderableType] = []
    if rec.summary:
        body += [summary(rec), Text()]
    body.append(_grid(fields(rec, base)))
    return Panel(
        Stack(*body),
        title=title(rec),
        title_align="left",
        subtitle=subtitle(rec),
        subtitle_align="right",
        box=box.ROUNDED,
        padding=(0, 1),
    )


def _summary_field(rec: Record) -> str:
    """The fact file's field that holds the summary shown ('definition_ru', ...)."""
    field = "definition" if isinstance(rec, Term) else "summary"
    return field + ("_ru" if text_for(rec, "summary", language())[1] == "ru" else "")


def candidates(rows: list[Candidate]) -> Table:
    """Records a query could mean, for the user to choose from: id, name, life years of people
    (namesakes differ by them), date of the rest."""
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(_("id"), style=LABEL, no_wrap=True)
    table.add_column(_("name"), overflow="fold", ratio=1)
    lived = any(row.born or row.died for row in rows)
    if lived:
        table.add_column(_("life"), no_wrap=True)
    dated = any(row.date for row in rows)
    if dated:
        table.add_column(_("date"), no_wrap=True)
    for row in rows:
        cells = [t(row.id), t(row.label)]
        if lived:
            cells.append(t(dates.years(row.born or None, row.died or None)))
        if dated:
            cells.append(t(dates.display(row.date)))
        table.add_row(*cells)
    return table
