"""The frictions of a new user's first hour (issue 16), each as a user meets it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from conftest import Result, write

Cli = Callable[..., Result]

OVERLAY = """
[people.sorokin]
name = "Pavel Sorokin"
summary = "A reader's own addition."
sources = [{work = "wikipedia-workers-opposition", locator = "para. 1"}]
"""


def test_every_list_and_search_shows_the_ids_that_commands_take(cli: Cli) -> None:
    for command, ids in [
        (("people",), ["shlyapnikov", "kollontai"]),
        (("groups",), ["workers-opposition", "platform-of-the-ten"]),
        (("events",), ["tenth-congress"]),
        (("votes",), ["tula-1921-01-25"]),
        (("terms",), ["nep"]),
        (("works",), ["allen2015"]),
        (("timeline",), ["tenth-congress"]),
        (("search", "kollontai"), ["kollontai", "kollontai1921"]),
    ]:
        out = cli(*command, "--no-pager").out
        words = set(re.findall(r"[\w-]+", out))
        assert set(ids) <= words, command


def test_on_a_narrow_terminal_the_id_is_the_last_column_to_go(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "45")
    out = cli("people", "--no-pager").out
    header = out.splitlines()[0].split()
    assert header == ["name", "id"]  # Russian, life and groups dropped first


@pytest.mark.parametrize(
    "args",
    [
        ["person", "sorokin", "--data", "{o}"],
        ["person", "--data", "{o}", "sorokin"],
        ["--data", "{o}", "person", "sorokin"],
        ["person", "sorokin", "--data={o}"],
    ],
)
def test_data_may_be_given_before_or_after_the_command(
    cli: Cli, tmp_path: Path, args: list[str]
) -> None:
    overlay = write(tmp_path, OVERLAY)
    result = cli(*(a.replace("{o}", str(overlay)) for a in args))
    assert result.code == 0, result.err
    assert "Pavel Sorokin" in result.out


def test_lang_after_the_command_changes_the_language(cli: Cli) -> None:
    from wocli import i18n

    try:
        result = cli("person", "nobody", "--lang", "ru")
        assert "Человек по запросу 'nobody' не найден." in result.err
    finally:
        i18n.activate("en")


def test_search_takes_no_pager_like_every_command_that_shows_records(cli: Cli) -> None:
    assert cli("search", "kollontai", "--no-pager").code == 0


def test_an_ambiguous_query_with_json_prints_its_candidates_on_stdout(cli: Cli) -> None:
    result = cli("person", "nikolai", "--json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["schema"] == 1 and data["query"] == "nikolai"
    found = {c["id"]: c for c in data["candidates"]}
    assert {"bukharin", "kuznetsov", "krestinsky"} <= set(found)
    assert set(found["bukharin"]) == {"kind", "id", "name", "date", "born", "died", "score"}
    assert found["bukharin"]["kind"] == "person" and found["bukharin"]["date"] is None
    assert (found["bukharin"]["born"], found["bukharin"]["died"]) == ("1888", "1938")
    assert (found["krestinsky"]["born"], found["krestinsky"]["died"]) == (None, None)
    assert "be more specific" in result.err  # the message still goes to stderr


def test_ambiguous_dated_candidates_carry_their_edtf_date(cli: Cli) -> None:
    data = json.loads(cli("vote", "moscow conference", "--json").out)
    dates = {c["id"]: c["date"] for c in data["candidates"]}
    assert dates["moscow-provincial-conference-1921-02-19"] == "1921-02-19"
    assert dates["moscow-gubernia-conference-1920-11"] == "1920-11"


def test_a_query_naming_another_kind_lists_it_as_a_candidate_in_json(cli: Cli) -> None:
    result = cli("person", "workers opposition", "--json")
    assert result.code == 1
    ids = [c["id"] for c in json.loads(result.out)["candidates"]]
    assert "workers-opposition" in ids


def test_nothing_close_gives_an_empty_candidate_list(cli: Cli) -> None:
    result = cli("person", "nobody", "--json")
    assert result.code == 1
    assert json.loads(result.out) == {"schema": 1, "query": "nobody", "candidates": []}


def bar_share(line: str) -> float:
    full, empty = line.count("█"), line.count("·")
    return full / (full + empty)


@pytest.mark.parametrize("columns", ["80", "100", "120"])
def test_vote_bars_are_the_share_of_the_total(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    out = cli("vote", "moscow-provincial-conference-1921-02-19", "--no-pager").out
    bars = {line.split()[1]: bar_share(line) for line in out.splitlines() if "█" in line}
    # 217, 52, 45 and 13 of 327: two thirds of the bar for Platform 10, not all of it.
    assert abs(bars["Platform"] - 217 / 327) < 0.07
    assert abs(bars["Trotsky's"] - 52 / 327) < 0.07
    assert bars["Platform"] < 0.8


def test_vote_labels_are_not_wrapped_and_group_lines_are_marked_at_80(cli: Cli) -> None:
    out = cli("vote", "moscow-provincial-conference-1921-02-19", "--no-pager").out
    assert "│           Workers' Opposition platform " in out
    assert "  = Workers' Opposition " in out
    assert "  = Platform of the Ten " in out


def test_a_missing_pager_prints_directly_with_a_notice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from wocli.render import output

    monkeypatch.setenv("PAGER", "no-such-pager-program")
    screen = StringIO()
    output._page(Console(file=screen, width=80), "the whole text")
    assert screen.getvalue() == "the whole text\n"
    assert "the pager 'no-such-pager-program' cannot be run" in capsys.readouterr().err


def test_piped_output_has_no_trailing_padding(cli: Cli) -> None:
    for command in (("people",), ("votes",), ("person", "shlyapnikov"), ("search", "tula")):
        out = cli(*command, "--no-pager").out
        assert out and all(line == line.rstrip() for line in out.splitlines()), command


def test_search_with_no_result_prints_nothing_on_stdout(cli: Cli) -> None:
    result = cli("search", "zzzzqqqq")
    assert result.code == 1
    assert result.out == ""
    assert "Nothing matches 'zzzzqqqq'." in result.err


def test_a_query_of_punctuation_says_it_has_no_words(cli: Cli) -> None:
    result = cli("search", "!!!")
    assert result.code == 2
    assert "'!!!' has no words to search for" in result.err
    assert "the query is empty" in cli("search", "  ").err


def test_a_work_lists_each_citing_record_once(cli: Cli) -> None:
    data = json.loads(cli("work", "wikipedia-workers-opposition", "--json").out)
    cited = [(c["kind"], c["id"]) for c in data["cited_by"]]
    assert len(cited) == len(set(cited)) > 100


def test_the_work_panel_gives_the_full_reference(cli: Cli) -> None:
    out = cli("work", "allen2015", "--no-pager").out
    for expected in (
        "Barbara C. Allen",
        "Historical Materialism Series",
        "Brill, Leiden, The Netherlands",
    ):
        assert expected in out
    journal = cli("work", "allen2008", "--no-pager").out
    assert "The Soviet and Post-Soviet Review, vol. 35, no. 2, pp. 21-54" in journal


def test_group_members_are_by_surname_as_in_the_people_list(cli: Cli) -> None:
    panel = json.loads(cli("group", "workers-opposition", "--json").out)["members"]
    listed = [p["id"] for p in json.loads(cli("people", "--group", "wo", "--json").out)["people"]]
    assert panel == listed
    assert panel.index("kollontai") < panel.index("medvedev") < panel.index("shlyapnikov")


def test_people_of_a_group_show_their_role_in_it(cli: Cli) -> None:
    out = cli("people", "--group", "metalworkers-union", "--no-pager").out
    assert "role in Russian Metalworkers'" in out.splitlines()[0]
    assert "chairman of the Russian" in out  # Shlyapnikov's role there, not all his roles
    assert "memoirist" not in out


@pytest.mark.parametrize(
    ("command", "question", "expected"),
    [
        (
            "vote",
            "how many votes did the Workers' Opposition get at the Moscow provincial conference"
            " in February 1921",
            "moscow-provincial-conference-1921-02-19",
        ),
        (
            "vote",
            "what did Tula vote on the trade-union platforms in January 1921",
            "tula-1921-01-25",
        ),
        ("person", "who was chairman of the Russian Metalworkers union", "shlyapnikov"),
    ],
)
def test_a_singular_command_answers_a_question(
    cli: Cli, command: str, question: str, expected: str
) -> None:
    result = cli(command, question, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["id"] == expected


def test_a_question_about_nothing_in_the_base_is_still_not_found(cli: Cli) -> None:
    result = cli("vote", "how many votes did the anarchists win in the Kronstadt soviet elections")
    assert result.code == 1


def test_ambiguous_people_are_listed_with_their_life_years(cli: Cli) -> None:
    result = cli("person", "nikolai", "--no-pager")
    assert result.code == 1
    rows = {line.split()[0]: line for line in result.err.splitlines() if line.strip()}
    assert "life" in rows["id"]
    assert rows["bukharin"].rstrip().endswith("1888–1938")
    assert rows["kuznetsov"].rstrip().endswith("1898–1937")
