"""`wocli export`: each format written for the bundled base plus an overlay, then read back with
its own tool's library (frictionless, datasette, networkx, genanki's SQLite collection),
counting records against the TOML files themselves and checking the facts readers rely on."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wocli.runner import run

from conftest import Result, bundled

Cli = Callable[..., Result]
MOSCOW = "moscow-provincial-conference-1921-02-19"
FIGURES = [
    ("platform-of-the-ten", 217),
    ("trotsky-platform", 52),
    ("workers-opposition", 45),
    ("democratic-centralists", 13),
]
SHLYAPNIKOV_GROUPS = {"workers-opposition", "metalworkers-union", "central-committee", "rcp"}
KINDS = ("people", "groups", "events", "votes", "works", "terms")

OVERLAY = """
[people.test-delegate]
name = "Test Delegate"
born = "1890~"
groups = ["workers-opposition"]
summary = "A delegate added by an overlay."
sources = [{ work = "wikipedia-workers-opposition", locator = "para. 13" }]

[events.test-approximate]
name = "An approximate meeting"
date = "1922~"
groups = ["workers-opposition"]
people = ["test-delegate"]
summary = "A meeting known only to about a year."
sources = [{ work = "wikipedia-workers-opposition", locator = "para. 17" }]
"""
ADDED = {"people": 1, "events": 1}


def expected(kind: str) -> int:
    """How many records of a kind the export must hold: the bundled file's, plus the overlay's."""
    return len(bundled(kind)) + ADDED.get(kind, 0)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, str], Path]]:
    """Export the bundled base plus the overlay once per format, for every test here."""
    folder = tmp_path_factory.mktemp("exports")
    overlay = folder / "overlay.toml"
    overlay.write_text(OVERLAY, encoding="utf-8")
    made: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        mp.delenv("WOCLI_DATA", raising=False)

        def export(fmt: str, name: str) -> Path:
            if name not in made:
                path = folder / name
                code = run(["--data", str(overlay), "export", "-f", fmt, "-o", str(path)])
                assert code == 0
                made[name] = path
            return made[name]

        yield export


# -- csv and the Frictionless data package ---------------------------------------------------


@pytest.fixture(scope="module")
def package(exported: Callable[[str, str], Path]) -> Any:
    from frictionless import Package

    return Package(str(exported("csv", "csv") / "datapackage.json"))


def test_csv_package_passes_frictionless_validate(exported: Callable[[str, str], Path]) -> None:
    from frictionless import validate

    report = validate(str(exported("csv", "csv") / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == 12


def test_csv_package_has_a_table_per_kind_and_per_link(package: Any) -> None:
    names = [r.name for r in package.resources]
    assert names[:6] == list(KINDS)
    assert {"memberships", "participants", "tallies", "sources", "nodes", "edges"} <= set(names)
    for kind in KINDS:
        resource = package.get_resource(kind)
        assert resource.schema.primary_key == ["id"]
        assert len(resource.read_rows()) == expected(kind), kind
    nodes = package.get_resource("nodes").read_rows()
    assert len(nodes) == sum(expected(k) for k in KINDS)
    assert package.licenses[0]["name"] == "CC-BY-SA-4.0"
    assert "wikipedia.org" in package.sources[0]["path"]


def test_csv_tallies_and_memberships(package: Any) -> None:
    tallies = [r for r in package.get_resource("tallies").read_rows() if r["vote"] == MOSCOW]
    assert [(r["group"], r["votes"]) for r in tallies] == FIGURES
    memberships = package.get_resource("memberships").read_rows()
    assert {r["group"] for r in memberships if r["person"] == "shlyapnikov"} == SHLYAPNIKOV_GROUPS
    assert {r["person"] for r in memberships if r["group"] == "workers-opposition"} >= {
        "shlyapnikov",
        "kollontai",
        "medvedev",
        "test-delegate",
    }
    keys = package.get_resource("tallies").schema.foreign_keys
    assert {"fields": ["vote"], "reference": {"resource": "votes", "fields": ["id"]}} in keys


def test_csv_sources_and_palladio_edges(package: Any) -> None:
    sources = package.get_resource("sources").read_rows()
    shl = [(r["work"], r["locator"]) for r in sources if r["record"] == "shlyapnikov"]
    assert ("wikipedia-workers-opposition", "para. 1") in shl
    assert any(work == "allen2015" for work, _ in shl)
    assert (
        len(sources) == sum(len(r["sources"]) for k in KINDS for r in bundled(k).values()) + 2
    )  # the overlay's two records cite one place each
    edges = package.get_resource("edges").read_rows()
    assert {
        e["target"] for e in edges if e["source"] == "shlyapnikov" and e["relation"] == "member"
    } == SHLYAPNIKOV_GROUPS
    sides = {
        e["target"]: e["votes"] for e in edges if e["source"] == MOSCOW and e["relation"] == "side"
    }
    assert sides == dict(FIGURES)
    people = {r["id"]: r for r in package.get_resource("people").read_rows()}
    assert str(people["shlyapnikov"]["start"]) == "1885-01-01"
    assert str(people["test-delegate"]["born"]) == "1890~"


# -- sqlite, through datasette ---------------------------------------------------------------


def datasette_get(db: Path, path: str) -> Any:
    from datasette.app import Datasette

    metadata = json.loads(db.with_name(db.stem + ".metadata.json").read_text(encoding="utf-8"))
    ds = Datasette([str(db)], metadata=metadata)

    async def get() -> Any:
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response.json()

    return asyncio.run(get())


def test_sqlite_through_datasette(exported: Callable[[str, str], Path]) -> None:
    db = exported("sqlite", "wo.db")
    tables = {t["name"]: t for t in datasette_get(db, "/wo.json")["tables"]}
    for kind in KINDS:
        assert tables[kind]["count"] == expected(kind), kind
        assert tables[kind]["fts_table"] == f"{kind}_fts"
    rows = datasette_get(db, f"/wo/tallies.json?vote={MOSCOW}&_shape=array&_sort=position")
    assert [(r["group"], r["votes"]) for r in rows] == FIGURES
    members = datasette_get(db, "/wo/memberships.json?person=shlyapnikov&_shape=array")
    assert {r["group"] for r in members} == SHLYAPNIKOV_GROUPS
    found = datasette_get(db, "/wo/people.json?_search=Shliapnikov&_shape=array")
    assert [r["id"] for r in found] == ["shlyapnikov"]
    about = datasette_get(db, "/-/metadata.json")
    assert about["license"].startswith("Creative Commons Attribution-ShareAlike")
    assert "Workers" in about["title"] and about["source_url"].startswith("https://en.wikipedia")


def test_sqlite_has_primary_and_foreign_keys(exported: Callable[[str, str], Path]) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(exported("sqlite", "wo.db"))
    assert db["people"].pks == ["id"]  # type: ignore[union-attr]
    assert {(fk.column, fk.other_table) for fk in db["memberships"].foreign_keys} == {  # type: ignore[union-attr]
        ("person", "people"),
        ("group", "groups"),
    }
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    cited = db.execute("SELECT DISTINCT work FROM sources WHERE record = 'shlyapnikov'").fetchall()
    assert {w for (w,) in cited} == {"wikipedia-workers-opposition", "allen2015"}


# -- gexf and graphml, through networkx --------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graphs_read_back_with_networkx(exported: Callable[[str, str], Path], fmt: str) -> None:
    import networkx as nx

    read = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    graph = read(exported(fmt, f"wo.{fmt}"))
    assert graph.number_of_nodes() == sum(expected(k) for k in KINDS)
    kinds = [d["kind"] for _, d in graph.nodes(data=True)]
    assert kinds.count("person") == expected("people")
    assert kinds.count("vote") == expected("votes")
    member_of = {
        t for _, t, d in graph.out_edges("shlyapnikov", data=True) if d["relation"] == "member"
    }
    assert member_of == SHLYAPNIKOV_GROUPS
    sides = {
        t: d["votes"] for _, t, d in graph.out_edges(MOSCOW, data=True) if d["relation"] == "side"
    }
    assert sides == dict(FIGURES)
    assert graph.nodes["shlyapnikov"]["label"] == "Alexander Shlyapnikov"
    assert graph.nodes["shlyapnikov"]["date"] == "1885/1937-09"
    assert "para. 1" in graph.nodes["shlyapnikov"]["sources"]
    cites = {t for _, t, d in graph.out_edges("shlyapnikov", data=True) if d["relation"] == "cites"}
    assert cites == {"wikipedia-workers-opposition", "allen2015"}


def test_gexf_spells_come_from_edtf(exported: Callable[[str, str], Path]) -> None:
    import networkx as nx

    graph = nx.read_gexf(exported("gexf", "wo.gexf"))
    assert graph.graph["mode"] == "dynamic"
    assert graph.nodes[MOSCOW]["spells"] == [("1921-02-19", "1921-02-19")]
    assert graph.nodes["charges-1930s"]["spells"] == [("1930-01-01", "1939-12-31")]
    assert graph.nodes["shlyapnikov"]["spells"] == [("1885-01-01", "1937-09-30")]
    assert "spells" not in graph.nodes["nep"]  # a term has no date


# -- timelinejs ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def timeline(exported: Callable[[str, str], Path]) -> dict[str, Any]:
    return dict(json.loads(exported("timelinejs", "wo.json").read_text(encoding="utf-8")))


def test_timelinejs_slides_and_eras(timeline: dict[str, Any]) -> None:
    dated_votes = [v for v in bundled("votes").values() if v.get("date")]
    assert len(timeline["events"]) == expected("events") + len(dated_votes)
    slides = {s["unique_id"]: s for s in timeline["events"]}
    moscow = slides[MOSCOW]
    assert moscow["start_date"] == {"year": "1921", "month": "2", "day": "19"}
    assert "display_date" not in moscow
    assert "<li>Platform 10: 217</li>" in moscow["text"]["text"]
    assert "Sources: Wikipedia, Workers’ Opposition: para. 13" in moscow["text"]["text"]
    assert [e["text"]["headline"] for e in timeline["eras"]] == [
        "Before the trade-union debate",
        "The trade-union debate",
        "After the 10th Congress",
    ]
    assert timeline["eras"][1]["start_date"] == {"year": "1920", "month": "12", "day": "24"}
    assert timeline["eras"][1]["end_date"] == {"year": "1921", "month": "3"}
    # filed by faction or platform: a vote under its first side, a body alone under none
    assert slides["tenth-congress"]["group"] == "Workers' Opposition"
    assert moscow["group"] == "Platform of the Ten"
    assert "group" not in slides["cc-plenum-1920-12-24"]


def test_timelinejs_dates_keep_their_precision(timeline: dict[str, Any]) -> None:
    slides = {s["unique_id"]: s for s in timeline["events"]}
    about = slides["test-approximate"]
    assert (about["start_date"], about["display_date"]) == ({"year": "1922"}, "about 1922")
    decade = slides["charges-1930s"]
    assert (decade["start_date"], decade["end_date"], decade["display_date"]) == (
        {"year": "1930"},
        {"year": "1939"},
        "1930s",
    )
    autumn = slides["moscow-struggle-autumn-1920"]
    assert (autumn["start_date"], autumn["end_date"], autumn["display_date"]) == (
        {"year": "1920", "month": "9"},
        {"year": "1920", "month": "11"},
        "autumn 1920",
    )
    month = slides["tenth-congress"]
    assert (month["start_date"], "end_date" in month) == ({"year": "1921", "month": "3"}, False)


# -- anki ----------------------------------------------------------------------------------


def notes(apkg: Path) -> list[tuple[str, str, str]]:
    """(guid, fields, tags) of every note, read from the deck's own SQLite collection."""
    with zipfile.ZipFile(apkg) as z:
        data = z.read("collection.anki2")
    path = apkg.with_suffix(".anki2")
    path.write_bytes(data)
    with sqlite3.connect(path) as db:
        return [(g, f, t.strip()) for g, f, t in db.execute("SELECT guid, flds, tags FROM notes")]


