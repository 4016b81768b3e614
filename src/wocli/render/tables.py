"""Lists of records as rich tables, laid out for the width they get.

Each list is a set of columns with a rank: on a narrow terminal the lowest-ranked columns go
first, the `id` (what `person`, `cite` and overlays take) last but for the name itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from .. import dates, listing
from ..i18n import _, kind_label, language
from ..model import Event, Group, Person, Record, Vote, Work, text_for
from ..store import FactBase
from .records import DIM, LABEL, Fitted, group_type, in_language, name, t

if TYPE_CHECKING:
    from ..search import Hit

NAME, ID, WHEN = 100, 90, 95
"""Ranks of the name (never dropped), the id (dropped after every other column) and the date
of a dated list (which is ordered by it, so it stays as long as the name)."""
FOLDED = 14
"""The narrowest a wrapping column is let to become before a column is dropped instead."""
DATE = 16
"""... and a date's: '19 February 1921' on one line."""


class Column(NamedTuple):
    header: str
    cell: Callable[[Record], Text]
    rank: int  # lower goes first when the width runs short
    wrap: bool = False  # folds over lines (and takes a share of the spare width)
    ratio: int = 1
    justify: str = "left"
    style: str = ""
    least: int = FOLDED  # a folding column narrower than this is dropped instead


def _id(rec: Record) -> Text:
    return t(rec.id, DIM)


def _widest(column: Column, texts: list[Text]) -> int:
    return max([cell_len(column.header), *(_line_width(x) for x in texts)])


def _line_width(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.splitlines()), default=0)


def _longest_word(column: Column, texts: list[Text]) -> int:
    words = [w for x in [column.header, *(x.plain for x in texts)] for w in x.split()]
    return max((cell_len(w) for w in words), default=0)


def _kept(
    columns: list[Column], cells: list[list[Text]], widest: list[int], least: list[int], width: int
) -> list[int]:
    """The columns shown at `width`: every non-empty one that fits, dropping the lowest-ranked
    first, then taking back any dropped one that fits again, highest-ranked first."""

    def fits(kept: list[int]) -> bool:
        chosen = [columns[i] for i in kept]
        return (
            _widths(chosen, [widest[i] for i in kept], [least[i] for i in kept], width) is not None
        )

    shown = [i for i in range(len(columns)) if any(x.plain for x in cells[i]) or i == 0]
    kept = list(shown)
    while len(kept) > 1 and not fits(kept):
        kept.remove(min(kept, key=lambda i: columns[i].rank))
    for i in sorted(set(shown) - set(kept), key=lambda i: -columns[i].rank):
        if fits(sorted([*kept, i])):
            kept = sorted([*kept, i])
    return kept


def _widths(
    columns: Sequence[Column], widest: list[int], least: list[int], width: int
) -> list[int] | None:
    """Each column's width within `width`, or None when even folded they do not fit: fixed
    columns as wide as their widest cell, folding ones sharing the rest by ratio."""
    spare = width - 3 * (len(columns) - 1)  # between columns: a space each side and a divider
    spare -= sum(w for c, w in zip(columns, widest, strict=True) if not c.wrap)
    folding = [i for i, c in enumerate(columns) if c.wrap]
    if spare < sum(least[i] for i in folding):
        return None
    out = list(widest)
    # Give each folding column its share, never more than it needs; what it leaves goes on.
    waiting = sorted(folding, key=lambda i: widest[i] / columns[i].ratio)
    while waiting:
        ratios = sum(columns[i].ratio for i in waiting)
        i = waiting.pop(0)
        share = spare * columns[i].ratio // ratios
        reserved = sum(least[j] for j in waiting)  # what the columns still waiting need
        out[i] = min(max(min(widest[i], share), least[i]), spare - reserved)
        spare -= out[i]
    return out


