"""`wocli cite` end to end: exactly the entry on stdout, search text, --all, --citation, --for,
exports that parse back, --format, errors and hostile data.

Expected CSL output is citeproc-js's, from tests/cite_fixtures/bundled.json (see test_cite.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, write

Cli = Callable[..., Result]

BUNDLED_PATH = Path(__file__).parent / "cite_fixtures" / "bundled.json"
STYLES = {
    "apa": "apa",
    "chicago": "chicago-notes-bibliography",
    "chicago-author-date": "chicago-author-date",
    "mla": "modern-language-association",
}
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BUNDLED_PATH.read_text(encoding="utf-8"))
    return data


def entry(bundled: dict[str, Any], style: str, work: str, kind: str = "bibliography") -> str:
    found = [e["text"] for e in bundled["styles"][STYLES[style]][kind] if e["id"] == work]
    assert len(found) == 1, (style, work, kind)
    return str(found[0])


def alone(bundled: dict[str, Any], style: str, work: str, field: str = "entry") -> str:
    """citeproc-js's output for `work` registered alone (as `cite ID` renders it)."""
    (found,) = [e for e in bundled["styles"][STYLES.get(style, style)]["alone"] if e["id"] == work]
    return str(found[field])


def ok(result: Result) -> str:
    assert (result.code, result.err) == (0, ""), result
    return result.out


def test_one_work_prints_exactly_the_entry(cli: Cli, bundled: dict[str, Any]) -> None:
    out = ok(cli("cite", "allen2015", "--style", "chicago"))
    assert out == alone(bundled, "chicago", "allen2015") + "\n"


@pytest.mark.parametrize(
    ("style", "alone_entry", "listed"),
    [
        (
            "apa",
            "Kollontai, A. (1921). The Workers’ Opposition in Russia. IWW."
            " (Original work published as Rabochaya oppozitsiya)",
            "Kollontai, A. (1921b). The Workers’ Opposition in Russia. IWW."
            " (Original work published as Rabochaya oppozitsiya)",
        ),
        (
            "ieee",
            "[1] A. Kollontai, “The Workers’ Opposition in Russia.” IWW, United States, 1921.",
            "[9] A. Kollontai, “The Workers’ Opposition in Russia.” IWW, United States, 1921.",
        ),
    ],
)
def test_one_work_is_rendered_alone(cli: Cli, style: str, alone_entry: str, listed: str) -> None:
    """No year suffix from Kollontai's other 1921 works, no number from the rest of the base;
    in the whole bibliography both, as the style wants."""
    assert ok(cli("cite", "kollontai1921-iww", "--style", style)) == alone_entry + "\n"
    assert listed in ok(cli("cite", "--all", "--style", style)).splitlines()


def test_default_style_is_apa_and_cached_output_is_the_same(
    cli: Cli, bundled: dict[str, Any]
) -> None:
    first = ok(cli("cite", "daniels1960"))
    assert first == alone(bundled, "apa", "daniels1960") + "\n"
    assert ok(cli("cite", "daniels1960")) == first


@pytest.mark.parametrize(
    ("query", "work"),
    [("daniels conscience", "daniels1960"), ("allen 2015", "allen2015")],
)
@pytest.mark.parametrize("style", ["apa", "chicago"])
def test_search_text_finds_the_work(
    cli: Cli, bundled: dict[str, Any], query: str, work: str, style: str
) -> None:
    assert ok(cli("cite", query, "--style", style)) == alone(bundled, style, work) + "\n"


def test_repeated_author_is_named_when_cited_alone(cli: Cli, bundled: dict[str, Any]) -> None:
    """In MLA's list Allen 2015 follows another Allen and starts "———"; alone it names her."""
    listed = entry(bundled, "mla", "allen2015")
    assert listed.startswith("———. ")
    out = ok(cli("cite", "allen2015", "--style", "mla"))
    assert out == "Allen, Barbara C." + listed[len("———.") :] + "\n"
    assert out == alone(bundled, "mla", "allen2015") + "\n"


