"""Reading fact files record by record (rtoml, split at record headers) gives exactly what a
whole-file tomllib parse gives: the same tables, the same records, the same messages."""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from wocli import factfile, progress
from wocli.errors import DataError
from wocli.inputs import bundled_path
from wocli.model import KINDS
from wocli.store import load
from wocli.validate import entries

from conftest import FIXTURES, write

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

BUNDLED = Path(bundled_path())
ALL_FIXTURES = sorted([BUNDLED, *FIXTURES.glob("*.toml"), *FIXTURES.glob("broken/*.toml")])


def typed(value: Any) -> Any:
    """A parse result with every value's type beside it: 1 and 1.0 and True must not meet."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def tomllib_result(text: str) -> Any:
    try:
        return typed(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, RecursionError):
        return "error"


def generated(n: int, seed: int = 7) -> str:
    """Records using much of TOML: every string form, escapes, dates and times, numbers,
    arrays of tables, sub-tables, comments, Cyrillic."""
    rng = random.Random(seed)
    out = ["# generated\n"]
    for i in range(n):
        # TOML spellings of names: a quote, a tab and ü escaped, Cyrillic and ï as they are
        name = rng.choice(["Шляпников", "Kollontaï", 'O\\"Brien', "tab\\there", "\\u00fc"])
        out.append(
            f"[people.p{i}]  # a comment\n"
            f'name = "{name} {i}"\n'
            f"aliases = ['literal {i}', \"\"\"multi\nline {i}\"\"\", '''raw\\n{i}''']\n"
            f"born = {1850 + i % 80}-0{1 + i % 9}-1{i % 10}\n"
            f"died = 19{10 + i % 80}-01-02T03:04:05{rng.choice(['Z', '+03:00', '.5', ''])}\n"
            f"when = 07:{i % 60:02d}:00\n"
            f"n = {rng.choice(['1_000', '0x1F', '1e3', '-0.5', 'inf', 'true'])}\n"
            'groups = [\n  "a",  # inside an array\n  "b",\n]\n'
            f'[[people.p{i}.sources]]\nwork = "w"\n'
        )
        if i % 5 == 0:
            out.append(f'[works.w{i}]\nsummary = "s"\n[works.w{i}.csl]\ntitle = "T {i}"\n')
    return "".join(out)


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
def test_rtoml_and_tomllib_agree_on_every_fixture(path: Path) -> None:
    import rtoml

    text = path.read_bytes().decode("utf-8", "replace")
    try:
        fast = typed(rtoml.loads(text))
    except rtoml.TomlParsingError:
        fast = "error"
    assert fast == tomllib_result(text)


def test_rtoml_and_tomllib_agree_on_a_generated_file() -> None:
    import rtoml

    text = generated(500)
    parsed = tomllib.loads(text)
    assert len(parsed["people"]) == 500  # the generator wrote what it says
    assert isinstance(parsed["people"]["p0"]["died"], dt.datetime)
    assert typed(rtoml.loads(text)) == typed(parsed)


def read_all(path: Path, whole: bool = False) -> tuple[Any, list[Any]]:
    read = factfile.read(path, str(path), whole=whole)
    try:
        return typed(read.tables), [(k, i, typed(raw)) for k, i, raw in read.entries]
    finally:
        read.close()


def whole_tomllib(path: Path) -> tuple[Any, list[Any]]:
    data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    tables = {k: v for k, v in data.items() if k not in KINDS}
    return typed(tables), [(k, i, typed(raw)) for k, i, raw in entries(data)]


@pytest.mark.parametrize(
    "path", [BUNDLED, FIXTURES / "mini.toml", FIXTURES / "hostile.toml"], ids=str
)
def test_reading_record_by_record_is_a_whole_tomllib_parse(path: Path) -> None:
    assert read_all(path) == whole_tomllib(path)


def test_a_generated_file_read_record_by_record(tmp_path: Path) -> None:
    path = write(tmp_path, generated(300))
    tables, records = read_all(path)
    assert (tables, records) == whole_tomllib(path)
    assert [k for k, _, _ in records] == ["people"] * 300 + ["works"] * 60  # kind by kind


IRREGULAR = {
    "header inside a multi-line string": (
        '[people.a]\nnote = """\n[people.b]\nname = "not a record"\n"""\n'
    ),
    "sub-table after another record": (
        '[works.a]\nsummary = "x"\n[works.b]\nsummary = "y"\n[works.a.csl]\ntitle = "T"\n'
    ),
    "records in dotted keys before the first header": (
        'people.a.name = "A"\n[people.b]\nname = "B"\n'
    ),
    "windows line endings and a byte order mark": '\ufeff[people.a]\r\nname = "A"\r\n',
    "header with odd spacing": '[people.a]\nname = "A"\n[ people.b ]\nname = "B"\n',
}


@pytest.mark.parametrize("text", IRREGULAR.values(), ids=IRREGULAR.keys())
def test_files_the_split_cannot_serve_are_read_whole(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.toml"
    path.write_bytes(text.encode("utf-8"))
    try:
        got = read_all(path)
    except factfile.Irregular:
        got = read_all(path, whole=True)
    assert got == whole_tomllib(path)


def test_a_table_defined_twice_is_tomllibs_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[people.a]\nname = "A"\n\n[people.a]\nname = "B"\n')
    with pytest.raises(DataError) as info:
        load([path], bundled=FIXTURES / "mini.toml")
    assert info.value.problems == [
        f"{path}: line 4, column 10: not valid TOML: cannot declare ('people', 'a') twice"
    ]


def test_a_syntax_error_deep_in_a_file_has_its_line(tmp_path: Path) -> None:
    good = '[people.p{}]\nname = "P"\nsummary = "S"\nsources = [{{ work = "article" }}]\n\n'
    text = "".join(good.format(i) for i in range(3)) + '[people.bad]\nname = "P\n'
    path = write(tmp_path, text)
    with pytest.raises(DataError) as info:
        load([path], bundled=FIXTURES / "mini.toml")
    assert info.value.problems == [
        f"{path}: line 17, column 10: not valid TOML: illegal character '\\n'"
    ]


def test_without_rtoml_tomllib_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rtoml", None)  # as where rtoml has no wheel
    assert factfile._fast_parser() is None
    path = write(tmp_path, generated(40))
    assert read_all(path) == whole_tomllib(path)


# --- JSON overlays -------------------------------------------------------------------------


def test_export_json_reads_back_as_the_same_base(cli: Any, tmp_path: Path) -> None:
    exported = cli("export", "--format", "json").out
    path = tmp_path / "facts.json"
    path.write_text(exported, encoding="utf-8")
    again = cli("export", "--format", "json")  # same base, for comparison below
    assert again.out == exported
    from wocli.export.json import document

    assert json.loads(json.dumps(document(load(bundled=path)))) == json.loads(exported)


def test_a_json_overlay_from_a_script(cli: Any, tmp_path: Path) -> None:
    person = {
        "id": "ivanov",
        "name": "Ivan Ivanov",
        "summary": "A metalworker.",
        "groups": ["workers-opposition"],
        "note": None,
        "sources": [{"work": "wikipedia-workers-opposition", "locator": None}],
    }
    path = write(tmp_path, json.dumps({"people": [person]}), "mine.json")
    result = cli("--data", str(path), "person", "ivanov", "--json")
    assert result.code == 0
    assert json.loads(result.out)["name"] == "Ivan Ivanov"
    assert json.loads(result.out)["sources"] == [
        {"work": "wikipedia-workers-opposition", "locator": None, "note": None, "note_ru": None}
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"people": [', "line 1, column 13: not valid JSON: expecting value"),
        ('{"people": [{"name": "X"}]}', "people[1].id: missing (each record needs a string id)"),
        (
            '{"people": [{"id": "x", "kind": "group"}]}',
            "people[1].kind: 'group' is not 'person' (people holds person records)",
        ),
        ('{"schema": 2}', "schema: 2 is not 1, the schema wocli reads"),
        ("[1, 2]", "the file must hold tables"),
        (
            '{"people": [{"id": "x", "name": "X", "summary": "S", "sources": [], "born": 1}]}',
            "people.x.born: must be a string, not an integer",
        ),
    ],
)
def test_json_overlay_problems(cli: Any, tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text, "bad.json")
    result = cli("check", str(path))
    assert result.code == 2
    assert result.err.splitlines()[0] == f"{path}: {expected}"


# --- Size limit ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "limit"),
    [("", 2**30), ("2M", 2 * 2**20), ("4G", 4 * 2**30), ("1000", 1000), ("4gib", 4 * 2**30),
     ("lots", 2**30)],
)  # fmt: skip
def test_size_limit_is_set_by_wocli_max_overlay(
    monkeypatch: pytest.MonkeyPatch, value: str, limit: int
) -> None:
    monkeypatch.setenv("WOCLI_MAX_OVERLAY", value)
    assert factfile.max_bytes() == limit


# --- Progress --------------------------------------------------------------------------------


class FakeDisplay:
    def __init__(self, label: str, total: int) -> None:
        self.opened = (label, total)
        self.seen: list[int] = []
        self.closed = False
        SHOWN.append(self)

    def update(self, done: int) -> None:
        self.seen.append(done)

    def close(self) -> None:
        self.closed = True


SHOWN: list[FakeDisplay] = []


def test_progress_is_shown_only_for_long_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    SHOWN.clear()
    monkeypatch.setattr(progress, "_EVERY", 2)
    progress.install(FakeDisplay)
    try:
        assert list(progress.counted(range(6), 6, "quick")) == [0, 1, 2, 3, 4, 5]
        assert SHOWN == []  # under a second: nothing
        monkeypatch.setattr(progress, "DELAY", -1.0)
        assert list(progress.counted(range(6), 6, "slow")) == [0, 1, 2, 3, 4, 5]
    finally:
        progress.install(None)
    [display] = SHOWN
    assert (display.opened, display.seen, display.closed) == (("slow", 6), [2, 4, 6], True)


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from wocli import entry

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    try:
        monkeypatch.setattr(sys, "stderr", io.StringIO())
        entry._show_progress()
        assert progress._factory is None
        monkeypatch.setattr(sys, "stderr", Terminal())
        entry._show_progress()
        assert progress._factory is not None
    finally:
        progress.install(None)


def test_a_small_limit_is_worded_in_its_unit(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("WOCLI_MAX_OVERLAY", "1K")  # the bundled base (300 KB) is not limited
    path = write(tmp_path, "# padding\n" * 300)  # 3,000 bytes
    result = cli("check", str(path))
    assert (result.code, result.err) == (
        2,
        f"{path}: 3 KiB is over the 1 KiB limit (set WOCLI_MAX_OVERLAY to a larger size in "
        "bytes, such as WOCLI_MAX_OVERLAY=4G)\n",
    )


# --- Reading in pieces (issue 19): chunk boundaries, JSON a record at a time -----------------


def test_record_headers_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chunks of 7 bytes cut every header, comment and CRLF line somewhere
    monkeypatch.setattr(factfile, "_CHUNK", 7)
    text = generated(30).replace("[people.p3]  # a comment\n", "[people.p3]\r\n")
    path = write(tmp_path, text + '[terms.last]\nname = "no newline at the end"')
    tables, records = read_all(path)
    assert (tables, records) == whole_tomllib(path)
    assert [i for k, i, _ in records][-1] == "last"
    assert len(records) == 30 + 6 + 1


def test_headers_are_only_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "odd.toml"
    path.write_bytes(b'[people.a]\nname = "x [people.b]"\n [people.c]\nq = 1\n[people.d] x\n')
    with path.open("rb") as f:
        assert [(at, kind, rid) for at, kind, rid in factfile._headers(f)] == [(0, b"people", b"a")]


def json_read(path: Path) -> tuple[Any, list[Any], int]:
    read = factfile.read(path, str(path))
    try:
        return typed(read.tables), [(k, i, typed(raw)) for k, i, raw in read.entries], read.count
    finally:
        read.close()


def json_whole(path: Path) -> tuple[Any, list[Any], int]:
    read = factfile.read(path, str(path), whole=True)
    return typed(read.tables), [(k, i, typed(raw)) for k, i, raw in read.entries], read.count


SCRIPTED = (
    '\ufeff  {"works": [{"id": "w1", "csl": {"title": "T\\u00fc \\"q\\"", "issued": '
    '{"date-parts": [[1921, 3]]}}, "name": "dropped on export"}],\n'
    '"note": {"made by": "a script", "n": [1, 2.5, -3e2, true, null]},\r\n'
    '"people" :[ {"id":"ш-1","name":"Шляпников","aliases":["A", "B"],"note":null,'
    '"sources":[{"work":"w1","locator":null}]} ,{"id": "p2", "summary": "x\\ny"}\n] ,'
    '"schema": 1, "terms": [], "count": 123456}\n\n'
)


def test_json_read_a_record_at_a_time_is_the_whole_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, SCRIPTED, "mine.json")
    whole = json_whole(path)
    assert whole[1] == [  # written out by hand: kind by kind, nulls and derived fields gone
        ("people", "ш-1", typed({"name": "Шляпников", "aliases": ["A", "B"],
                                 "sources": [{"work": "w1"}]})),
        ("people", "p2", typed({"summary": "x\ny"})),
        ("works", "w1", typed({"csl": {"title": 'Tü "q"', "issued": {"date-parts": [[1921, 3]]}}})),
    ]  # fmt: skip
    note = {"made by": "a script", "n": [1, 2.5, -300.0, True, None]}
    assert whole[0] == typed({"note": note, "count": 123456})
    assert json_read(path) == whole == (whole[0], whole[1], 3)
    for chunk in (1, 2, 3, 5, 64):  # every cut: in a key, a string, a number, an escape, UTF-8
        monkeypatch.setattr("wocli.jsonstream.CHUNK", chunk)
        assert json_read(path) == whole, chunk


def test_export_json_is_streamed_not_loaded_whole(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "facts.json"
    path.write_text(cli("export", "--format", "json").out, encoding="utf-8")
    whole = json_whole(path)
    assert whole[2] > 100

    def no_loads(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole file was parsed at once")

    monkeypatch.setattr(json, "loads", no_loads)
    assert json_read(path) == whole


@pytest.mark.parametrize(
    "text",
    [
        '{"people": [{"id": "a"}], "people": []}',  # json.loads keeps the last
        '{"people": []} {"people": []}',
        "[1, 2]",
        '{"people": [{"id": "a"},]}',
        '{"people": [{"id": "a"}',
        '{"people": [1e999999]',
        "",
    ],
    ids=["key twice", "two documents", "array", "trailing comma", "truncated", "cut", "empty"],
)
def test_json_the_stream_cannot_serve_is_read_whole(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text, "odd.json")
    with pytest.raises(factfile.Irregular):
        json_read(path)


def test_json_not_utf8_is_read_whole_and_says_where(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"people": [\n{"id": "a", "name": "Gr\xfcn"}]}')
    with pytest.raises(factfile.Irregular):
        json_read(path)
    result = cli("check", str(path))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{path}: line 2: not UTF-8 text (byte 36)"
    ]  # 13 + 23 bytes before


def test_json_key_given_twice_reads_as_json_loads_does(cli: Any, tmp_path: Path) -> None:
    person = '{"id": "x", "name": "X", "summary": "S", "sources": [{"work": "article"}]}'
    path = write(tmp_path, f'{{"people": [{person}], "people": []}}', "twice.json")
    base = load([path], bundled=FIXTURES / "mini.toml")
    assert base.get("x") is None  # the last "people" is the one json.loads keeps


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("Reading facts.toml", "Reading facts.toml"),
        # a long path keeps what is done and which file: 36 characters, for 80 columns
        ("Reading /home/reader/notes/2026/mine.toml", "Reading …reader/notes/2026/mine.toml"),
        ("Чтение /home/reader/notes/2026/overlay.toml", "Чтение …ader/notes/2026/overlay.toml"),
        ("A" * 40, "…" + "A" * 35),  # one word: its end
    ],
)
def test_a_long_progress_label_keeps_its_verb_and_its_file(label: str, shown: str) -> None:
    from wocli.render.progress import shortened

    assert shortened(label) == shown
