"""Building the search index: streaming in bounded memory, runs merged in order, and the fast
path of romanisation that a large build needs."""

from __future__ import annotations

import itertools
import marshal
import sqlite3
import tracemalloc
from array import array
from pathlib import Path

import iuliia
import pytest

from wocli import progress, search
from wocli.finder import Finder
from wocli.model import Person, Record
from wocli.search import INDEX_SCHEMA, SearchIndex, fill
from wocli.spelling import QUERY_SCHEMA, SCHEMAS, romanisations
from wocli.store import load

# --- the build in runs and parts ---------------------------------------------------------


def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a small base build as a large one does: many runs, blocks in many parts, rows
    written in many batches, word caches let go often."""
    monkeypatch.setattr(search, "RUN_TOKENS", 300)
    monkeypatch.setattr(search, "BLOCK_TOKENS", 200)
    monkeypatch.setattr(search, "BATCH", 7)
    monkeypatch.setattr(search, "CACHE_RECORDS", 11)


def _built(records: list[Record]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.executescript(INDEX_SCHEMA)
    fill(db, records)
    return db


QUERIES = {  # query -> the id it finds first, from the bundled base
    "shlapnikov": "shlyapnikov",
    "Schljapnikow": "shlyapnikov",
    "Шляпниковым": "shlyapnikov",
    "kolontai": "kollontai",
    "Kollontaj": "kollontai",
    "medvedev": "medvedev",
    "democratic centralists": "democratic-centralists",
}


def test_a_build_in_runs_and_parts_answers_as_a_build_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = list(load().all())
    whole = _built(records)
    _small_batches(monkeypatch)
    parted = _built(records)
    assert parted.execute("SELECT max(part) FROM search_blocks").fetchone()[0] > 1
    assert parted.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0
    for table in ("search_records", "search_tokens", "search_exact"):
        sql = f"SELECT * FROM {table} ORDER BY 1, 2, 3"
        assert parted.execute(sql).fetchall() == whole.execute(sql).fetchall(), table
    a, b = SearchIndex(whole), SearchIndex(parted)
    for query, first in QUERIES.items():
        assert a.search(query)[0].id == first, query
        assert b.search(query) == a.search(query), query


def test_an_index_in_memory_keeps_its_runs_in_memory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # In memory when the cache folder cannot be used (it may be a full disk): nothing on disk.
    _small_batches(monkeypatch)
    records = list(load().all())
    assert _built(records).execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    on_disk = sqlite3.connect(tmp_path / "index.sqlite")
    on_disk.executescript(INDEX_SCHEMA)
    fill(on_disk, records)
    assert on_disk.execute("PRAGMA temp_store").fetchone()[0] == 0  # SQLite's default


def _namesakes(n: int, start: int = 0) -> list[Record]:
    """People with a name of their own and one Russian name for all."""
    return [
        Person(
            id=f"reader-{i}",
            name=f"Ivan Surname{i}",
            aliases=(),
            name_ru="Иван Петрович Шляпников",
            summary="",
            sources=(),
        )
        for i in range(start, start + n)
    ]


def test_postings_merged_from_runs_are_in_record_order(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_batches(monkeypatch)
    db = _built(_namesakes(60))

    def postings(space: int, token: str) -> list[int]:
        sql = "SELECT postings FROM search_tokens WHERE space = ? AND token = ?"
        return list(array("I", db.execute(sql, (space, token)).fetchone()[0]))

    # 14 fields per record; "ivan" is each one's name (field 1), "шляпников" its Russian
    # name (field 3), record by record: codes record * 14 + field, in order.
    assert postings(0, "ivan") == [rec * 14 + 1 for rec in range(60)]
    assert postings(0, "шляпников") == [rec * 14 + 3 for rec in range(60)]
    assert postings(0, "surname59") == [59 * 14 + 1]
    index = SearchIndex(db)
    assert index.search("Ivan Surname42")[0].id == "reader-42"
    assert index.search("Ivan Surnam42")[0].id == "reader-42"  # fuzzy: through the blocks
    assert len(index.search("Шляпников", limit=100)) == 60


def _peak_of_build(records: list[Record]) -> int:
    db = sqlite3.connect(":memory:")
    db.executescript(INDEX_SCHEMA)
    tracemalloc.start()
    try:
        fill(db, records)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_memory_a_build_holds_does_not_grow_with_its_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Python's own allocations (SQLite's are not traced); the index itself is in SQLite. A
    # build that kept every token's postings, or every record's keys, held twice as much.
    monkeypatch.setattr(search, "RUN_TOKENS", 2000)
    monkeypatch.setattr(search, "BLOCK_TOKENS", 2000)
    monkeypatch.setattr(search, "CACHE_RECORDS", 200)
    records = _namesakes(4000)
    _peak_of_build(records[:50])  # warm up: the stemmer and romaniser tables
    small, large = _peak_of_build(records[:2000]), _peak_of_build(records)
    assert large < 1.3 * small, (small, large)


@pytest.mark.parametrize("name_ru", ["Иван Петров", "Иван Ь Петров"])
def test_a_cyrillic_names_romanisations_are_whole_keys_and_its_last_word_a_surname(
    name_ru: str,
) -> None:
    # Every system spells Иван Петров 'ivan petrov' once folded; a word that romanises to
    # no letters at all (Ь) drops out of the spelling rather than leaving a gap.
    person = Person(
        id="dupont", name="Jean Dupont", name_ru=name_ru, aliases=(), summary="", sources=()
    )
    ((whole,),) = _built([person]).execute("SELECT whole FROM search_records").fetchall()
    phonetic_keys = marshal.loads(whole)[2:]
    field = {code: name for name, code in search._FIELD_CODE.items()}
    assert {key: field[code] for key, code in zip(*phonetic_keys, strict=True)} == {
        "dupont": "id",
        "ean dupont": "name",  # 'Jean': j as i, then ie as e
        "ivan petrov": "translit",
        "petrov": "surname",
    }


def test_building_the_index_shows_its_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, int, list[int]]] = []

    class Display:
        def __init__(self, label: str, total: int) -> None:
            self.seen: list[int] = []
            shown.append((label, total, self.seen))

        def update(self, done: int) -> None:
            self.seen.append(done)

        def close(self) -> None:
            pass

    base = load()
    monkeypatch.setattr(progress, "DELAY", -1.0)
    monkeypatch.setattr(progress, "_EVERY", 50)
    progress.install(Display)
    try:
        assert Finder(base).search("shlapnikov")[0].id == "shlyapnikov"
    finally:
        progress.install(None)
    labels = [label for label, _, _ in shown]
    assert labels == ["Building the search index"]
    [(_, total, seen)] = shown
    assert total == len(base) and seen == list(range(50, len(base) + 1, 50))


# --- romanisation ------------------------------------------------------------------------

LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def _words() -> list[str]:
    """Every pair of Cyrillic letters in either case or beside a space, hyphen or digit, every
    three small letters, and phrases of them: each rule of a system in context applies in
    some of them."""
    alphabet = LETTERS + LETTERS.upper() + " -1"
    words = ["".join(pair) for pair in itertools.product(alphabet, repeat=2)]
    words += ["".join(three) for three in itertools.product(LETTERS, repeat=3)]
    words += [f"{w} {w.upper()}-{w.capitalize()}" for w in words[:3000:7]]
    return words


@pytest.mark.parametrize("system", sorted({*SCHEMAS, QUERY_SCHEMA, "GOST_779_ALT"}))
def test_romanisations_are_iuliias(system: str) -> None:
    translate = getattr(iuliia, system).translate
    words = _words()
    assert [romanisations(w, (system,))[0] for w in words] == [translate(w) for w in words]


def test_romanisations_follow_each_systems_rules_in_context() -> None:
    assert romanisations("Евдокимов", ("WIKIPEDIA",)) == ["Yevdokimov"]  # е first: ye
    assert romanisations("Троцкий", ("WIKIPEDIA",)) == ["Trotsky"]  # -ий: y
    assert romanisations("Зиновьев", ("WIKIPEDIA", "BGN_PCGN")) == ["Zinovyev", "Zinov’yev"]
    assert romanisations("Ленин Аксельрод", ("MVD_310_FR",)) == ["Lenine Axelrod"]  # -ин, кс
    assert romanisations("Мясников", ("BGN_PCGN", "GOST_779")) == ["Myasnikov", "Mâsnikov"]
