"""EDTF dates (the subset wocli uses): parsing, validation, sorting and display."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from .i18n import _

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
# Russian: months and seasons in the nominative ("март 1921 г.") and the genitive ("8 марта").
MONTHS_RU = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"
MONTHS_RU_GENITIVE = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
)
SEASONS_RU = {21: "весна", 22: "лето", 23: "осень", 24: "зима"}
SEASONS_RU_GENITIVE = {21: "весны", 22: "лета", 23: "осени", 24: "зимы"}
# First and last month of each season (northern hemisphere; winter runs into the next year).
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 14)}

_SINGLE = re.compile(
    r"^(?P<year>\d{3}[\dX]|\d{2}XX)(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<q>[?~%])?$"
)


def _days_in(year: int, month: int) -> int:
    """Days in a month (the calendar module would cost every command its import)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


class DateError(ValueError):
    """A string is not a date in wocli's EDTF subset."""


# Immutable values as NamedTuples: a frozen dataclass costs every command ~1 ms to define.
class Point(NamedTuple):
    """One EDTF date: a day, month, season, year or decade, possibly qualified."""

    text: str
    year: int
    month: int | None = None  # 1-12, or 21-24 for a season
    day: int | None = None
    unspecified: int = 0  # how many trailing year digits are X (1 = decade, 2 = century)
    approximate: bool = False
    uncertain: bool = False

    @property
    def first(self) -> date:
        """The first day this date covers."""
        if self.month is None:
            return date(self.year, 1, 1)
        if self.month in SEASONS:
            return date(self.year, _SEASON_MONTHS[self.month][0], 1)
        return date(self.year, self.month, self.day or 1)

    @property
    def last(self) -> date:
        """The last day this date covers."""
        if self.month is None:
            return date(self.year + 10**self.unspecified - 1, 12, 31)
        if self.month in SEASONS:
            end = _SEASON_MONTHS[self.month][1]
            year, month = self.year + (end - 1) // 12, (end - 1) % 12 + 1
            return date(year, month, _days_in(year, month))
        if self.day is None:
            return date(self.year, self.month, _days_in(self.year, self.month))
        return date(self.year, self.month, self.day)

    def display(self, genitive: bool = False) -> str:
        """The date for people: '8 March 1921', 'spring 1920', 'about 1922', '1930s'; in the
        interface's language ('8 марта 1921 г.'; `genitive` after a preposition: 'до марта')."""
        if _russian():
            return self._display_ru(genitive)
        if self.unspecified:
            text = f"{self.year}s"
        elif self.month is None:
            text = str(self.year)
        elif self.month in SEASONS:
            text = f"{SEASONS[self.month]} {self.year}"
        elif self.day is None:
            text = f"{MONTHS[self.month - 1]} {self.year}"
        else:
            text = f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.approximate:
            text = "about " + text
        if self.uncertain:
            text += " (uncertain)"
        return text

    def _display_ru(self, genitive: bool) -> str:
        genitive = genitive or self.approximate  # "около" takes the genitive
        if self.unspecified:
            text = f"{self.year}-е гг."
        elif self.month is None:
            text = f"{self.year} г."
        elif self.month in SEASONS:
            seasons = SEASONS_RU_GENITIVE if genitive else SEASONS_RU
            text = f"{seasons[self.month]} {self.year} г."
        elif self.day is None:
            months = MONTHS_RU_GENITIVE if genitive else MONTHS_RU
            text = f"{months.split()[self.month - 1]} {self.year} г."
        else:
            text = f"{self.day} {MONTHS_RU_GENITIVE.split()[self.month - 1]} {self.year} г."
        if self.approximate:
            text = "около " + text
        if self.uncertain:
            text += " (предположительно)"
        return text


class Interval(NamedTuple):
    """An EDTF interval; either end may be open (None)."""

    text: str
    start: Point | None
    end: Point | None

    @property
    def first(self) -> date:
        return self.start.first if self.start else date.min

    @property
    def last(self) -> date:
        return self.end.last if self.end else date.max

    def display(self) -> str:
        russian = _russian()
        if self.start is None and self.end is not None:
            return ("до " if russian else "until ") + self.end.display(genitive=True)
        if self.end is None and self.start is not None:
            return ("с " if russian else "from ") + self.start.display(genitive=True)
        assert self.start is not None and self.end is not None
        a, b = self.start, self.end
        plain = not (a.approximate or a.uncertain or b.approximate or b.uncertain)
        if plain and a.day and b.day and (a.year, a.month) == (b.year, b.month):
            return f"{a.day}\N{EN DASH}{b.display()}"  # 8–15 March 1920
        same_shape = (a.day is None) == (b.day is None) and not (a.unspecified or b.unspecified)
        if plain and same_shape and a.month and b.month and a.year == b.year:
            year = f" {a.year} г." if russian else f" {a.year}"
            head = a.display().removesuffix(year)  # 22 April – 19 August 1921
            return f"{head} \N{EN DASH} {b.display()}"
        return f"{a.display()} \N{EN DASH} {b.display()}"