@pytest.mark.parametrize("style", list(STYLES))
def test_all_is_the_bibliography_in_order(cli: Cli, bundled: dict[str, Any], style: str) -> None:
    result = cli("cite", "--all", "--style", style)
    expected = [e["text"] for e in bundled["styles"][STYLES[style]]["bibliography"]]
    assert result.code == 0
    assert result.out.splitlines() == expected
    assert result.out.endswith(".\n") or result.out.endswith("Opposition\n")
    if style == "chicago":  # four works Chicago lists only in notes: named on stderr
        assert result.err == (
            "chicago-notes-bibliography lists 4 works only in notes, left out here: "
            "wikipedia-workers-opposition, theses-workers-opposition, shlyapnikov-memoirs, "
            "rcp-programme-1919\n"
        )
    else:
        assert result.err == ""


def test_all_in_a_notes_only_style_prints_notes_and_says_so(
    cli: Cli, bundled: dict[str, Any]
) -> None:
    result = cli("cite", "--all", "--style", "the-historical-journal")
    assert result.code == 0
    notes = {e["id"]: e["text"] for e in bundled["styles"]["the-historical-journal"]["citations"]}
    assert result.out.splitlines() == [notes[i["id"]] for i in bundled["items"]]
    assert result.err == (
        "the-historical-journal has no bibliography, only notes: these are first notes\n"
    )


def test_markdown_entries_are_paragraphs(cli: Cli) -> None:
    out = ok(cli("cite", "--all", "--style", "apa", "--format", "markdown"))
    paragraphs = out.split("\n\n")
    assert len(paragraphs) == 14
    assert "Shlyapnikov, A. (n.d.). *[Memoirs]*." in paragraphs  # brackets not escaped


def test_work_listed_only_in_notes_gets_its_note(cli: Cli, bundled: dict[str, Any]) -> None:
    """Chicago (and citeproc-js) print no bibliography entry for Wikipedia: the note instead."""
    assert not [
        e for e in bundled["styles"][STYLES["chicago"]]["bibliography"]
        if e["id"] == "wikipedia-workers-opposition"
    ]  # fmt: skip
    for work in ("wikipedia-workers-opposition", "theses-workers-opposition"):
        assert alone(bundled, "chicago", work) == ""
        result = cli("cite", work, "--style", "chicago")
        assert (result.code, result.out) == (0, alone(bundled, "chicago", work, "citation") + "\n")
        assert result.err == (
            f"chicago-notes-bibliography lists {work} only in notes: this is its first note,"
            " not an entry\n"
        )


@pytest.mark.parametrize("style", list(STYLES))
def test_citation_with_page(cli: Cli, bundled: dict[str, Any], style: str) -> None:
    out = ok(cli("cite", "allen2015", "--citation", "--page", "12", "--style", style))
    assert out == alone(bundled, style, "allen2015", "page") + "\n"
    out = ok(cli("cite", "allen2015", "--citation", "--page", "ch. 3", "--style", style))
    assert out == alone(bundled, style, "allen2015", "chapter") + "\n"
    out = ok(cli("cite", "allen2015", "--citation", "--style", style))
    assert out == alone(bundled, style, "allen2015", "citation") + "\n"


def test_for_a_person_cites_each_source_with_its_locator(cli: Cli, bundled: dict[str, Any]) -> None:
    out = ok(cli("cite", "--for", "person:shlyapnikov", "--style", "apa"))
    notes, _, entries = out.partition("\n\n")
    lines = notes.splitlines()
    assert "(“Workers’ Opposition,” n.d., para. 18)" in lines
    assert "(Allen, 2015)" in lines
    assert len(lines) == len(set(lines))
    assert entries.splitlines() == [
        e["text"]
        for e in bundled["styles"]["apa"]["bibliography"]
        if e["id"] in ("allen2015", "wikipedia-workers-opposition")
    ]


