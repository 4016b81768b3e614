"""The drawing itself, with matplotlib (imported by this module alone, only for --chart).

Every figure is drawn in one style: DejaVu Sans (shipped with matplotlib, and with Cyrillic),
text kept as text in SVG, no date or version in the file, a fixed hash salt for SVG ids, so
the same input gives the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import matplotlib
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import dates
from ..i18n import _, language, ngettext
from ..model import Record, Vote, text_for
from ..provenance import shown_locator, work_label
from ..render.safe import clean
from ..store import FactBase

STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "svg.fonttype": "none",  # text stays text: searchable, read by screen readers
    "svg.hashsalt": "wocli",  # the ids of clip paths are the same on every run
    "text.parse_math": False,  # a "$" in the data is a dollar sign, not mathtext
    "axes.spines.top": False,
    "axes.spines.right": False,
}
METADATA = {
    "svg": {"Date": None, "Creator": "wocli"},
    "png": {"Software": "wocli"},
}
DPI = 200
VOTE_SIZE = (8.0, 4.5)  # inches: 1600 x 900 pixels at DPI, a 16:9 slide
TIMELINE_WIDTH = 11.0  # inches: a landscape page
INK, WINNER, SIDE, EVENT, VOTE = "#222222", "#b03a2e", "#8a9bab", "#1f5f8b", "#c0732b"


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        yield


def to_bytes(figure: Any, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes, identical for identical input."""
    out = io.BytesIO()
    with _style():
        figure.savefig(out, format=fmt, dpi=DPI, metadata=METADATA[fmt])
    return out.getvalue()


def _text(value: str | None, width: int = 0) -> str:
    shown = clean(value or "")
    return "\n".join(textwrap.wrap(shown, width)) if width and shown else shown


def sources_line(rec: Record, base: FactBase) -> str:
    """'Source: Wikipedia, Workers’ Opposition, para. 11' for a footer."""
    parts = []
    for work_id in dict.fromkeys(s.work for s in rec.sources):
        where = [shown_locator(s.locator) for s in rec.sources if s.work == work_id and s.locator]
        label = work_label(base.get(work_id), work_id)
        parts.append(", ".join([label, *dict.fromkeys(where)]))
    return ngettext("Source: {sources}", "Sources: {sources}", len(parts)).format(
        sources="; ".join(parts)
    )


def vote_title(vote: Vote) -> str:
    """The body and the date: 'Tula party organisation, 25 January 1921' (in Russian where the
    base has it)."""
    when = dates.display(vote.when) if vote.when else _("date not given")
    return f"{text_for(vote, 'body', language())[0]}, {when}"


def _bars(ax: Any, vote: Vote) -> None:
    """A vote's sides as bars, top to bottom in the record's order, figures beside them."""
    winner = vote.winner
    labels = [_text(text_for(t, "label", language())[0], 28) for t in vote.tallies]
    counts = [t.votes for t in vote.tallies]
    colours = [WINNER if t is winner else SIDE for t in vote.tallies]
    rows = list(range(len(counts)))
    ax.barh(rows, counts, color=colours, height=0.62)
    ax.set_yticks(rows, labels)
    ax.invert_yaxis()
    top = max(counts, default=0) or 1
    ax.set_xlim(0, top * 1.35)  # room for the figures beside the longest bar
    for row, tally in zip(rows, vote.tallies, strict=True):
        share = tally.votes / vote.total if vote.total else 0.0
        weight = "bold" if tally is winner else "normal"
        ax.text(tally.votes + top * 0.015, row, f"{tally.votes}  ({share:.1%})", va="center",
                color=INK, fontweight=weight)  # fmt: skip
        if tally is winner:  # inside the longest bar, where a word of any length fits
            ax.text(tally.votes - top * 0.02, row, _("winner"), va="center", ha="right",
                    color="white", fontweight="bold")  # fmt: skip
            ax.get_yticklabels()[row].set_fontweight("bold")
    ax.set_xlabel(_("Total: {total} votes").format(total=vote.total), color=INK)
    ax.set_xticks([])  # the figures are written beside the bars
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(axis="y", length=0)


def vote_figure(vote: Vote, base: FactBase) -> Figure:
    with _style():
        fig = Figure(figsize=VOTE_SIZE, layout="constrained")
        fig.suptitle(_text(vote_title(vote), 70), fontweight="bold", fontsize=14)
        ax = fig.add_subplot()
        name = text_for(vote, "name", language())[0]  # Russian where the base has it
        ax.set_title(_text(name, 80), fontsize=11, color="#555555")
        _bars(ax, vote)
        fig.supxlabel(
            _text(sources_line(vote, base), 110), fontsize=8, color="#555555", x=0.01, ha="left"
        )
    return fig


