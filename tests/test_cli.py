"""The commands as a user runs them: exit codes, messages, and text rendered at 80 columns."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from wocli import __version__

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from conftest import Result, write

Cli = Callable[..., Result]


def test_person_panel_shows_names_life_groups_links_note_and_sources(cli: Cli) -> None:
    result = cli("person", "shlyapnikov")
    assert result.code == 0, result.err
    out = result.out
    for expected in (
        "Alexander Shlyapnikov",
        "Александр Гаврилович Шляпников (general reference)",
        "1885 – September 1937",
        "Russian Metalworkers' Union",
        "4 November 1917",
        "Tula vote on the trade-union platforms",
        "Note",
        "Sources",
        "person · shlyapnikov",
    ):
        assert expected in out
    assert result.err == ""
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "\x1b" not in out  # not a terminal: no escape codes


@pytest.mark.parametrize("query", ["Шляпников", "shliapnikov", "SHLYAPNIKOV", "Shlyapnikov"])
def test_person_is_found_in_other_spellings(cli: Cli, query: str) -> None:
    result = cli("person", query, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["id"] == "shlyapnikov"


def test_person_json_embeds_events_and_votes(cli: Cli) -> None:
    result = cli("person", "kollontai", "--json")
    data = json.loads(result.out)
    assert data["kind"] == "person"
    assert data["name"] == "Alexandra Kollontai"
    assert "kollontai-comintern-1921-07-05" in [e["id"] for e in data["events"]]
    assert {"work": "wikipedia-workers-opposition"}.items() <= data["sources"][0].items()
    for key in ("name_ru", "aliases", "born", "died", "roles", "groups", "note", "summary"):
        assert key in data


def test_person_not_found_exits_1_with_a_message_on_stderr(cli: Cli) -> None:
    result = cli("person", "nobody")
    assert result.code == 1
    assert result.out == ""
    assert result.err == (
        "No person matches 'nobody'.\nNothing is close: `wocli people` lists them all.\n"
    )


@pytest.mark.parametrize(
    ("kind", "query", "command"),
    [
        ("person", "workers opposition", "wocli group workers-opposition"),
        ("vote", "tenth congress", "wocli event tenth-congress"),
        ("group", "Шляпников", "wocli person shlyapnikov"),
        ("event", "allen 2015", "wocli work allen2015"),
    ],
)
def test_a_query_naming_another_kind_says_which_command_shows_it(
    cli: Cli, kind: str, query: str, command: str
) -> None:
    result = cli(kind, query)
    assert result.code == 1
    assert result.out == ""
    assert "It names another kind of record:" in result.err
    assert f"  {command}    (" in result.err
    assert "lists them all" not in result.err


def test_typo_far_from_everything_still_suggests(cli: Cli) -> None:
    result = cli("person", "kolontaiova")
    if result.code == 0:  # close enough to be found: that is a fine answer too
        assert "Alexandra Kollontai" in result.out
    else:
        assert "Did you mean: Alexandra Kollontai" in result.err


def test_ambiguous_first_name_lists_candidates(cli: Cli) -> None:
    result = cli("person", "nikolai")
    assert result.code == 1
    assert result.out == ""
    for rid in ("bukharin", "krestinsky", "kuznetsov"):
        assert rid in result.err


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert (result.code, result.out) == (0, f"wocli {__version__}\n")


def test_check_passes_on_the_bundled_base(cli: Cli) -> None:
    result = cli("check")
    assert result.code == 0
    assert result.out.startswith("OK: ")
    assert "records in facts.toml" in result.out


def test_check_reports_wrong_type_and_dangling_reference(cli: Cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[people.kopylov-junior]
name = "Kopylov junior"
born = 1900
groups = ["tula-nowhere"]
summary = "Invented for a test."
sources = [{ work = "wikipedia-workers-opposition" }]

[works.plain]
sources = [{ work = "plain" }]
[works.plain.csl]
type = "book"
title = "Plain"
""",
    )
    result = cli("check", str(path))
    assert result.code == 2
    assert result.out == ""
    assert f"{path}: people.kopylov-junior.born: must be a string, not an integer" in result.err
    assert f"{path}: people.kopylov-junior.groups: unknown group 'tula-nowhere'" in result.err


def test_any_command_with_a_bad_overlay_exits_2_naming_the_file(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "this is = = not toml")
    result = cli("--data", str(path), "person", "shlyapnikov")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"{path}: line 1, column ")