def test_anki_deck_has_cards_with_figures_and_sources(exported: Callable[[str, str], Path]) -> None:
    found = notes(exported("anki", "wo.apkg"))
    tags = [t for _, _, t in found]
    for tag, kind in (
        ("person", "people"),
        ("vote", "votes"),
        ("term", "terms"),
        ("event", "events"),
    ):
        assert tags.count(tag) == expected(kind), kind
    moscow = next(f for _, f, _ in found if "Moscow Provincial Party Conference vote" in f)
    question, answer, sources = moscow.split("\x1f")
    assert question.endswith("the figures?")
    for side in ("Platform 10: 217", "Trotsky's theses: 52", "Democratic centralism: 13"):
        assert side in answer
    assert "Total: 327" in answer
    assert sources == "Wikipedia, Workers’ Opposition: para. 13"
    shl = next(f for _, f, _ in found if f.startswith("Who was Alexander Shlyapnikov"))
    assert "chairman of the Russian Metalworkers' Union" in shl


def test_anki_guids_are_the_same_in_every_export(
    exported: Callable[[str, str], Path], tmp_path: Path, cli: Cli
) -> None:
    first = notes(exported("anki", "wo.apkg"))
    overlay = tmp_path / "overlay.toml"
    overlay.write_text(OVERLAY, encoding="utf-8")
    assert (
        cli("--data", str(overlay), "export", "-f", "anki", "-o", str(tmp_path / "again.apkg")).code
        == 0
    )
    again = notes(tmp_path / "again.apkg")
    assert sorted(g for g, _, _ in first) == sorted(g for g, _, _ in again)
    assert len({g for g, _, _ in first}) == len(first)  # one GUID per note


