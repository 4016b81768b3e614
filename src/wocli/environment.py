"""What one run of wocli works with: the overlay files it was given and what it loaded from them.

The runner makes one `Environment` per run and typer hands it to every command as
`ctx.obj` (httpie's `Environment` is the model): commands ask it for the fact base and the
finder instead of reaching for globals, and a test can pass its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from .finder import Finder
    from .store import FactBase


class Environment:
    """The overlays of this run, and the base and finder loaded from them once asked for.

    A plain class: a dataclass would cost every command half a millisecond to define."""

    def __init__(self, data: tuple[str | Path, ...] = ()) -> None:
        self.data = data
        self._base: FactBase | None = None
        self._finder: Finder | None = None

    def base(self, names: bool = False) -> FactBase:
        """The bundled base merged with this run's overlays (WOCLI_DATA, then --data); `names`
        if the exact-name table will be needed (see store.load)."""
        if self._base is None:
            from .store import load, overlay_paths

            self._base = load(overlay_paths([str(p) for p in self.data]), names=names)
        return self._base

    def finder(self, base: FactBase | None = None) -> Finder:
        """Exact and fuzzy search over `base` (this run's base unless another is given)."""
        from .finder import Finder

        if base is not None and base is not self._base:
            return Finder(base)
        if self._finder is None:
            self._finder = Finder(self.base())
        return self._finder
