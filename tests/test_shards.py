"""The search index built by several processes at once: the same index, row for row, as one
process builds; a worker that fails costs only time; Ctrl-C leaves nothing behind."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from wocli import cache, forking, progress, search, shards
from wocli.search import INDEX_SCHEMA, SearchIndex
from wocli.store import FactBase, load

# Tests here fork children though earlier tests left threads (datasette's, idle): see
# _children_that_succeeded. Python 3.12+ warns of any fork from such a process.
pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning"
)

SURNAMES = ["Petrov", "Ivanov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Lebedev"]
SURNAMES_RU = ["Петров", "Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедев"]


def _overlay(tmp_path: Path, n: int) -> Path:
    """`n` people with names of their own and Russian names shared by many, as readers' are."""
    lines = []
    for i in range(n):
        j = i % len(SURNAMES)
        lines += [
            f"[people.reader-{i}]",
            f'name = "Anna {SURNAMES[j]}{i}"',
            f'name_ru = "Анна Ивановна {SURNAMES_RU[j]}"',
            f'aliases = ["A. {SURNAMES[j]}{i}"]',
            f'born = "{1870 + i % 30}"',
            'roles = ["delegate to the 10th Congress"]',
            'summary = "A reader\'s note."',
            'sources = [{ work = "wikipedia-workers-opposition" }]',
            "",
        ]
    path = tmp_path / "readers.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _indexed(base: FactBase, path: Path, workers: int) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript(INDEX_SCHEMA)
    shards.fill_base(db, base, "Building the search index", workers=workers, min_records=0)
    return db


def _tables(db: sqlite3.Connection) -> dict[str, list[Any]]:
    # Blocks are written in parts as they fill up, which may fall elsewhere: compare which
    # tokens each key files, in order.
    blocks: dict[tuple[int, str], list[str]] = {}
    for space, key, _part, tokens in db.execute("SELECT * FROM search_blocks ORDER BY 1, 2, 3"):
        blocks.setdefault((space, key), []).extend(tokens.split("\n"))
    tables: dict[str, list[Any]] = {"blocks": sorted(blocks.items())}
    for table, order in [
        ("search_meta", "key"),
        ("search_records", "rec"),
        ("search_tokens", "space, token"),
        ("search_exact", "rowid"),
    ]:
        tables[table] = db.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    return tables


@pytest.fixture
def readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FactBase:
    """The bundled base and 400 readers' people, built in many runs and parts, as a large base
    is."""
    monkeypatch.setattr(search, "RUN_TOKENS", 900)
    monkeypatch.setattr(search, "BLOCK_TOKENS", 500)
    monkeypatch.setattr(search, "BATCH", 50)
    monkeypatch.setattr(search, "CACHE_RECORDS", 70)
    return load([_overlay(tmp_path, 400)])


