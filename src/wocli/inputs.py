"""Which files make up the fact base: the bundled one, then the overlays, each once.

Kept apart from `store` so that shell completion can find the compiled base without loading
the record classes (see completion.answer). Without pathlib where a lookup passes (its import
costs ~3 ms): files are strs here; a Path is made only to compile them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

ENV_VAR = "WOCLI_DATA"


def bundled_path() -> str:
    """The fact base shipped in the wheel, or the repository's copy when run from a checkout."""
    packaged = os.path.join(os.path.dirname(__file__), "data", "facts.toml")
    if os.path.isfile(packaged):
        return packaged
    checkout = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    return os.path.join(checkout, "data", "facts.toml")


def overlay_paths(cli_paths: Sequence[str] = ()) -> list[str]:
    """Overlays in merge order: those from WOCLI_DATA, then those given with --data."""
    from_env = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    named = [*from_env, *cli_paths]
    return _once(named)


def _once(paths: list[str]) -> list[str]:
    """Each file once, where it first comes: one named in WOCLI_DATA and again with --data (or
    to `wocli check`) is one overlay, not two that clash on every id."""
    seen: set[str] = set()
    out = []
    for path in paths:
        try:
            same = os.path.realpath(path)
        except (OSError, ValueError):
            same = path
        if same not in seen:
            seen.add(same)
            out.append(path)
    return out
