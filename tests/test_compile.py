"""Compiling a fact base fast (issue 19): the exact-name keys worked out from raw tables with one
word memo for the whole base are the keys the search index gives the same records."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from wocli import forking, spelling, store
from wocli.finder import Finder
from wocli.model import naming
from wocli.search import SearchIndex, exact_keys
from wocli.spelling import Memo
from wocli.store import load
from wocli.validate import check_record

from conftest import FIXTURES, write

# Tests here fork children though earlier tests left threads (datasette's, idle): see
# two_processes. Python 3.12+ warns of any fork from such a process.
pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning"
)

PERSON = {
    "name": "Alexander Gavrilovich Shlyapnikov",
    "aliases": ["Shlyapnikov", "A. G. Shlyapnikov", "alexander gavrilovich shlyapnikov"],
    "name_ru": "Александр Гаврилович Шляпников",
    "summary": "x",
    "sources": [{"work": "article"}],
}


def test_exact_keys_of_a_person_from_its_raw_table() -> None:
    assert exact_keys("shlyapnikov", naming("people", PERSON), Memo()) == [
        ("shlyapnikov", "id"),
        ("alexander gavrilovich shlyapnikov", "name"),  # its alias in lower case: counted once
        ("a g shlyapnikov", "alias"),
        ("александр гаврилович шляпников", "name_ru"),
    ]


def test_exact_keys_of_a_work_are_its_titles() -> None:
    raw = {
        "csl": {"title": "The Tenth Congress", "title-short": "X Congress", "type": "book"},
        "aliases": ["tenth congress"],
        "sources": [{"work": "article"}],
    }
    assert exact_keys("twenty-two-x", naming("works", raw), Memo()) == [
        ("22 10", "id"),  # an id's words are numbers too
        ("the 10 congress", "name"),  # a work is named by its title
        ("10 congress", "alias"),  # the short title gives the same key: counted once
    ]


def test_a_shared_memo_gives_each_text_its_own_key() -> None:
    memo = Memo()
    texts = ["two", "Twenty", "twenty two", "20 two", "two twenty-two", "XX Two", "V. I. Lenin"]
    assert [" ".join(memo.literal(t)) for t in texts] == [
        "2", "20", "22", "22", "2 22", "22", "v i lenin"
    ]  # fmt: skip
    assert [" ".join(memo.literal(t)) for t in reversed(texts)] == [  # all words known now
        "v i lenin", "22", "2 22", "22", "22", "20", "2"
    ]  # fmt: skip


def test_a_full_memo_starts_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spelling, "MEMO_WORDS", 3)
    memo = Memo()
    keys = [" ".join(memo.literal(f"word{i} Ten Kollontaï")) for i in range(5)]
    assert keys == [f"word{i} 10 kollontai" for i in range(5)]
    assert len(memo._literal) <= 3


@pytest.mark.parametrize(
    "split", ["one", "two", "alongside"], ids=["one process", "two processes", "while compiled"]
)
@pytest.mark.parametrize("base_file", [None, FIXTURES / "mini.toml"], ids=["bundled", "mini"])
def test_compiled_exact_names_are_the_index_exact_names(
    base_file: Path | None, split: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if split == "two":  # a large base's names are worked out by a forked child too (on Linux)
        load(bundled=base_file)  # compiled as a small base: names left for the first query
        two_processes(monkeypatch)
    elif split == "alongside":  # ... or while it is compiled
        two_processes(monkeypatch)
    base = load(bundled=base_file, names=split == "alongside")
    if split == "alongside" and sys.platform.startswith("linux"):
        assert base._names is not None  # worked out already
    finder = Finder(base)
    index = SearchIndex.of(base.all())
    texts = set()
    for record in base.all():
        texts.update([record.id, record.name, *record.aliases])
        texts.add(record.id.replace("-", " ").upper())
        if record.name_ru:
            texts.add(record.name_ru)
    assert len(texts) > 100 if base_file is None else len(texts) > 5
    for text in sorted(texts):
        compiled = [(h.kind, h.id, h.matched) for h in finder.exact(text)]
        indexed = [(h.kind, h.id, h.matched) for h in index.exact(text)]
        assert compiled == indexed, text
        assert compiled, text


def test_a_replaced_record_is_found_by_its_new_names_only(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        '[people.shlyapnikov]\nreplace = true\nname = "A. Shliapnikov"\n'
        'aliases = ["Twenty Two"]\nsummary = "S"\nsources = [{ work = "article" }]\n',
    )
    finder = Finder(load([overlay], bundled=FIXTURES / "mini.toml"))
    assert [(h.id, h.matched) for h in finder.exact("a shliapnikov")] == [("shlyapnikov", "name")]
    assert [(h.id, h.matched) for h in finder.exact("22")] == [("shlyapnikov", "alias")]
    assert finder.exact("Alexander Shlyapnikov") == []


def names_files() -> list[Path]:
    from wocli import cache

    return sorted(cache.folder().glob(f"facts-*{cache.EXACT}"))


def test_the_exact_names_are_worked_out_at_the_first_query_by_name(cli: Any) -> None:
    assert cli("person", "shlyapnikov").code == 0  # an id: no names needed
    assert cli("check").code == 0
    assert names_files() == []
    assert cli("person", "Alexander Shlyapnikov", "--json").code == 0
    (built,) = names_files()
    stamp = built.stat().st_mtime_ns
    assert json.loads(cli("person", "a. g. shlyapnikov", "--json").out)["id"] == "shlyapnikov"
    assert names_files() == [built] and built.stat().st_mtime_ns == stamp  # kept, not rebuilt


def test_damaged_exact_names_are_rebuilt(cli: Any) -> None:
    assert cli("person", "Alexander Shlyapnikov").code == 0
    (built,) = names_files()
    built.write_bytes(built.read_bytes()[: built.stat().st_size // 2])  # truncated
    result = cli("person", "Alexander Shlyapnikov", "--json")
    assert result.code == 0
    assert json.loads(result.out)["id"] == "shlyapnikov"


def test_working_out_the_exact_names_shows_its_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    from wocli import progress

    shown: list[tuple[str, int]] = []
    seen: list[int] = []

    class Display:
        def __init__(self, label: str, total: int) -> None:
            shown.append((label, total))

        def update(self, done: int) -> None:
            seen.append(done)

        def close(self) -> None:
            pass

    base = load(bundled=FIXTURES / "mini.toml")
    monkeypatch.setattr(progress, "DELAY", -1.0)
    monkeypatch.setattr(progress, "_EVERY", 1)
    progress.install(Display)
    try:
        assert [rid for _k, rid, _n, _f in base.exact("alexander shlyapnikov")] == ["shlyapnikov"]
    finally:
        progress.install(None)
    assert shown == [("Indexing names", len(base))]
    assert seen == list(range(1, len(base) + 1))


READER = {
    "name": "Grigoriy Dyuykhyanev",
    "name_ru": "Григорий Дюйхянев",
    "aliases": ["Dyuykhyanev"],
    "born": "1891",
    "roles": ["metalworker"],
    "roles_ru": ["металлист"],
    "summary": "A metalworker.",
    "sources": [{"work": "article", "locator": "para. 1"}],
}


def test_a_plain_record_is_valid() -> None:
    assert check_record("x.toml: people.reader-0", "people", "reader-0", READER) == []


W = "x.toml: people.reader-0"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"aliases": ["Dyuykhyanev", " "]}, f"{W}.aliases: item 2 must not be empty"),
        ({"aliases": "Dyuykhyanev"}, f"{W}.aliases: must be an array of strings, not a string"),
        ({"born": "1891-13"}, f"{W}.born: "),  # the date's own message follows
        ({"born": 1891}, f"{W}.born: must be a string, not an integer"),
        ({"roles_ru": ["один", "два"]}, f"{W}.roles_ru: must have one item for each of the 1 in "),
        (
            {"roles": None, "roles_ru": ["один"]},
            f"{W}.roles_ru: translates roles, which is not set",
        ),
        ({"summary": None}, f"{W}.summary: missing"),
        ({"sources": []}, f"{W}.sources: must be a non-empty array of "),
        ({"sources": [{"locator": "p. 1"}]}, f"{W}.sources[1].work: missing"),
        ({"sources": [{"work": "article", "page": "1"}]}, f"{W}.sources[1].page: unknown field"),
        ({"sources": [{"work": "article", "note_ru": "н"}]}, f"{W}.sources[1].note_ru: translates"),
        ({"sources": [{"work": ""}]}, f"{W}.sources[1].work: must not be empty"),
        ({"party": "rcp"}, f"{W}.party: unknown field"),
        ({"replace": "yes"}, f"{W}.replace: must be true or false, not a string"),
        ({"general_reference": ["born"]}, None),  # a mark of a field that is there: valid
        ({"general_reference": ["died"]}, f"{W}.general_reference: 'died': "),
        ({"general_reference": ["aliases:Dyuykhyanev", "name_ru"]}, None),
        ({"general_reference": ["aliases:Nobody"]}, f"{W}.general_reference: 'aliases:Nobody': "),
        ({"general_reference": ["born:1891"]}, f"{W}.general_reference: 'born:1891': "),
        ({"general_reference": ["sources"]}, f"{W}.general_reference: 'sources': "),
        ({"general_reference": ["party"]}, f"{W}.general_reference: 'party': "),
        ({"general_reference": [" "]}, f"{W}.general_reference: item 1 must not be empty"),
    ],
)
def test_a_record_almost_plain_has_its_problem_found(
    change: dict[str, Any], problem: str | None
) -> None:
    raw = {k: v for k, v in {**READER, **change}.items() if v is not None}
    found = check_record(W, "people", "reader-0", raw)
    if problem is None:
        assert found == []
    else:
        assert found and found[0].startswith(problem), found


def test_a_bad_id_is_found_in_a_plain_record() -> None:
    assert check_record("x: people.Reader", "people", "Reader", READER) == [
        "x: people.Reader: id must be a lowercase slug (a-z, 0-9, single hyphens)"
    ]


def children_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """Working out exact names fails in any forked child (this process works as before)."""
    here = os.getpid()
    buckets = store._exact_buckets

    def failing(rows: Any) -> dict[int, str]:
        if os.getpid() != here:
            raise MemoryError
        return buckets(rows)

    monkeypatch.setattr(store, "_exact_buckets", failing)


def two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A base of any size has its exact names worked out by two, whatever the cores, and even
    if earlier tests left threads in this process (datasette's, idle on their queues): wocli
    itself forks no child from a process running threads."""
    monkeypatch.setattr(store, "SPLIT_AT", 1)
    monkeypatch.setattr(forking, "processes", lambda: 2)
    monkeypatch.setattr(forking, "threaded", lambda: False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="wocli forks on Linux only")
