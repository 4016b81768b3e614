"""Snapshots of the explorer (pytest-textual-snapshot): SVGs under __snapshots__, looked at by eye.

They show a fixed base (tests/fixtures/mini.toml in place of the bundled facts), so rewording the
bundled summaries does not change them; a change of layout does. After a deliberate change, run
`pytest tests/test_browse_snapshots.py --snapshot-update` and look at the new pictures.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import FIXTURES

SIZES = [(80, 24), (120, 40)]
Compare = Callable[..., bool]


def fixed_explorer(query: str | None = None) -> object:
    from wocli.browse import places
    from wocli.browse.app import BrowseApp
    from wocli.finder import Finder
    from wocli.store import load

    base = load([], bundled=FIXTURES / "mini.toml")
    start = places.record(query) if query else places.HOME
    return BrowseApp(base, Finder(base), start, start_group="wo")


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)  # the pictures as a terminal shows them


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_start_page(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(fixed_explorer(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_person_page(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(fixed_explorer("shlyapnikov"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_search_list(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(fixed_explorer(), press=["slash", *"mosc"], terminal_size=size)
