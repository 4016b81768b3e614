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
        label = clean(label)
        if len(label) > 36:  # a long path: its end says which file it is
            label = "…" + label[-35:]
        self._task = self._progress.add_task(label, total=total or None)
        self._progress.start()

    def update(self, done: int) -> None:
        self._progress.update(self._task, completed=done)

    def close(self) -> None:
        self._progress.stop()
