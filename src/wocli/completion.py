"""Shell completion of record ids: quick, and silent when anything goes wrong."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .errors import WocliError
from .model import KIND_PLURAL
from .spelling import normalize


def candidates(kind: str, incomplete: str, data: Sequence[Path] = ()) -> list[tuple[str, str]]:
    """(id, name) of records of `kind` whose id or name starts with what was typed."""
    from .store import load, overlay_paths

    try:
        base = load(overlay_paths([str(p) for p in data]))
    except WocliError:
        return []
    typed = normalize(incomplete)
    return sorted(
        (rid, name)
        for rid, name in base.names(KIND_PLURAL[kind])
        if rid.startswith(incomplete) or normalize(name).startswith(typed)
    )