def test_a_large_base_has_some_of_its_exact_names_worked_out_by_a_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load()  # compiled as a small base
    two_processes(monkeypatch)
    here = os.getpid()
    done_here: list[int] = []
    buckets = store._exact_buckets

    def counting(rows: Any) -> dict[int, str]:
        rows = list(rows)
        if os.getpid() == here:
            done_here.append(len(rows))
        return buckets(rows)

    monkeypatch.setattr(store, "_exact_buckets", counting)
    base = load()  # compiled already (below): the names are left for the first query by name
    assert [rid for _k, rid, _n, _f in base.exact("alexander shlyapnikov")] == ["shlyapnikov"]
    (mine,) = done_here  # the rest came from the child: it was not worked out here
    assert 0 < mine < len(base)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="wocli forks on Linux only")
def test_the_exact_names_are_all_there_when_the_child_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load()  # compiled as a small base
    two_processes(monkeypatch)
    children_fail(monkeypatch)
    base = load()
    last = list(base.all())[-1]  # in the child's half
    assert [rid for _k, rid, _n, _f in base.exact(last.id.replace("-", " "))] == [last.id]
    assert [rid for _k, rid, _n, _f in base.exact("alexander shlyapnikov")] == ["shlyapnikov"]


def exact_rows(base: store.FactBase) -> list[tuple[int, str]]:
    return list(base._exact_names().execute("SELECT bucket, entries FROM exact ORDER BY bucket"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="wocli forks on Linux only")
def test_a_large_base_has_its_exact_names_worked_out_while_it_is_compiled(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    overlay = write(tmp_path, READER_TOML)
    lazily = exact_rows(load([overlay]))  # a small base: the names worked out when asked
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))
    two_processes(monkeypatch)
    here = os.getpid()
    calls_here: list[int] = []
    buckets = store._exact_buckets

    def counting(rows: Any) -> dict[int, str]:
        if os.getpid() == here:
            calls_here.append(1)
        return buckets(rows)

    monkeypatch.setattr(store, "_exact_buckets", counting)
    base = load([overlay], names=True)
    assert len(names_files()) == 1  # kept beside the compiled base, before any query
    assert exact_rows(base) == lazily
    assert [rid for _k, rid, _n, _f in base.exact("grigoriy dyuykhyanev")] == ["reader-0"]
    assert calls_here == []  # all in the child
    assert exact_rows(load([overlay])) == lazily  # from the cache