def test_overlay_from_option_and_environment(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = write(
        tmp_path,
        '[people.ivanov]\nname = "Ivan Ivanov"\nsummary = "A test."\n'
        'sources = [{ work = "wikipedia-workers-opposition" }]\n',
        "one.toml",
    )
    two = write(
        tmp_path,
        '[people.petrov]\nname = "Pyotr Petrov"\nsummary = "A test."\n'
        'sources = [{ work = "wikipedia-workers-opposition" }]\n',
        "two.toml",
    )
    monkeypatch.setenv("WOCLI_DATA", str(one))
    assert json.loads(cli("--data", str(two), "person", "ivanov", "--json").out)["id"] == "ivanov"
    assert json.loads(cli("--data", str(two), "person", "petrov", "--json").out)["id"] == "petrov"


def test_general_reference_marks_show_per_field_and_per_alias(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the overlay named as a user would: its marks stay short
    path = write(
        tmp_path,
        """
[groups.test-union]
name = "Union of Testers"
type = "union"
aliases = ["Testers' Union", "Soyuz testirovshchikov"]
general_reference = ["name", "aliases:Soyuz testirovshchikov"]
summary = "Invented for a test."
sources = [{ work = "wikipedia-workers-opposition", locator = "para. 20" }]
""",
        "t.toml",
    )
    assert cli("check", "t.toml").code == 0
    out = cli("--data", "t.toml", "group", "test-union").out
    assert "Union of Testers (general reference) (from t.toml)" in out  # the panel's title
    lines = [line.strip("│ ") for line in out.splitlines()]
    at = lines.index("Also     Testers' Union")  # from the source: unmarked, a line of its own
    assert lines[at + 1] == "Soyuz testirovshchikov (general reference) (from t.toml)"
    data = json.loads(cli("--data", str(path), "group", "test-union", "--json").out)
    assert data["general_reference"] == ["name", "aliases:Soyuz testirovshchikov"]


def test_check_rejects_a_mark_on_a_field_that_is_not_set(cli: Cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[people.test-person]
name = "Test Person"
general_reference = ["name_ru", "born"]
born = "1900"
summary = "Invented for a test."
sources = [{ work = "wikipedia-workers-opposition" }]
""",
    )
    result = cli("check", str(path))
    assert result.code == 2
    assert "people.test-person.general_reference: 'name_ru': 'name_ru' is not set" in result.err
    assert "'born'" not in result.err


def test_export_json_follows_the_contract(cli: Cli) -> None:
    result = cli("export", "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert list(data) == ["schema", "people", "groups", "events", "votes", "works", "terms"]
    assert data["schema"] == 1
    for vote in data["votes"]:
        assert vote["total"] == sum(t["votes"] for t in vote["tallies"])
    wo = next(g for g in data["groups"] if g["id"] == "workers-opposition")
    assert {"shlyapnikov", "kollontai", "medvedev"} <= set(wo["members"])
    term = data["terms"][0]
    assert "definition" in term and "summary" not in term
    work = next(w for w in data["works"] if w["id"] == "allen2015")
    assert work["csl"]["type"] == "book"


def test_json_adds_the_russian_translations_beside_the_english_keys(cli: Cli) -> None:
    person = json.loads(cli("person", "shlyapnikov", "--json").out)
    assert person["roles"][1] == "chairman of the Russian Metalworkers' Union"  # unchanged
    assert person["roles_ru"][1] == "председатель Всероссийского союза рабочих-металлистов"
    assert len(person["roles_ru"]) == len(person["roles"]) == 5
    assert person["note"].startswith("The article spells him both Shlyapnikov")
    assert person["note_ru"].startswith("Статья пишет его фамилию и как Shlyapnikov")
    assert person["sources"][0]["locator"] == "para. 1"  # as the data gives it, not "абз. 1"
    allen = next(s for s in person["sources"] if s["work"] == "allen2015")
    assert allen["note_ru"].startswith("годы рождения и смерти")
    vote = json.loads(cli("vote", "tula-1921-01-25", "--json").out)
    assert (vote["body"], vote["body_ru"]) == (
        "Tula party organisation",
        "Тульская партийная организация",
    )
    assert (vote["place"], vote["place_ru"]) == ("Tula", "Тула")
    assert vote["tallies"][0] == {
        "label": "Lenin–Zinoviev resolution",
        "label_ru": "Резолюция Ленина — Зиновьева",
        "group": "platform-of-the-ten",
        "votes": 582,
    }
    assert vote["notes"] is None and vote["notes_ru"] is None and vote["note_ru"] is None
    counted = json.loads(cli("vote", "metalworkers-cc-1921-vote", "--json").out)
    assert counted["notes_ru"].startswith(
        "Статья приводит только «одиннадцать голосов из двадцати»"
    )
    event = json.loads(cli("event", "tenth-congress", "--json").out)
    assert event["place"] is None and event["place_ru"] is None
    historian = json.loads(cli("person", "daniels", "--json").out)
    assert historian["roles_ru"] == ["историк"]


def test_search_json_shape(cli: Cli) -> None:
    result = cli("search", "kollontai", "--json", "--limit", "3")
    data = json.loads(result.out)
    assert data["query"] == "kollontai"
    assert len(data["results"]) <= 3
    top = data["results"][0]
    assert (top["kind"], top["id"]) == ("person", "kollontai")
    assert 0 <= top["score"] <= 100


@pytest.mark.parametrize(
    "args",
    [
        ("search", "x", "--kind", "planet"),
        ("events", "--from", "1921-13"),
        ("person",),
        ("no-such-command",),
        ("search", "   "),
        ("people", "--limit", "3"),
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.strip()


def test_vote_shows_counts_shares_total_and_winner(cli: Cli) -> None:
    result = cli("vote", "moscow-provincial-conference-1921-02-19")
    assert result.code == 0
    out = result.out
    for expected in ("217", "66.4%", "52", "15.9%", "45", "13.8%", "13", "4.0%", "327", "█"):
        assert expected in out
    assert "Winner" in out and "(217 of 327)" in out
    assert "19 February 1921" in out


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (("group", "workers-opposition"), "Members"),
        (("event", "tenth-congress"), "March 1921"),
        (("term", "syndicalism"), "syndicalism"),
        (("work", "allen2015"), "Cited by"),
        (("people",), "Kollontai"),
        (("people", "--group", "workers-opposition"), "Shlyapnikov"),
        (("groups",), "Workers' Opposition"),
        (("events", "--from", "1921-01", "--to", "1921-01"), "17 January 1921"),
        (("votes",), "tula-1921-01-25"),
        (("terms",), "syndicalism"),
        (("works", "--author", "allen"), "Allen"),
        (("timeline", "--from", "1921", "--to", "1921"), "1921"),
    ],
)
def test_reference_commands(cli: Cli, command: tuple[str, ...], expected: str) -> None:
    result = cli(*command)
    assert result.code == 0, result.err
    assert expected in result.out
    assert all(len(line) <= 80 for line in result.out.splitlines())
    as_json = cli(*command, "--json")
    assert as_json.code == 0
    json.loads(as_json.out)


def test_events_filters_keep_what_overlaps_and_within_what_lies_inside(cli: Cli) -> None:
    data = json.loads(cli("events", "--from", "1921-01", "--to", "1921-01", "--json").out)
    overlapping = {e["date"] for e in data["events"]}
    assert {"1921-01-03", "1921-01-17", "1921-01?", "1921"} <= overlapping
    assert not overlapping & {"1920-11", "1921-02-19", "1921-03"}
    data = json.loads(
        cli("events", "--from", "1921-01", "--to", "1921-01", "--within", "--json").out
    )
    inside = {e["date"] for e in data["events"]}
    assert {"1921-01-03", "1921-01-17", "1921-01?"} <= inside
    assert "1921" not in inside


def test_timeline_groups_by_year_in_order(cli: Cli) -> None:
    out = cli("timeline", "--no-pager").out
    assert out.index("1917") < out.index("1920") < out.index("1921") < out.index("1937")


def test_empty_filter_result_exits_1(cli: Cli) -> None:
    result = cli("events", "--from", "1800", "--to", "1801")
    assert result.code == 1


def test_every_command_has_help_with_an_example(cli: Cli) -> None:
    from wocli.cli import app

    names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    assert len(names) >= 15
    for name in names:
        result = cli(name, "-h")
        assert result.code == 0, name
        assert "Example: wocli" in result.out, name


def test_check_json_reports_problems_as_data(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "[people.x]\nname = 3\n")
    bad = cli("check", str(path), "--json")
    assert bad.code == 2
    report = json.loads(bad.out)
    assert report["ok"] is False and report["records"] is None
    assert f"{path}: people.x.name: must be a string, not an integer" in report["problems"]
    good = json.loads(cli("check", "--json").out)
    assert good["ok"] is True and good["problems"] == [] and good["records"] > 100


def test_timeline_puts_an_event_before_the_vote_taken_at_it(cli: Cli) -> None:
    # By name alone the vote ("Moscow committee vote ...") would sort before its event
    # ("Moscow committee votes ...").
    result = cli("timeline", "--from", "1921-01-17", "--to", "1921-01-17", "--within", "--json")
    assert result.code == 0
    found = json.loads(result.out)["timeline"]
    assert [(r["kind"], r["id"]) for r in found] == [
        ("event", "moscow-committee-meeting-1921"),
        ("vote", "moscow-committee-1921-01-17"),
    ]


@pytest.mark.parametrize("columns", ["40", "50", "60", "70", "80"])
def test_a_vote_keeps_its_figures_whole_on_a_narrow_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = cli("vote", "moscow conference 1921")
    assert result.code == 0
    lines = result.out.splitlines()
    assert {len(line) for line in lines} == {int(columns)}
    for figures in ("217   66.4%", "52   15.9%", "45   13.8%", "13    4.0%"):
        assert sum(figures in line for line in lines) == 1, figures
    assert ("██" in result.out) == (int(columns) >= 60)  # the bar goes first


def test_same_overlay_named_twice_is_loaded_once(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[people.newbie]\nname = "Ivan Newbie"\nsummary = "x"\n'
        'sources = [{ work = "allen2015" }]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("WOCLI_DATA", str(mine))
    result = cli("--data", str(tmp_path / "." / "mine.toml"), "check", str(mine))
    assert (result.code, result.err) == (0, "")
    bundled = Path(__file__).parents[1] / "data" / "facts.toml"
    records = sum(len(table) for table in tomllib.loads(bundled.read_text("utf-8")).values())
    assert result.out.startswith(f"OK: {records + 1} records")  # the bundled ones and Ivan, once


def test_output_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "wocli", "people"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        )
    assert proc.returncode == 2
    assert proc.stderr == "wocli: cannot write the output: No space left on device\n"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["bogus"], 2),  # a usage error
        (["person", "nosuchperson"], 1),  # nothing found
        (["--data", "/nonexistent.toml", "people"], 2),  # invalid data
    ],
)
def test_an_error_that_cannot_be_told_still_exits_with_its_code(
    tmp_path: Path, args: list[str], code: int
) -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "wocli", *args],
            stdout=subprocess.PIPE,
            stderr=full,
            text=True,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        )
    assert (proc.returncode, proc.stdout) == (code, "")


def test_a_range_that_ends_before_it_starts_is_a_usage_error(cli: Cli) -> None:
    result = cli("events", "--from", "1922", "--to", "1920")
    assert (result.code, result.out) == (2, "")
    assert "--from 1922 is after --to 1920" in result.err


def test_filters_that_match_nothing_print_no_empty_table(cli: Cli) -> None:
    result = cli("events", "--from", "1800", "--to", "1801")
    assert (result.code, result.out, result.err) == (1, "", "Nothing matches these filters.\n")
    as_json = cli("events", "--from", "1800", "--to", "1801", "--json")
    assert as_json.code == 1
    assert json.loads(as_json.out) == {"schema": 1, "events": []}


def test_json_adds_the_russian_fields(cli: Cli, tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        """
[groups.decists]
name = "Decists"
name_ru = "Децисты"
summary = "A group."
summary_ru = "Группа."
general_reference = ["name_ru"]
sources = [{ work = "wikipedia-workers-opposition" }]

[terms.gubkom-x]
name = "gubkom x"
definition = "A committee."
definition_ru = "Комитет."
sources = [{ work = "wikipedia-workers-opposition" }]

[works.plain]
sources = [{ work = "plain" }]
[works.plain.csl]
type = "book"
title = "Plain"
""",
    )
    group = json.loads(cli("--data", str(overlay), "group", "decists", "--json").out)
    assert (group["name_ru"], group["summary_ru"]) == ("Децисты", "Группа.")
    assert group["general_reference"] == ["name_ru"]
    assert (group["name"], group["summary"]) == ("Decists", "A group.")
    term = json.loads(cli("--data", str(overlay), "term", "gubkom-x", "--json").out)
    assert term["definition_ru"] == "Комитет." and "summary_ru" not in term
    work = json.loads(cli("--data", str(overlay), "work", "plain", "--json").out)
    assert "name_ru" not in work and work["summary_ru"] is None