def votes_figure(votes: list[Vote], base: FactBase, title: str) -> Figure:
    with _style():
        heights = [len(v.tallies) + 1.6 for v in votes]
        fig = Figure(figsize=(VOTE_SIZE[0], 0.9 + 0.42 * sum(heights)), layout="constrained")
        fig.suptitle(_text(title, 70), fontweight="bold", fontsize=14)
        axes = fig.subplots(len(votes), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
        for ax, vote in zip(axes[:, 0], votes, strict=True):
            name = text_for(vote, "name", language())[0]
            ax.set_title(_text(f"{name} — {vote_title(vote)}", 64), fontsize=10, loc="left")
            _bars(ax, vote)
        works = {s.work for v in votes for s in v.sources}
        fig.supxlabel(
            _text(
                _("Sources: {sources}").format(
                    sources="; ".join(work_label(base.get(w), w) for w in sorted(works))
                ),
                110,
            ),
            fontsize=8,
            color="#555555",
            x=0.01,
            ha="left",
        )
    return fig


def _span(rec: Record) -> tuple[date | None, date | None, bool]:
    """First and last day a record's date covers (None for an open end), and whether the date
    is approximate or uncertain."""
    parsed = dates.parse(rec.date or "")
    if isinstance(parsed, dates.Interval):
        ends = [p for p in (parsed.start, parsed.end) if p]
        vague = any(p.approximate or p.uncertain for p in ends)
        return (
            parsed.start.first if parsed.start else None,
            parsed.end.last if parsed.end else None,
            vague,
        )
    return parsed.first, parsed.last, parsed.approximate or parsed.uncertain


def timeline_figure(records: list[Record], title: str) -> Figure:
    spans = [_span(r) for r in records]
    known = [d for first, last, _v in spans for d in (first, last) if d]
    low, high = min(known), max(known)
    pad = max(timedelta(days=20), (high - low) * 0.03)
    left, right = low - pad, high + pad
    with _style():
        fig = Figure(figsize=(TIMELINE_WIDTH, 1.9 + 0.27 * len(records)), layout="constrained")
        fig.suptitle(_text(title, 90), fontweight="bold", fontsize=14)
        ax = fig.add_subplot()
        for row, (rec, (first, last, vague)) in enumerate(zip(records, spans, strict=True)):
            colour = VOTE if rec.kind == "vote" else EVENT
            start, end = first or left, last or right
            if start == end:  # a single day: a dot, hollow when the day is uncertain
                ax.plot(
                    _num(start),
                    row,
                    "o",
                    markersize=7,
                    color=colour,
                    markerfacecolor="white" if vague else colour,
                )
            else:
                width = _num(end + timedelta(days=1)) - _num(start)
                ax.barh(
                    row,
                    width,
                    left=_num(start),
                    height=0.55,
                    color="white" if vague else colour,
                    edgecolor=colour,
                    hatch="////" if vague else None,
                    linewidth=1,
                )
                if last is None:  # open: goes on past the chart
                    ax.plot(_num(right), row, ">", color=colour, markersize=6)
            when = _text(dates.display(rec.date))
            past = _num(end + timedelta(days=1))
            # Beside the mark, a dot's radius and a gap away in points, whatever the scale.
            gap = 7 if start == end else 3
            if past < _num(left) + (_num(right) - _num(left)) * 0.72:
                at, offset, align = past, gap, "left"
            else:
                at, offset, align = _num(start), -gap, "right"
            ax.annotate(when, (at, row), xytext=(offset, 0), textcoords="offset points",
                        va="center", ha=align, fontsize=8, color="#444444")  # fmt: skip
        rows = list(range(len(records)))
        ax.set_yticks(rows, [_text(_short(r.name)) for r in records], fontsize=8)
        ax.set_ylim(len(records) - 0.4, -0.6)
        ax.set_xlim(_num(left), _num(right))
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.legend(
            handles=[
                Patch(color=EVENT, label=_("event")),
                Patch(color=VOTE, label=_("vote")),
                Line2D([], [], marker="o", linestyle="", color=INK, label=_("a single day")),
                Patch(
                    facecolor="white",
                    edgecolor=INK,
                    hatch="////",
                    label=_("date approximate or uncertain"),
                ),
            ],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=4,
            frameon=False,
            fontsize=9,
        )
        fig.supxlabel(
            _("Source: the wocli fact base (wocli cite --for KIND:ID for each record)"),
            fontsize=8,
            color="#555555",
            x=0.01,
            ha="left",
        )
    return fig


def _num(day: date) -> float:
    """A day as matplotlib's date number."""
    return float(date2num(day))  # type: ignore[no-untyped-call]


def _short(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