READER_TOML = """
[people.reader-0]
name = "Grigoriy Dyuykhyanev"
name_ru = "Григорий Дюйхянев"
aliases = ["Dyuykhyanev", "Twenty Two"]
summary = "A metalworker."
sources = [{ work = "wikipedia-workers-opposition" }]
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="wocli forks on Linux only")
def test_names_worked_out_while_compiling_are_dropped_when_a_record_is_replaced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    two_processes(monkeypatch)
    replacing = write(
        tmp_path,
        '[people.shlyapnikov]\nreplace = true\nname = "A. Shliapnikov"\n'
        'aliases = ["Twenty Two"]\nsummary = "S"\n'
        'sources = [{ work = "wikipedia-workers-opposition" }]\n',
    )
    base = load([replacing], names=True)
    assert names_files() == []  # the child saw the record as it first was: not kept
    assert [(rid, f) for _k, rid, _n, f in base.exact("a shliapnikov")] == [("shlyapnikov", "name")]
    assert base.exact("alexander gavrilovich shlyapnikov") == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="wocli forks on Linux only")
def test_names_are_worked_out_when_asked_if_the_child_compiling_them_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    two_processes(monkeypatch)
    children_fail(monkeypatch)
    base = load([write(tmp_path, READER_TOML)], names=True)
    assert names_files() == []
    assert [rid for _k, rid, _n, _f in base.exact("dyuykhyanev")] == ["reader-0"]
    assert [rid for _k, rid, _n, _f in base.exact("alexander shlyapnikov")] == ["shlyapnikov"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="wocli forks on Linux only")
def test_only_a_lookup_by_name_has_the_names_worked_out_while_compiling(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    two_processes(monkeypatch)
    overlay = str(write(tmp_path, READER_TOML))
    assert cli("--data", overlay, "person", "reader-0").code == 0  # could be an id: no names
    assert names_files() == []
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))
    assert cli("--data", overlay, "person", "Grigoriy Dyuykhyanev").code == 0
    assert len(names_files()) == 1


@pytest.mark.parametrize(
    "text",
    ["shlyapnikov", "reader-0", "10th-congress", "1921", "a", "Shlyapnikov", "reader 0", "-a",
     "a-", "a--b", "", "шляпников", "ß", "a_b", "a.b", "ａ", "²", "a-²"],
)  # fmt: skip
def test_what_could_be_an_id_is_what_check_takes_for_one(text: str) -> None:
    from wocli.model import could_be_id
    from wocli.validate import ID_RE

    assert could_be_id(text) == bool(ID_RE.match(text))
