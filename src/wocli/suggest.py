"""The id a mistyped reference probably meant: 'workers-oposition' -> 'workers-opposition'."""

from __future__ import annotations

from collections.abc import Callable, Iterable

SIMILAR = 80
"""How alike (rapidfuzz's ratio, 0-100) a known id must be to be suggested; 'workers-oposition'
and 'workers-opposition' score 97, 'kollontai' and 'kolontay' 82, 'wo' and 'rkp' 0."""

Near = Callable[[str, tuple[str, ...]], str | None]
"""(a missing id, the plural kinds it may name) -> the known id it probably meant, or None."""


def near_ids(known: Iterable[tuple[str, str]]) -> Near:
    """A finder of near ids among `known` (id, plural kind) pairs, read only when first asked:
    a base with no dangling reference never pays for it."""
    by_kind: dict[str, list[str]] | None = None

    def near(rid: str, kinds: tuple[str, ...]) -> str | None:
        nonlocal by_kind
        from rapidfuzz import fuzz, process

        if by_kind is None:
            by_kind = {}
            for known_id, kind in known:
                by_kind.setdefault(kind, []).append(known_id)
        choices = [i for kind in kinds for i in by_kind.get(kind, ())]
        best = process.extractOne(rid, choices, scorer=fuzz.ratio, score_cutoff=SIMILAR)
        return str(best[0]) if best else None

    return near