def _children_that_succeeded(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What each forked child's `succeeded()` said, as the build goes. Children are forked even
    though earlier tests left threads in this process (datasette's, which wait idle on their
    queues): wocli itself forks no child from a process running threads."""
    monkeypatch.setattr(forking, "threaded", lambda: False)
    said: list[bool] = []
    succeeded = forking.Child.succeeded

    def recorded(child: forking.Child) -> bool:
        said.append(succeeded(child))
        return said[-1]

    monkeypatch.setattr(forking.Child, "succeeded", recorded)
    return said


def test_an_index_built_in_shards_is_the_index_one_process_builds(
    readers: FactBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = _children_that_succeeded(monkeypatch)
    one = _indexed(readers, tmp_path / "one.sqlite", workers=1)
    three = _indexed(readers, tmp_path / "three.sqlite", workers=3)
    assert said == [True, True]  # the two shards after the parent's were the children's
    assert len(_tables(one)["search_records"]) == 157 + 400
    assert _tables(three) == _tables(one)
    index = SearchIndex(three)
    assert index.search("Ana Petrov357")[0].id == "reader-357"  # a worker's shard, fuzzily
    assert index.search("shlapnikov")[0].id == "shlyapnikov"  # the parent's
    assert {h.id for h in index.search("Анна Смирнова", limit=100)} >= {"reader-2", "reader-394"}


def test_a_worker_that_fails_costs_only_time(
    readers: FactBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _indexed(readers, tmp_path / "one.sqlite", workers=1)
    said = _children_that_succeeded(monkeypatch)
    # A worker that cannot open the base (removed meanwhile, say) ends with exit code 1.
    monkeypatch.setattr(cache, "open_cached", lambda *args: None)
    three = _indexed(readers, tmp_path / "three.sqlite", workers=3)
    assert said == [False, False]
    assert _tables(three) == _tables(one)


def test_a_process_running_other_threads_forks_no_child(
    readers: FactBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    def no_fork() -> int:
        raise AssertionError("forked")

    one = _indexed(readers, tmp_path / "one.sqlite", workers=1)
    monkeypatch.setattr(os, "fork", no_fork)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # as the explorer's threads are
    other.start()
    try:
        assert forking.processes() == 1
        three = _indexed(readers, tmp_path / "three.sqlite", workers=3)  # the parent does all
    finally:
        stop.set()
        other.join()
    assert _tables(three) == _tables(one)


def _shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, list[int]]]:
    """What the build shows from now on, display by display: its label, total and counts."""
    shown: list[tuple[str, int, list[int]]] = []

    class Display:
        def __init__(self, label: str, total: int) -> None:
            self.seen: list[int] = []
            shown.append((label, total, self.seen))

        def update(self, done: int) -> None:
            self.seen.append(done)

        def close(self) -> None:
            pass

    monkeypatch.setattr(progress, "DELAY", -1.0)
    monkeypatch.setattr(progress, "_EVERY", 50)
    progress.install(Display)
    return shown


@pytest.mark.parametrize("fail", [False, True])
def test_progress_counts_every_shard_then_shows_the_merge(
    readers: FactBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: bool
) -> None:
    said = _children_that_succeeded(monkeypatch)
    if fail:  # the parent does the children's shards itself, counted all the same
        monkeypatch.setattr(cache, "open_cached", lambda *args: None)
    shown = _shown(monkeypatch)
    try:
        _indexed(readers, tmp_path / "three.sqlite", workers=3)
    finally:
        progress.install(None)
    assert said == [not fail, not fail]
    (label, total, seen), merging = shown
    # Every record of every shard counted, though the parent indexed well under half itself.
    assert (label, total, seen[-1]) == ("Building the search index", 557, 557)
    # Shown as it went: first once the parent had done 50 of its 185 (so at most 50 + 372), and
    # only ever up. How far the children were by then depends on the machine's load.
    assert seen == sorted(seen) and seen[0] <= 50 + 557 - 557 // 3 < seen[-1]
    # Then the shards taken in, one step each, and one step a space of tokens filed.
    assert merging == ("Merging the search index", 5, [0, 1, 2, 3, 4, 5])


def test_small_bases_and_bases_in_memory_are_indexed_in_one_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    base = load()
    small = sqlite3.connect(tmp_path / "small.sqlite")
    small.executescript(INDEX_SCHEMA)
    shards.fill_base(small, base, "x", workers=4)  # 157 records, fewer than MIN_RECORDS
    # An index in memory: the cache folder could not be used, so workers could not either.
    in_memory = sqlite3.connect(":memory:")
    in_memory.executescript(INDEX_SCHEMA)
    shards.fill_base(in_memory, base, "x", workers=4, min_records=0)
    for db in (small, in_memory):
        assert SearchIndex(db).search("kolontai")[0].id == "kollontai"


class _InterruptedJoin(sqlite3.Connection):
    """A connection where Ctrl-C comes just as a shard's tokens have been joined in, the shard
    still attached and its statement's transaction open."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        cursor = super().execute(sql, *args)
        if sql.startswith("INSERT INTO search_tokens SELECT"):
            raise KeyboardInterrupt
        return cursor


def test_ctrl_c_while_a_shard_is_taken_in_is_not_hidden_by_the_shard_still_locked(
    readers: FactBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hidden behind "database shard is locked", it made the cache build the index again in
    # memory, in one process, instead of ending.
    _children_that_succeeded(monkeypatch)
    db = sqlite3.connect(tmp_path / "two.sqlite", factory=_InterruptedJoin)
    db.executescript(INDEX_SCHEMA)
    with pytest.raises(KeyboardInterrupt):
        shards.fill_base(db, readers, "x", workers=2, min_records=0)


SLOW_BUILD = """
import sys, time
from wocli import search, shards
shards.MIN_RECORDS = 0
shards.ORPHAN_CHECK = 5
from wocli import forking
forking.processes = lambda: 3
added = search.Builder.add
def slowly(self, record):
    time.sleep(0.02)
    added(self, record)
search.Builder.add = slowly
from wocli.entry import main
sys.argv = ["wocli", "search", "shlapnikov"]
main()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="shards fork on Linux only")
def test_ctrl_c_stops_every_worker_and_leaves_no_files(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    marker = str(tmp_path / "slow_build.py")  # in every worker's command line too
    Path(marker).write_text(SLOW_BUILD, encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, marker], env=env, capture_output=True, timeout=60)
    first = done.stdout.splitlines()[2].split()  # under the heading and its rule
    assert (done.returncode, first[0], b"shlyapnikov" in first) == (0, b"person", True)
    # A new cache folder: the index is built again, and interrupted.
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache2")
    run = subprocess.Popen(
        [sys.executable, marker],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    deadline = time.monotonic() + 30
    while not any(tmp.iterdir()) and time.monotonic() < deadline:  # the workers' folder
        time.sleep(0.05)
    time.sleep(0.3)
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
    out, err = run.communicate(timeout=30)
    assert (run.returncode, out, err) == (130, b"", b"Interrupted.\n")
    assert list(tmp.iterdir()) == []
    left = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _runs(p, marker)]
    assert left == []
    assert not list((tmp_path / "cache2" / "wocli").glob("*search*"))


def _runs(proc: Path, marker: str) -> bool:
    try:
        return marker.encode() in (proc / "cmdline").read_bytes()
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="shards fork on Linux only")
def test_workers_whose_parent_is_killed_stop_and_clear_up(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    marker = str(tmp_path / "slow_build.py")
    Path(marker).write_text(SLOW_BUILD, encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = subprocess.Popen([sys.executable, marker], env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not any(tmp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    run.kill()  # SIGKILL: the parent runs no clean-up of its own
    run.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (
        any(tmp.iterdir()) or any(_runs(p, marker) for p in Path("/proc").iterdir())
    ):
        time.sleep(0.1)
    assert list(tmp.iterdir()) == []
    assert not [p for p in Path("/proc").iterdir() if p.name.isdigit() and _runs(p, marker)]
