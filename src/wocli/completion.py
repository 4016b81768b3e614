"""Shell completion of record ids: quick, and silent when anything goes wrong."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .errors import WocliError
from .search import normalize


def candidates(kind: str, incomplete: str, data: Sequence[Path] = ()) -> list[tuple[str, str]]:
    """(id, name) of records of `kind` whose id or name starts with what was typed."""
    from .store import load, overlay_paths

    try:
        base = load(overlay_paths([str(p) for p in data]))
    except WocliError:
        return []
    typed = normalize(incomplete)
    found = []
    for rec in base.all():
        if rec.kind != kind:
            continue
        if rec.id.startswith(incomplete) or normalize(rec.name).startswith(typed):
            found.append((rec.id, rec.name))
    return sorted(found)