WIKI = "wikipedia-workers-opposition"


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "mla"])
def test_for_a_vote(cli: Cli, bundled: dict[str, Any], style: str) -> None:
    """The vote's source is para. 13 of the article: citeproc-js's paragraph locator output."""
    out = ok(cli("cite", "--for", "vote:moscow provincial conference", "--style", style))
    note = alone(bundled, style, WIKI, "paragraph")
    assert "13" in note
    assert out == note + "\n\n" + alone(bundled, style, WIKI) + "\n"


def test_for_with_a_page(cli: Cli, bundled: dict[str, Any]) -> None:
    """--page replaces the record's own locators."""
    out = ok(cli("cite", "--for", "vote:moscow provincial conference", "--page", "12"))
    assert out == alone(bundled, "apa", WIKI, "page") + "\n\n" + alone(bundled, "apa", WIKI) + "\n"


def test_for_a_vote_in_a_note_style(cli: Cli, bundled: dict[str, Any]) -> None:
    out = ok(cli("cite", "--for", "vote:moscow provincial conference", "--style", "chicago"))
    assert out == alone(bundled, "chicago", WIKI, "paragraph") + "\n"
    assert "para. 13" in out  # Chicago lists no Wikipedia entry: no bibliography, no blank line


def test_bibtex_parses_back(cli: Cli) -> None:
    from pybtex.database import parse_string

    out = ok(cli("cite", "allen2015", "--style", "bibtex"))
    entries = parse_string(out, "bibtex").entries
    assert list(entries) == ["allen2015"]
    assert entries["allen2015"].type == "book"
    assert entries["allen2015"].fields["publisher"] == "Brill"
    assert [str(p) for p in entries["allen2015"].persons["author"]] == ["Allen, Barbara C."]
    every = parse_string(ok(cli("cite", "--all", "--style", "bibtex")), "bibtex").entries
    assert "wikipedia-workers-opposition" in every and len(every) == 14


def test_ris_parses_back(cli: Cli) -> None:
    import rispy

    (record,) = rispy.loads(ok(cli("cite", "daniels conscience", "--style", "ris")))
    assert record["id"] == "daniels1960"
    assert record["type_of_reference"] == "BOOK"
    assert record["authors"] == ["Daniels, Robert"]
    assert record["year"] == "1960"
    records = rispy.loads(ok(cli("cite", "--for", "person:shlyapnikov", "--style", "ris")))
    assert sorted(r["id"] for r in records) == ["allen2015", "wikipedia-workers-opposition"]


def test_csl_json(cli: Cli, bundled: dict[str, Any]) -> None:
    (item,) = json.loads(ok(cli("cite", "allen2015", "--style", "csl-json")))
    assert item == next(i for i in bundled["items"] if i["id"] == "allen2015")


def test_markdown_keeps_italics(cli: Cli) -> None:
    out = ok(cli("cite", "daniels1960", "--style", "chicago", "--format", "markdown"))
    assert out == (
        "Daniels, Robert. *The Conscience of the Revolution: Communist Opposition in Soviet "
        "Russia*. Cambridge, Mass., 1960.\n"
    )
    html = ok(cli("cite", "daniels1960", "--style", "chicago", "--format", "html"))
    assert "<i>The Conscience of the Revolution" in html


def test_style_from_a_file(cli: Cli, bundled: dict[str, Any], tmp_path: Path) -> None:
    from wocli.cite import resolve_style

    path = tmp_path / "house.csl"
    path.write_bytes(resolve_style("mla").read_bytes())
    out = ok(cli("cite", "daniels1960", "--style", str(path)))
    assert out == alone(bundled, "mla", "daniels1960") + "\n"


# -- errors ------------------------------------------------------------------------------------


def test_unknown_style_suggests(cli: Cli) -> None:
    result = cli("cite", "allen2015", "--style", "modern-language-asociation")
    assert result.code == 2
    assert result.out == ""
    assert "Did you mean" in result.err and "modern-language-association" in result.err