EDTF = Point | Interval


def _russian() -> bool:
    from .i18n import language

    return language() == "ru"


def _invalid(text: str, reason: str) -> str:
    return _("{value} is not a valid date ({reason})").format(value=repr(text), reason=reason)


def _point(text: str) -> Point:
    m = _SINGLE.match(text)
    if not m:
        raise DateError(_invalid(text, _("expected EDTF such as 1921-03-08")))
    year_text = m["year"]
    unspecified = year_text.count("X")
    year = int(year_text.replace("X", "0"))
    month = int(m["month"]) if m["month"] else None
    day = int(m["day"]) if m["day"] else None
    if unspecified and month is not None:
        raise DateError(_invalid(text, _("a decade cannot have a month")))
    if month is not None and not (1 <= month <= 12 or (month in SEASONS and day is None)):
        raise DateError(_invalid(text, _("no month {month}").format(month=month)))
    if year == 0 and not unspecified:
        raise DateError(_invalid(text, _("there is no year 0")))
    if day is not None and month is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise DateError(
                _invalid(text, _("no day {day} in that month").format(day=day))
            ) from None
    qualifier = m["q"] or ""
    return Point(
        text=text,
        year=year,
        month=month,
        day=day,
        unspecified=unspecified,
        approximate=qualifier in "~%" and bool(qualifier),
        uncertain=qualifier in "?%" and bool(qualifier),
    )


def parse(text: str) -> EDTF:
    """Parse an EDTF string; raise DateError for anything outside wocli's subset."""
    if not isinstance(text, str):
        raise DateError(_("{value} is not a date string").format(value=repr(text)))
    if "/" in text:
        left, _sep, right = text.partition("/")
        start = None if left in ("..", "") else _point(left)
        end = None if right in ("..", "") else _point(right)
        if start is None and end is None:
            raise DateError(_invalid(text, _("both ends open")))
        if start and end and start.first > end.last:
            raise DateError(_invalid(text, _("the interval ends before it starts")))
        return Interval(text=text, start=start, end=end)
    return _point(text)


def display(text: str | None) -> str:
    """Show an EDTF string for people; '' for None."""
    return parse(text).display() if text else ""


def span(born: str | None, died: str | None) -> str:
    """Life dates: '1885 – September 1937', '? – 1937', or '' when neither is known."""
    if not (born or died):
        return ""
    return f"{display(born) or '?'} \N{EN DASH} {display(died) or '?'}"


def years(born: str | None, died: str | None) -> str:
    """Life dates in a table: '1885–1937', '?–1937'."""
    if not (born or died):
        return ""

    def year(text: str | None) -> str:
        if not text:
            return "?"
        point = parse(text)
        first = point.start if isinstance(point, Interval) else point
        return str(first.year) if first else "?"

    return f"{year(born)}\N{EN DASH}{year(died)}"


def sort_key(text: str | None) -> tuple[date, int]:
    """Order by the last day a date covers, and on the same last day the narrower first: a
    date known only to the year or month comes after the dated entries it contains (1921
    after 3 January 1921, March 1921 after 8 March 1921). Undated records sort last."""
    if not text:
        return (date.max, 0)
    parsed = parse(text)
    return (parsed.last, -parsed.first.toordinal())


def year(text: str | None) -> int | None:
    """The year a date is filed under in a timeline: that of the last day it covers, the one
    `sort_key` places it by (December 1919 – January 1920 is filed under 1920)."""
    return parse(text).last.year if text else None


def within(text: str | None, after: str | None, before: str | None) -> bool:
    """Whether all of a date lies on or after `after` and on or before `before` (EDTF, optional):
    the strict reading (`--within`), for a reader who wants only what certainly falls there."""
    if not text:
        return after is None and before is None
    parsed = parse(text)
    if after and parsed.first < parse(after).first:
        return False
    return not (before and parsed.last > parse(before).last)


def overlaps(text: str | None, after: str | None, before: str | None) -> bool:
    """Whether any of a date may lie on or after `after` and on or before `before`: asked for
    January 1921, what is known only to have happened 'in 1921' is kept."""
    if not text:
        return after is None and before is None
    parsed = parse(text)
    if after and parsed.last < parse(after).first:
        return False
    return not (before and parsed.first > parse(before).last)