# -- stdout, bad input, whole files ---------------------------------------------------------


def test_text_formats_go_to_stdout_without_a_path(cli: Cli) -> None:
    import networkx as nx

    result = cli("export", "--format", "graphml")
    assert result.code == 0, result.err
    graph = nx.parse_graphml(result.out)
    assert graph.number_of_nodes() == sum(len(bundled(k)) for k in KINDS)
    timeline = json.loads(cli("export", "-f", "timelinejs").out)
    assert len(timeline["eras"]) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("-f", "xml"),
            "--format must be one of json, csv, sqlite, gexf, graphml, timelinejs, anki, not 'xml'",
        ),
        (("-f", "sqlite"), "--format sqlite writes a binary file: add --output PATH"),
        (("-f", "csv"), "--format csv writes a folder of tables: add --output FOLDER"),
        (("-f", "anki", "-o", "{tmp}"), "is a folder: --format anki writes a file"),
        (("-f", "csv", "-o", "{tmp}/file.txt"), "is not a folder: --format csv writes a folder"),
        (
            ("-f", "gexf", "-o", "{tmp}/missing/wo.gexf"),
            "cannot write {tmp}/missing/wo.gexf: there is no folder",
        ),
        (("-f", "json", "-o", "{tmp}/file.txt/wo.json"), "there is no folder {tmp}/file.txt"),
    ],
)
def test_bad_export_input_is_one_line_and_exit_2(
    cli: Cli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "file.txt").write_text("keep me", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli("export", *(a.format(tmp=tmp_path) for a in args))
    assert (result.code, result.out) == (2, "")
    assert message.format(tmp=tmp_path) in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "keep me"


def test_an_unwritable_path_is_one_line_and_exit_2(cli: Cli) -> None:
    # /proc takes no new files, even from root (for whom a folder's permissions mean nothing)
    result = cli("export", "-f", "gexf", "-o", "/proc/wo.gexf")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("cannot write /proc/wo.gexf: ")
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["anki", "sqlite", "json", "csv"])
def test_a_failed_export_leaves_nothing_half_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / ("out" if fmt == "csv" else f"wo.{fmt}")
    if fmt != "csv":
        target.write_text("the earlier export", encoding="utf-8")

    def full_disk(*args: Any, **kwargs: Any) -> None:
        for arg in args:
            if isinstance(arg, Path):  # write a part, as a real writer would, then fail
                (arg / "people.csv" if arg.is_dir() else arg).write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    if fmt == "json":  # the text formats' writer fails after its first bytes
        real = Path.write_text

        def half(path: Path, text: str, *args: Any, **kwargs: Any) -> int:
            real(path, text[:100], *args, **kwargs)
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(Path, "write_text", half)
    else:
        writer = {"anki": "anki", "sqlite": "sqlite", "csv": "csv"}[fmt]
        monkeypatch.setattr(f"wocli.export.{writer}.write", full_disk)
    result = cli("export", "-f", fmt, "-o", str(target))
    assert result.code == 2
    assert result.err.strip() == f"cannot write {target}: No space left on device"
    leftovers = sorted(p.name for p in target.parent.iterdir())
    if fmt == "csv":
        assert leftovers == []
    else:
        assert leftovers == [target.name]
        assert target.read_text(encoding="utf-8") == "the earlier export"