def _layout(records: Sequence[Record], columns: list[Column]) -> Fitted:
    """A table of `records` that keeps the columns the width has room for, by rank."""
    cells = [[column.cell(rec) for rec in records] for column in columns]
    widest = [_widest(c, texts) for c, texts in zip(columns, cells, strict=True)]
    # A folding column is never narrower than its longest word: no word is broken in two.
    least = [
        min(w, max(c.least, _longest_word(c, texts)))
        for c, texts, w in zip(columns, cells, widest, strict=True)
    ]

    def layout(width: int) -> Table:
        kept = _kept(columns, cells, widest, least, width)
        widths = _widths([columns[i] for i in kept], [widest[i] for i in kept],
                         [least[i] for i in kept], width) or [width]  # fmt: skip
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for i, w in zip(kept, widths, strict=True):
            column = columns[i]
            table.add_column(
                column.header,
                width=w,
                overflow="fold",
                no_wrap=not column.wrap,
                justify=column.justify,  # type: ignore[arg-type]
                style=column.style,
            )
        for row in range(len(records)):
            table.add_row(*(cells[i][row] for i in kept))
        return table

    return Fitted(layout)


def hits_table(hits: list[Hit], base: FactBase) -> Fitted:
    """Search results: kind, name, id, date, score and the field that matched."""
    found = {h.id: h for h in hits}
    records = [r for h in hits if (r := base.get(h.id)) is not None]
    return _layout(
        records,
        [
            Column(_("kind"), lambda r: t(kind_label(r.kind)), 70, style=LABEL),
            Column(_("name"), lambda r: t(_hit_name(r, found[r.id])), NAME, wrap=True, ratio=3),
            Column(_("id"), _id, ID),
            Column(_("date"), lambda r: t(dates.display(r.date)), 60, True, 2, least=DATE),
            Column(_("score"), lambda r: t(f"{found[r.id].score:.0f}"), 50, justify="right"),
            Column(_("matched"), lambda r: t(matched_label(found[r.id].matched)), 40),
        ],
    )


def _hit_name(rec: Record, hit: Hit) -> str:
    """The name a hit is shown by: the record's own in a Russian interface, else the hit's."""
    return name(rec) if language() != "en" else hit.name


def matched_label(field: str) -> str:
    """Which field of a record a search matched, as the interface names it."""
    labels = {
        "id": _("id"),
        "name": _("name"),
        "alias": _("other name"),
        "name_ru": _("Russian name"),
        "title": _("title"),
        "translit": _("transliteration"),
        "surname": _("surname"),
        "cite": _("citation"),
        "author": _("author"),
        "date": _("date"),
        "place": _("place"),
        "body": _("body"),
        "life": _("life"),
    }
    return labels.get(field, field)


def people_table(people: list[Record], base: FactBase, group: Group | None = None) -> Fitted:
    """People by surname; with `group`, each one's role in it."""

    def groups(rec: Record) -> Text:
        assert isinstance(rec, Person)
        return t(", ".join(name(g) for g in map(base.get, rec.groups) if g))

    def role(rec: Record) -> Text:
        assert isinstance(rec, Person) and group is not None
        return t("\n".join(listing.roles_in(rec, group, language())) or _("member"))

    # The name in the other language: the Russian one, or the English one when the name
    # column shows the Russian already.
    if language() == "ru":
        other_name = Column(
            _("In English"), lambda r: t(r.name if name(r) != r.name else None), 50, wrap=True
        )
    else:
        other_name = Column(_("Russian"), lambda r: t(getattr(r, "name_ru", None)), 50, wrap=True)
    columns = [
        Column(_("name"), lambda r: t(name(r), "bold"), NAME),
        Column(_("id"), _id, ID),
        other_name,
        Column(_("life"), lambda r: t(_years(r)), 60),
    ]
    if group is not None:
        columns.append(
            Column(_("role in {group}").format(group=name(group)), role, 70, wrap=True, ratio=2)
        )
    else:
        columns.append(Column(_("groups"), groups, 55, wrap=True, ratio=2))
    return _layout(people, columns)


