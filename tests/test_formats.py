"""--format on the list and singular commands: CSV read back with the csv module, Markdown
rendered with markdown-it-py (GFM tables; definition lists through mdit-py-plugins)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

from conftest import Result, bundled, write

Cli = Callable[..., Result]
MOSCOW = "moscow-provincial-conference-1921-02-19"

HOSTILE = """
[people.pipe]
name = "Ivan | *Pipe* <b>Smith</b>"
summary = "# not a heading | and `not code`"
groups = ["workers-opposition"]
sources = [{ work = "wikipedia-workers-opposition", locator = "para. 1" }]
"""


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(deflist_plugin)


def test_people_csv_has_a_header_and_a_row_per_person(cli: Cli) -> None:
    result = cli("people", "--format", "csv")
    assert result.code == 0, result.err
    header = result.out.splitlines()[0].split(",")
    assert header[0] == "id"
    assert {"name", "born", "died", "start", "end", "groups", "sources"} <= set(header)
    found = rows(result.out)
    assert len(found) == len(bundled("people"))
    person = next(r for r in found if r["id"] == "shlyapnikov")
    assert set(person["groups"].split(";")) == {
        "workers-opposition",
        "metalworkers-union",
        "central-committee",
        "rcp",
    }
    assert (person["born"], person["died"]) == ("1885", "1937-09")
    assert (person["start"], person["end"]) == ("1885-01-01", "1937-09-30")
    assert "Allen 2015, Alexander Shlyapnikov" in person["sources"]


def test_votes_csv_carries_the_figures_and_iso_dates(cli: Cli) -> None:
    found = rows(cli("votes", "-f", "csv").out)
    assert len(found) == len(bundled("votes"))
    moscow = next(r for r in found if r["id"] == MOSCOW)
    assert (moscow["date"], moscow["start"], moscow["end"]) == (
        "1921-02-19",
        "1921-02-19",
        "1921-02-19",
    )
    assert moscow["total"] == "327"
    assert [int(side.rsplit(": ", 1)[1]) for side in moscow["tallies"].split("; ")] == [
        217,
        52,
        45,
        13,
    ]
    assert moscow["winner"] == "Platform 10"


def test_uncertain_and_interval_dates_get_their_first_and_last_days(cli: Cli) -> None:
    found = {r["id"]: r for r in rows(cli("events", "--format", "csv").out)}
    assert (found["charges-1930s"]["start"], found["charges-1930s"]["end"]) == (
        "1930-01-01",
        "1939-12-31",
    )
    letter = found["letter-of-twenty-two-1922"]
    assert (letter["date"], letter["start"], letter["end"]) == (
        "1922-01/1922-02",
        "1922-01-01",
        "1922-02-28",
    )
    assert (found["campaign-against-unions-1921"]["end"]) == ""  # an open end


def test_timeline_and_search_csv(cli: Cli) -> None:
    timeline = rows(
        cli("timeline", "--from", "1921-02", "--to", "1921-02", "--within", "-f", "csv").out
    )
    assert [(r["id"], r["kind"]) for r in timeline] == [
        ("moscow-provincial-conference-1921", "event"),
        (MOSCOW, "vote"),
    ]
    hits = rows(cli("search", "kollontai", "--format", "csv", "--limit", "2").out)
    assert (hits[0]["id"], hits[0]["kind"]) == ("kollontai", "person")
    assert list(hits[0]) == ["id", "kind", "name", "score", "matched", "date"]


def test_json_is_the_alias_of_format_json(cli: Cli) -> None:
    assert cli("groups", "--json").out == cli("groups", "--format", "json").out
    assert cli("term", "nep", "--json").out == cli("term", "nep", "-f", "json").out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("people", "--format", "xml"),
            "--format must be one of table, json, csv, markdown, not 'xml'",
        ),
        (
            ("person", "kollontai", "-f", "csv"),
            "--format must be one of panel, json, markdown, not 'csv'",
        ),
        (
            ("votes", "--json", "--format", "csv"),
            "--json and --format csv ask for different outputs",
        ),
        (("search", "lenin", "-f", "panel"), "--format must be one of table, json, csv, markdown"),
    ],
)
def test_a_format_a_command_lacks_is_a_usage_error(
    cli: Cli, args: tuple[str, ...], message: str
) -> None:
    result = cli(*args)
    assert (result.code, result.out) == (2, "")
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_an_empty_filter_still_gives_a_csv_header(cli: Cli) -> None:
    result = cli("events", "--from", "1800", "--to", "1801", "--format", "csv")
    assert result.code == 1
    assert result.out.splitlines() == [
        "id,name,date,start,end,place,people,groups,aliases,summary,note,sources"
    ]


def _cells(tokens: list[Token], tag: str) -> list[str]:
    """The inline text of every `tag` cell, in order."""
    out = []
    for i, token in enumerate(tokens):
        if token.type == f"{tag}_open":
            out.append(tokens[i + 1].content)
    return out


def test_a_list_as_markdown_is_a_gfm_table_that_keeps_its_text(cli: Cli, tmp_path: Path) -> None:
    overlay = write(tmp_path, HOSTILE)
    result = cli(
        "--data", str(overlay), "people", "--group", "workers opposition", "-f", "markdown"
    )
    assert result.code == 0, result.err
    md = markdown()
    tokens = md.parse(result.out)
    headers = [md.renderInline(c) for c in _cells(tokens, "th")]
    assert headers[:3] == ["id", "name", "name_ru"]
    body_rows = sum(1 for t in tokens if t.type == "tr_open") - 1
    people = bundled("people").values()
    members = [p for p in people if "workers-opposition" in p.get("groups", ())]
    assert body_rows == len(members) + 1
    html = md.render(result.out)
    assert "Ivan | *Pipe* &lt;b&gt;Smith&lt;/b&gt;" in html  # one cell, shown as written
    assert "<em>" not in html and "<b>" not in html and "<h1>" not in html


def test_a_record_as_markdown_is_a_heading_and_a_definition_list(cli: Cli) -> None:
    result = cli("person", "shlyapnikov", "--format", "markdown")
    assert result.code == 0, result.err
    md = markdown()
    tokens = md.parse(result.out)
    assert tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    assert tokens[1].content == "Alexander Shlyapnikov"
    terms = _cells(tokens, "dt")
    assert {"Russian", "Life", "Groups", "Sources"} <= set(terms)
    groups_at = next(
        i for i, t in enumerate(tokens) if t.type == "dt_open" and tokens[i + 1].content == "Groups"
    )
    groups = []
    for token in tokens[groups_at + 3 :]:
        if token.type == "dt_open":
            break
        if token.type == "inline":
            groups.append(token.content)
    assert set(groups) == {
        "Workers' Opposition",
        "Russian Metalworkers' Union",
        "Central Committee of the RCP(b)",
        "Russian Communist Party (Bolsheviks)",
    }
    html = md.render(result.out)
    assert "<dd>1885 – September 1937</dd>" in html


def test_a_record_as_markdown_in_russian_has_the_russian_text(cli: Cli) -> None:
    result = cli("--lang", "ru", "vote", "tula-1921-01-25", "--format", "markdown")
    assert result.code == 0, result.err
    html = markdown().render(result.out)
    assert "<h1>Голосование в Туле по профсоюзным платформам</h1>" in html
    assert "<dt>Орган</dt>\n<dd>Тульская партийная организация</dd>" in html
    assert "<dd>Резолюция Ленина — Зиновьева: 582 (66.9%)</dd>" in html
    assert "<dd>Wikipedia, Workers’ Opposition: para. 11</dd>" in html  # an export: as given
    assert "*голосование · tula-1921-01-25*" in result.out
    person = cli("--lang", "ru", "person", "shlyapnikov", "--format", "markdown").out
    assert "Роли\n: руководитель Рабочей оппозиции\n" in person
    assert "По-английски\n: Alexander Shlyapnikov\n" in person
    assert "Примечание\n: Статья пишет его фамилию" in person
    assert "(годы рождения и смерти — из заглавия книги" in person
    assert "по-английски" not in person


def test_a_vote_as_markdown_gives_each_side_its_count_and_share(cli: Cli) -> None:
    html = markdown().render(cli("vote", MOSCOW, "-f", "markdown").out)
    for side in (
        "Platform 10: 217 (66.4%)",
        "Trotsky's theses: 52 (15.9%)",
        "Workers' Opposition platform: 45 (13.8%)",
        "Democratic centralism: 13 (4.0%)",
    ):
        assert f"<dd>{side}</dd>" in html.replace("&#x27;", "'")
    assert "<dd>327</dd>" in html


def test_search_json_keeps_its_contract_under_format(cli: Cli) -> None:
    data = json.loads(cli("search", "kollontai", "--format", "json", "--limit", "1").out)
    assert data["schema"] == 1 and data["results"][0]["id"] == "kollontai"