def test_csv_into_an_existing_folder_replaces_its_files_whole(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "wo"
    folder.mkdir()
    (folder / "people.csv").write_text("old", encoding="utf-8")
    (folder / "mine.txt").write_text("not ours", encoding="utf-8")
    assert cli("export", "-f", "csv", "-o", str(folder)).code == 0
    assert (folder / "people.csv").read_text(encoding="utf-8").startswith("id,name,")
    assert (folder / "mine.txt").read_text(encoding="utf-8") == "not ours"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_exports_and_lookups_import_no_heavy_library() -> None:
    import wocli

    code = """
import sys
from wocli.runner import run
heavy = ("networkx", "sqlite_utils", "genanki", "frictionless", "datasette", "markdown_it")
for args in (["person", "shlyapnikov"], ["people", "--format", "csv"],
             ["vote", "moscow conference 1921", "-f", "markdown"], ["export", "-f", "json"]):
    run(args)
    assert not [m for m in heavy if m in sys.modules], (args, [m for m in heavy if m in sys.modules])
run(["export", "-f", "timelinejs"])
assert not [m for m in heavy if m in sys.modules]
"""
    src = str(Path(wocli.__file__).resolve().parents[1])
    path_env = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={**os.environ, "PYTHONPATH": path_env},
        stdout=subprocess.DEVNULL,
    )