def _years(rec: Record) -> str:
    assert isinstance(rec, Person)
    return dates.years(rec.born, rec.died)


def groups_table(groups: list[Record], base: FactBase) -> Fitted:
    def members(rec: Record) -> Text:
        return t(str(len(base.members(rec.id)) or ""))

    return _layout(
        groups,
        [
            Column(_("name"), lambda r: t(name(r), "bold"), NAME, wrap=True),
            Column(_("id"), _id, ID),
            Column(_("type"), lambda r: t(group_type(r)), 60),
            Column(_("members"), members, 50, justify="right"),
            Column(_("also"), lambda r: t(", ".join(r.aliases)), 40, wrap=True),
        ],
    )


def events_table(events: list[Record]) -> Fitted:
    def place(rec: Record) -> Text:
        assert isinstance(rec, Event)
        return in_language(rec, "place")

    return _layout(
        events,
        [
            Column(_("date"), lambda r: t(dates.display(r.date)), WHEN, True, 2, least=DATE),
            Column(_("event"), lambda r: t(name(r), "bold"), NAME, wrap=True, ratio=3),
            Column(_("id"), _id, ID),
            Column(_("place"), place, 50, wrap=True),
        ],
    )


def votes_table(votes: list[Record]) -> Fitted:
    def total(rec: Record) -> Text:
        assert isinstance(rec, Vote)
        return t(str(rec.total))

    def largest(rec: Record) -> Text:
        assert isinstance(rec, Vote)
        win = rec.winner
        if not (win and rec.total):
            return t(_("tie"))
        label = text_for(win, "label", language())[0]
        return t(f"{label}: {win.votes} ({win.votes / rec.total:.0%})")

    return _layout(
        votes,
        [
            Column(_("date"), lambda r: t(dates.display(r.date) or "—"), WHEN, True, 2, least=11),
            Column(_("vote"), lambda r: t(name(r), "bold"), NAME, wrap=True, ratio=3),
            Column(_("id"), _id, ID),
            Column(_("total"), total, 92, justify="right"),
            Column(_("largest side"), largest, 50, wrap=True),
        ],
    )


def terms_table(terms: list[Record]) -> Fitted:
    return _layout(
        terms,
        [
            Column(_("term"), lambda r: t(name(r), "bold"), NAME, wrap=True),
            Column(_("id"), _id, ID),
            Column(_("definition"), lambda r: in_language(r, "summary"), 50, wrap=True, ratio=3),
        ],
    )


def works_table(works: Sequence[Work]) -> Fitted:
    def authors(rec: Record) -> Text:
        assert isinstance(rec, Work)
        return t(", ".join(rec.authors))

    return _layout(
        works,
        [
            Column(_("author"), authors, 70, wrap=True),
            Column(_("year"), lambda r: t((r.date or "")[:4]), 60),
            Column(_("title"), lambda r: t(r.name, "italic"), NAME, wrap=True, ratio=3),
            Column(_("id"), _id, ID),
        ],
    )


def timeline_table(records: list[Record], year_of: Callable[[Record], str]) -> Table:
    """Events and votes under a heading per year, each date at its own precision."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, show_header=False)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold", ratio=1)
    year = None
    for rec in records:
        if year_of(rec) != year:
            year = year_of(rec)
            if table.row_count:
                table.add_section()
            heading = _("undated") if year == "undated" else year
            table.add_row(Text(heading, style="bold magenta"), "", "")
        mark = Text(kind_label(rec.kind), style="green" if isinstance(rec, Vote) else DIM)
        what = t(name(rec))
        if isinstance(rec, Vote) and rec.winner and rec.total:
            label = text_for(rec.winner, "label", language())[0]
            what.append_text(t(f"  {label} {rec.winner.votes}/{rec.total}", DIM))
        what.append_text(t(f"  {rec.id}", DIM))
        table.add_row(dates.display(rec.date), mark, what)
    return table