def test_for_without_kind(cli: Cli) -> None:
    result = cli("cite", "--for", "nonsense")
    assert (result.code, result.out) == (2, "")
    assert "KIND:QUERY" in result.err
    assert cli("cite", "--for", "planet:mars").code == 2


def test_unknown_work(cli: Cli) -> None:
    result = cli("cite", "no such book anywhere zzzz")
    assert (result.code, result.out) == (1, "")
    assert result.err


def test_all_with_a_query(cli: Cli) -> None:
    result = cli("cite", "--all", "allen2015")
    assert (result.code, result.out) == (2, "")
    assert "--all" in result.err


def test_nothing_to_cite_says_what_to_give(cli: Cli) -> None:
    result = cli("cite")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "say what to cite: a work (wocli cite allen2015), --all, or --for KIND:QUERY\n"
    )


def test_page_without_citation_and_bad_format(cli: Cli) -> None:
    assert cli("cite", "allen2015", "--page", "12").code == 2
    result = cli("cite", "allen2015", "--format", "rtf")
    assert (result.code, result.out) == (2, "")


@pytest.mark.parametrize("export", ["bibtex", "ris", "csl-json"])
def test_format_is_refused_for_exports(cli: Cli, export: str) -> None:
    result = cli("cite", "allen2015", "--style", export, "--format", "html")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"--format applies to CSL styles; {export} is written as it is (leave out --format)\n"
    )


def test_a_style_that_prints_nothing_is_an_error(cli: Cli) -> None:
    """Springer's citation has only author and year; Wikipedia's page has neither: not "()"."""
    result = cli("cite", WIKI, "--citation", "--style", "springer-basic-author-date")
    assert (result.code, result.out) == (2, "")
    assert "prints nothing" in result.err


# -- hostile data ------------------------------------------------------------------------------

HOSTILE = """
[works.evil2020]
summary = "A work whose data carries terminal escape sequences."
sources = [{ work = "wikipedia-workers-opposition" }]

[works.evil2020.csl]
type = "book"
title = "Red \\u001b[31mtitle\\u001b[0m and a bell\\u0007 \\u009b2J"
author = [{ family = "Evil\\u001b]0;pwned\\u0007", given = "Eve" }]
publisher = "Press\\r\\nFake line"
issued = { date-parts = [[2020]] }
"""


@pytest.mark.parametrize(
    "args",
    [
        ("cite", "evil2020"),
        ("cite", "evil2020", "--style", "chicago", "--format", "markdown"),
        ("cite", "evil2020", "--citation", "--style", "mla"),
        ("cite", "--all", "--style", "chicago-author-date"),
        ("cite", "evil2020", "--style", "bibtex"),
        ("cite", "evil2020", "--style", "ris"),
        ("cite", "evil2020", "--style", "csl-json"),
    ],
)
def test_no_raw_control_characters(cli: Cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    overlay = write(tmp_path, HOSTILE)
    result = cli("--data", str(overlay), *args)
    assert result.code == 0, result
    assert "Evil" in result.out or "evil2020" in result.out
    if "--all" not in args and args[-1] not in ("bibtex", "ris", "csl-json"):
        assert result.out.count("\n") == 1  # a line break in the data does not split the entry
    assert not CONTROL.search(result.out.replace("\r\n", "\n")), repr(result.out)
    assert "\r" not in result.out


def test_exports_of_hostile_data_parse_back_as_one_record(cli: Cli, tmp_path: Path) -> None:
    import rispy
    from pybtex.database import parse_string

    overlay = write(tmp_path, HOSTILE)
    ris = ok(cli("--data", str(overlay), "cite", "evil2020", "--style", "ris"))
    assert ris.startswith("TY  - BOOK\n")
    (record,) = rispy.loads(ris)
    assert record["publisher"] == "Press Fake line"
    bibtex = ok(cli("--data", str(overlay), "cite", "evil2020", "--style", "bibtex"))
    assert list(parse_string(bibtex, "bibtex").entries) == ["evil2020"]
