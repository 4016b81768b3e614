"""The compiled cache: reused when nothing changed, rebuilt when anything did, never a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wocli import cache
from wocli.errors import DataError
from wocli.store import load

from conftest import FIXTURES, write

MINI = FIXTURES / "mini.toml"
PERSON = """
[people.ivanov]
name = "{name}"
summary = "A test person."
sources = [{{ work = "article" }}]
"""


@pytest.fixture
def base_file(tmp_path: Path) -> Path:
    copy = tmp_path / "facts.toml"
    copy.write_bytes(MINI.read_bytes())
    return copy


def cache_files() -> list[Path]:
    """The compiled bases in the cache (not the search indexes beside them)."""
    return sorted(p for p in cache.folder().glob("facts-*.sqlite") if p.suffixes == [".sqlite"])


def test_second_load_is_served_from_the_cache(
    base_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(bundled=base_file)
    assert len(cache_files()) == 1

    def no_parsing(*args: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr("wocli.factfile.read", no_parsing)
    base = load(bundled=base_file)
    assert base.get("shlyapnikov") is not None
    assert [p.id for p in base.members("wo")] == ["kollontai", "shlyapnikov"]  # by surname


def test_a_changed_overlay_is_seen(base_file: Path, tmp_path: Path) -> None:
    overlay = write(tmp_path, PERSON.format(name="Ivan Ivanov"))
    first = load([overlay], bundled=base_file).get("ivanov")
    assert first is not None and first.name == "Ivan Ivanov"
    overlay.write_text(PERSON.format(name="Ivan Petrovich Ivanov"), encoding="utf-8")
    second = load([overlay], bundled=base_file).get("ivanov")
    assert second is not None and second.name == "Ivan Petrovich Ivanov"


def test_a_changed_bundled_file_is_seen(base_file: Path) -> None:
    load(bundled=base_file)
    base_file.write_text(
        base_file.read_text(encoding="utf-8").replace("Led the opposition.", "Changed."),
        encoding="utf-8",
    )
    rec = load(bundled=base_file).get("shlyapnikov")
    assert rec is not None and rec.summary == "Changed."


def test_a_new_version_does_not_reuse_the_cache(
    base_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cache.key([base_file])
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache.key([base_file]) != before


def test_an_invalid_overlay_is_never_cached(base_file: Path, tmp_path: Path) -> None:
    overlay = write(tmp_path, "[people.x]\nname = 3\n")
    for _ in range(2):  # the second time must fail the same way, not find a cache
        with pytest.raises(DataError):
            load([overlay], bundled=base_file)
    assert cache_files() == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # truncated
        lambda p: p.write_bytes(b"garbage" * 1000),  # not a database
        lambda p: p.write_bytes(b""),  # empty
        lambda p: p.write_bytes(p.read_bytes()[:100] + b"\0" * (len(p.read_bytes()) - 100)),
    ],
    ids=["truncated", "garbage", "empty", "zeroed"],
)
def test_a_damaged_cache_is_detected_and_rebuilt(base_file: Path, damage: object) -> None:
    load(bundled=base_file)
    (path,) = cache_files()
    damage(path)  # type: ignore[operator]
    rec = load(bundled=base_file).get("kollontai")
    assert rec is not None and rec.name == "Alexandra Kollontai"
    assert cache.open_cached(cache.key([base_file]) or "") is not None  # whole again


def test_a_file_where_the_cache_folder_should_be(
    base_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    rec = load(bundled=base_file).get("shlyapnikov")
    assert rec is not None


def test_an_unwritable_cache_folder_means_building_in_memory(
    base_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)  # what a read-only folder does, even as root
    rec = load(bundled=base_file).get("shlyapnikov")
    assert rec is not None
    assert cache_files() == []


def test_several_processes_building_at_once_leave_one_good_cache(
    base_file: Path, tmp_path: Path
) -> None:
    overlay = write(tmp_path, PERSON.format(name="Ivan Ivanov"))
    script = (
        "import sys; from pathlib import Path; from wocli.store import load; "
        "b = load([Path(sys.argv[1])], bundled=Path(sys.argv[2])); "
        "print(b.get('ivanov').name, len(b))"
    )
    env = {**os.environ}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(overlay), str(base_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(6)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, results
    assert {out for out, _ in results} == {"Ivan Ivanov 11\n"}
    key = cache.key([base_file, overlay])
    assert key is not None and cache.open_cached(key) is not None
    assert not list(cache.folder().glob(".facts-*.tmp"))


def test_exact_queries_need_no_search_index(
    base_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wocli.finder import Finder

    def no_index(*args: object) -> None:
        raise AssertionError("the fuzzy index was built for an exact query")

    monkeypatch.setattr("wocli.search.SearchIndex.__init__", no_index)
    finder = Finder(load(bundled=base_file))
    assert [h.id for h in finder.exact("Шляпников", kind="person")] == []  # not a full name
    assert [h.id for h in finder.exact("Alexander Shlyapnikov")] == ["shlyapnikov"]
    assert [(h.id, h.matched) for h in finder.exact("platform 10")] == [("p10", "alias")]


def _index_files() -> list[Path]:
    from wocli.finder import index_suffix

    return sorted(cache.folder().glob(f"facts-*{index_suffix()}"))


def test_the_search_index_is_built_once_and_kept(
    base_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wocli import search
    from wocli.finder import Finder

    assert Finder(load(bundled=base_file)).search("shlapnikov")[0].id == "shlyapnikov"
    (index,) = _index_files()
    fill = search.fill

    def no_build(*args: object) -> None:
        raise AssertionError("the index was built again")

    monkeypatch.setattr(search, "fill", no_build)
    assert Finder(load(bundled=base_file)).search("kolontai")[0].id == "kollontai"

    monkeypatch.setattr(search, "fill", fill)
    for damage in (b"garbage" * 100, index.read_bytes()[:4096]):  # foreign, truncated
        index.write_bytes(damage)
        assert Finder(load(bundled=base_file)).search("kolontai")[0].id == "kollontai"
        assert _index_files() == [index]
        assert index.read_bytes().startswith(b"SQLite format 3\0")  # rebuilt whole
        assert len(index.read_bytes()) > 4096


def test_damage_found_while_searching(base_file: Path) -> None:
    import sqlite3

    from wocli.finder import Finder

    Finder(load(bundled=base_file)).search("shlapnikov")
    (index,) = _index_files()
    with sqlite3.connect(index) as db:  # still a whole database, but not what wocli wrote
        db.execute("DROP TABLE search_blocks")
    with pytest.raises(DataError) as caught:
        Finder(load(bundled=base_file)).search("shlapnikov")
    assert "search index was damaged" in caught.value.problems[0]
    assert _index_files() == [] and cache_files() == []  # removed, to be rebuilt
    assert Finder(load(bundled=base_file)).search("shlapnikov")[0].id == "shlyapnikov"


def test_pruning_keeps_each_base_with_its_index(base_file: Path, tmp_path: Path) -> None:
    from wocli.finder import Finder

    Finder(load(bundled=base_file)).search("shlapnikov")
    for i in range(cache.KEEP + 2):  # more sets of overlays than are kept
        overlay = tmp_path / f"o{i}.toml"
        overlay.write_text("", encoding="utf-8")
        Finder(load([overlay], bundled=base_file)).search("shlapnikov")
    bases, indexes = cache_files(), _index_files()
    assert len(bases) == len(indexes) == cache.KEEP
    assert {p.name.split(".")[0] for p in bases} == {p.name.split(".")[0] for p in indexes}


def test_damage_found_while_reading_a_record(base_file: Path) -> None:
    import sqlite3

    load(bundled=base_file)
    (path,) = cache_files()
    db = sqlite3.connect(path)
    db.execute("UPDATE records SET data = x'00ff00' WHERE id = 'shlyapnikov'")
    db.commit()
    db.close()
    with pytest.raises(DataError) as info:
        load(bundled=base_file).get("shlyapnikov")
    assert info.value.problems == [
        "wocli's cache was damaged and has been removed: run the command again"
    ]
    assert cache_files() == []
    rec = load(bundled=base_file).get("shlyapnikov")
    assert rec is not None and rec.name == "Alexander Shlyapnikov"


def test_an_index_of_an_earlier_layout_goes_when_the_new_one_is_built(base_file: Path) -> None:
    from wocli.finder import Finder

    base = load(bundled=base_file)
    (compiled,) = cache.folder().glob("facts-*.sqlite")
    old = compiled.with_name(compiled.stem + ".search-v1.sqlite")
    old.write_bytes(b"SQLite format 3\0" + bytes(4096))  # as large as an index once was
    exact = compiled.with_name(compiled.stem + cache.EXACT)
    exact.write_bytes(b"kept")  # another companion: not an index
    assert Finder(base).search("shlapnikov")[0].id == "shlyapnikov"
    assert not old.exists()
    assert exact.read_bytes() == b"kept"
    assert len(_index_files()) == 1
