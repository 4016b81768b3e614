"""Charts as files (SVG or PNG, by the path's suffix): a vote's counts, a list of votes, a
dated strip of events and votes. Drawn with matplotlib, which only `draw` imports: asking
whether a path is acceptable (`fmt`) costs nothing.

    fmt(Path("tula.png"))                       # "png", or a UsageError
    save_vote(vote, base, Path("tula.svg"))
    save_votes(votes, base, Path("votes.png"), "Votes")
    save_timeline(records, Path("1920s.svg"), "Timeline, 1920 – 1922")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..i18n import _

if TYPE_CHECKING:
    from ..model import Record, Vote
    from ..store import FactBase

FORMATS = ("svg", "png")


def fmt(path: Path) -> str:
    """The format a chart path asks for by its suffix; a UsageError for any other suffix."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(_("--chart: {path} must end in .svg or .png").format(path=repr(str(path))))
    return suffix


def save_vote(vote: Vote, base: FactBase, path: Path) -> None:
    """One vote as horizontal bars: each side's count and share, the winner marked."""
    from . import draw

    _write(path, draw.vote_figure(vote, base))


def save_votes(votes: list[Vote], base: FactBase, path: Path, title: str) -> None:
    """Several votes, one panel of bars each, in the order given."""
    from . import draw

    _write(path, draw.votes_figure(votes, base, title))


def save_timeline(records: list[Record], path: Path, title: str) -> None:
    """Events and votes on a dated strip: a day as a dot, anything longer as a bar."""
    from . import draw

    _write(path, draw.timeline_figure(records, title))


def _write(path: Path, figure: object) -> None:
    from . import draw

    try:
        data = draw.to_bytes(figure, fmt(path))
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(
            _("--chart: cannot write {path}: {reason}").format(
                path=repr(str(path)), reason=exc.strerror or exc
            )
        ) from None


def title(what: str, after: str | None, before: str | None, names: list[str]) -> str:
    """A chart's title from a list command's filters: 'Timeline, 1920 – 1922: Kollontai'."""
    from ..dates import display

    head = what
    if after and before:
        head += f", {display(after)} \N{EN DASH} {display(before)}"
    elif after:
        head += ", " + _("from {date}").format(date=display(after))
    elif before:
        head += ", " + _("until {date}").format(date=display(before))
    return f"{head}: {', '.join(names)}" if names else head
