"""The progress bar of a long build (see wocli.progress), on stderr."""

from __future__ import annotations

from .output import console
from .safe import clean


class Bar:
    """A rich progress bar: what is being built, records done of all, time left."""

    def __init__(self, label: str, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task(shortened(clean(label)), total=total or None)
        self._progress.start()

    def update(self, done: int) -> None:
        self._progress.update(self._task, completed=done)

    def close(self) -> None:
        self._progress.stop()


LABEL = 36
"""Characters of a label beside the bar, which leaves it room on an 80-column terminal."""


def shortened(label: str) -> str:
    """`label` in LABEL characters: a long one ("Reading /a/long/path/mine.toml") keeps its first
    word, which says what is done, and its end, which says to which file."""
    if len(label) <= LABEL:
        return label
    verb, _, rest = label.partition(" ")
    keep = LABEL - len(verb) - 2  # the space and the ellipsis
    if not rest or keep < 12:  # no room for the verb and a file name
        return "…" + label[-(LABEL - 1) :]
    return f"{verb} …{rest[-keep:]}"
