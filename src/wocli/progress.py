"""Progress of long builds (a large overlay read, a search index built), for whoever shows it.

The core only counts: `counted(items, total, label)` passes items through and, once a build has
taken over a second, tells the display installed with `install` (the command line installs a
rich progress bar on stderr when stderr is a terminal; nothing is shown otherwise). A build
that finishes within the second shows nothing at all, and costs two clock reads per batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")

DELAY = 1.0
"""Seconds a build runs before its progress is shown."""
_EVERY = 512
"""Items between two looks at the clock."""


class Display(Protocol):
    def update(self, done: int) -> None: ...

    def close(self) -> None: ...


Factory = Callable[[str, int], Display]
"""Opens a display for a build: its label and its total."""

_factory: Factory | None = None


def install(factory: Factory | None) -> None:
    """Show the progress of long builds with `factory` (None: show nothing)."""
    global _factory
    _factory = factory


def counted(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    """`items`, unchanged; a display of how many have gone by once that takes over DELAY."""
    if _factory is None:
        yield from items
        return
    meter = Meter(total, label)
    try:
        yield from meter.counted(items)
    finally:
        meter.close()


class Meter:
    """The progress of a build whose count is not one iterable's: several processes' counts
    added up (see shards), or phases one after another, each with its label and total. Shown,
    as `counted` shows it, once the build has taken over DELAY; a later phase at once, then."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label = total, label
        self.start = time.monotonic()
        self.display: Display | None = None

    def counted(self, items: Iterable[T], others: Callable[[], int] = lambda: 0) -> Iterator[T]:
        """`items`, unchanged, each counted as done as it goes by, with the `others()` that
        others have done meanwhile."""
        if _factory is None:
            yield from items
            return
        for done, item in enumerate(items, 1):
            if done % _EVERY == 0:
                self.show(done + others())
            yield item

    def show(self, done: int) -> None:
        """`done` of the phase's total are done: shown if the build has taken over DELAY."""
        if _factory is None:
            return
        if self.display is None:
            if time.monotonic() - self.start <= DELAY:
                return
            self.display = _factory(self.label, self.total)
        self.display.update(min(done, self.total))

    def phase(self, label: str, total: int) -> None:
        """Go on to the build's next phase, `label`, of `total` steps (none done yet)."""
        self.close()
        self.label, self.total = label, total
        self.show(0)

    def close(self) -> None:
        """Take the display away (the build is over, or its phase)."""
        if self.display is not None:
            self.display.close()
            self.display = None
