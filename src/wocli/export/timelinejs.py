"""TimelineJS3: events and votes as slides, each date at its true precision, filed in
TimelineJS `group` rows by faction or platform, and the Workers' Opposition's three periods as
`eras`.

A date TimelineJS cannot say by itself (approximate, uncertain, a season, a decade) also gets
a `display_date` in words: "about 1922", "autumn 1920", "1930s". Slide text is HTML, so text
from the data is escaped.
"""

from __future__ import annotations

import json
from typing import Any

from .. import dates
from ..i18n import _
from ..model import Event, Group, Record, Vote
from ..provenance import source_lines
from ..store import FactBase
from . import about
from .html import escape


def eras() -> list[tuple[str, str, str]]:
    """The three periods, (start, end, headline) with EDTF dates. From the article: the Central
    Committee opened the discussion on 24 December 1920 (para. 9), the 10th Congress met in
    March 1921 (para. 14) and the faction lived on until the 11th Congress, 1922 (para. 17)."""
    return [
        ("1919", "1920-12-23", _("Before the trade-union debate")),
        ("1920-12-24", "1921-03", _("The trade-union debate")),
        ("1921-03", "1922", _("After the 10th Congress")),
    ]


def _date(point: dates.Point, last: bool = False) -> dict[str, str]:
    """A TimelineJS date object at the point's own precision (a season or decade as its
    first or last month or year)."""
    if point.unspecified:
        day = point.last if last else point.first
        return {"year": str(day.year)}
    if point.month is None:
        return {"year": str(point.year)}
    if point.month in dates.SEASONS:
        day = point.last if last else point.first
        return {"year": str(day.year), "month": str(day.month)}
    out = {"year": str(point.year), "month": str(point.month)}
    if point.day:
        out["day"] = str(point.day)
    return out


def _plain(point: dates.Point) -> bool:
    return not (point.approximate or point.uncertain or point.unspecified) and (
        point.month not in dates.SEASONS
    )


def when(text: str) -> dict[str, Any]:
    """`start_date`, `end_date` and, where words say it better, `display_date`."""
    parsed = dates.parse(text)
    out: dict[str, Any] = {}
    if isinstance(parsed, dates.Interval):
        points = [p for p in (parsed.start, parsed.end) if p]
        if parsed.start:
            out["start_date"] = _date(parsed.start)
        else:  # '../1922': TimelineJS needs a start; the end is all that is known
            assert parsed.end is not None
            out["start_date"] = _date(parsed.end)
        if parsed.end and parsed.start:
            out["end_date"] = _date(parsed.end, last=True)
    else:
        points = [parsed]
        out["start_date"] = _date(parsed)
        if parsed.unspecified or parsed.month in dates.SEASONS:
            out["end_date"] = _date(parsed, last=True)
    if not all(_plain(p) for p in points) or (
        isinstance(parsed, dates.Interval) and len(points) < 2
    ):
        out["display_date"] = parsed.display()
    return out


FACTIONS = ("faction", "platform")
"""The kinds of group a slide is filed under: a row per faction or platform, not per body."""


def _group(rec: Record, base: FactBase) -> str | None:
    """The first faction or platform a slide names (a vote's sides first, then its event's)."""
    ids: list[str] = []
    if isinstance(rec, Event):
        ids = list(rec.groups)
    elif isinstance(rec, Vote):
        ids = [t.group for t in rec.tallies if t.group]
        event = base.get(rec.event) if rec.event else None
        if isinstance(event, Event):
            ids += event.groups
    for rid in ids:
        group = base.get(rid)
        if isinstance(group, Group) and group.type in FACTIONS:
            return group.name
    return None


def _text(rec: Record, base: FactBase) -> str:
    parts = [f"<p>{escape(rec.summary)}</p>"] if rec.summary else []
    if isinstance(rec, Vote):
        items = "".join(f"<li>{escape(t.label)}: {t.votes}</li>" for t in rec.tallies)
        parts.append(f"<ul>{items}</ul><p>{escape(_('Total'))}: {rec.total}</p>")
    lines = "<br>".join(escape(line) for line in source_lines(rec, base))
    parts.append(f"<p><small>{escape(_('Sources'))}: {lines}</small></p>")
    return "".join(parts)


def slide(rec: Record, base: FactBase) -> dict[str, Any]:
    assert rec.date is not None
    out: dict[str, Any] = {
        **when(rec.date),
        "text": {"headline": escape(rec.name), "text": _text(rec, base)},
        "unique_id": rec.id,
    }
    group = _group(rec, base)
    if group:
        out["group"] = escape(group)
    return out


def document(base: FactBase) -> dict[str, Any]:
    records = [*base.all("events"), *(v for v in base.all("votes") if v.date)]
    records.sort(key=lambda r: dates.sort_key(r.date))
    return {
        "title": {
            "text": {
                "headline": escape(about.TITLE),
                "text": f"<p>{escape(about.DESCRIPTION)}</p>"
                f"<p><small>{escape(about.SOURCE_TITLE)}</small></p>",
            }
        },
        "events": [slide(r, base) for r in records],
        "eras": [
            {
                "start_date": when(start)["start_date"],
                "end_date": when(end)["start_date"],
                "text": {"headline": escape(headline)},
            }
            for start, end, headline in eras()
        ],
    }


def text(base: FactBase) -> str:
    return json.dumps(document(base), ensure_ascii=False, indent=2) + "\n"
