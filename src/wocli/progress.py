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


def counted(items: Iterable[T], total: int, label: str, step: int = 1) -> Iterator[T]:
    """`items`, unchanged; a display of how many have gone by once that takes over DELAY.

    Each item counts `step` times: one process's share of a build done by several at the same
    pace (see shards) stands for all of it."""
    if _factory is None:
        yield from items
        return
    start = time.monotonic()
    display: Display | None = None
    try:
        for done, item in enumerate(items, 1):
            if done % _EVERY == 0:
                if display is None and time.monotonic() - start > DELAY:
                    display = _factory(label, total)
                if display is not None:
                    display.update(min(done * step, total))
            yield item
    finally:
        if display is not None:
            display.close()
