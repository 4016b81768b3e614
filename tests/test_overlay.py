"""Overlays that correct a field (`patch = true`), where every value came from (provenance), and
`wocli check` reporting every problem with the id a mistyped reference probably meant."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from wocli import cache
from wocli.errors import DataError
from wocli.model import Person, Work
from wocli.store import load

from conftest import FIXTURES, Result, write

MINI = FIXTURES / "mini.toml"

Cli = Callable[..., Result]

DIED = """
[people.shlyapnikov]
patch = true
died = "1937-09-02"
aliases = { add = ["Shlyapnikoff", "Shliapnikov"] }
"""


def problems(tmp_path: Path, *overlays: str) -> list[str]:
    paths = [write(tmp_path, text, f"overlay{i}.toml") for i, text in enumerate(overlays)]
    with pytest.raises(DataError) as info:
        load(paths, bundled=MINI)
    found = info.value.problems
    for i, path in enumerate(paths):
        found = [p.replace(str(path), f"OVERLAY{i}") for p in found]
    return found


def test_a_patch_corrects_one_field_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, DIED)
    base = load([path], bundled=MINI)
    rec = base.get("shlyapnikov")
    assert isinstance(rec, Person)
    assert rec.died == "1937-09-02"
    # everything else as mini.toml gives it
    assert rec.name == "Alexander Shlyapnikov"
    assert rec.born == "1885"
    assert rec.roles == ("chairman of the metalworkers' union",)
    assert rec.groups == ("wo",)
    assert [(s.work, s.locator) for s in rec.sources] == [("article", "para. 1")]
    # {add = [...]} adds what the list does not hold yet; the bundled alias stays once
    assert rec.aliases == ("Shliapnikov", "Shlyapnikoff")
    # the record keeps its place: it is the bundled record, corrected
    assert [p.id for p in base.all("people")][:2] == ["shlyapnikov", "kollontai"]
    # the added alias alone is the overlay's, named as general_reference names one item
    assert rec.provenance == {"died": str(path), "aliases:Shlyapnikoff": str(path)}


def test_a_list_given_whole_replaces_the_earlier_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[people.kollontai]
patch = true
groups = []
roles = ["People's Commissar for Social Welfare"]
""",
    )
    base = load([path], bundled=MINI)
    rec = base.get("kollontai")
    assert isinstance(rec, Person)
    assert rec.groups == ()
    assert rec.roles == ("People's Commissar for Social Welfare",)
    assert [p.id for p in base.members("wo")] == ["shlyapnikov"]  # links follow the patch


def test_patches_stack_across_overlays_each_field_naming_its_file(tmp_path: Path) -> None:
    first = write(tmp_path, DIED, "first.toml")
    second = write(
        tmp_path,
        """
[people.shlyapnikov]
patch = true
born = "1885-08-30"
aliases = { add = ["A. G. Shlyapnikov"] }
""",
        "second.toml",
    )
    rec = load([first, second], bundled=MINI).get("shlyapnikov")
    assert isinstance(rec, Person)
    assert (rec.born, rec.died) == ("1885-08-30", "1937-09-02")
    assert rec.aliases == ("Shliapnikov", "Shlyapnikoff", "A. G. Shlyapnikov")
    assert rec.provenance == {
        "died": str(first),
        "aliases:Shlyapnikoff": str(first),
        "born": str(second),
        "aliases:A. G. Shlyapnikov": str(second),
    }
    third = write(tmp_path, '[people.shlyapnikov]\npatch = true\naliases = ["Belenin"]\n', "3.toml")
    rec = load([first, second, third], bundled=MINI).get("shlyapnikov")
    assert rec is not None and rec.aliases == ("Belenin",)
    assert rec.provenance == {"died": str(first), "born": str(second), "aliases": str(third)}


def test_a_patch_of_a_whole_overlay_record_keeps_that_files_other_fields(tmp_path: Path) -> None:
    whole = write(
        tmp_path,
        """
[people.kopylov]
name = "I. V. Kopylov"
summary = "Chaired the Tula committee."
sources = [{ work = "article" }]
""",
        "whole.toml",
    )
    fix = write(
        tmp_path,
        '[people.kopylov]\npatch = true\nborn = "1890"\naliases = { add = ["Kopylow"] }\n',
        "fix.toml",
    )
    rec = load([whole, fix], bundled=MINI).get("kopylov")
    assert rec is not None
    assert rec.provenance["name"] == str(whole)
    assert rec.provenance["note"] == str(whole)  # unset, but the whole record was that file's
    assert rec.provenance["born"] == str(fix)
    assert rec.provenance["aliases"] == str(whole)  # the list was that file's...
    assert rec.provenance["aliases:Kopylow"] == str(fix)  # ...and the item this one's
    alone = load([whole], bundled=MINI).get("kopylov")
    assert alone is not None
    fields = {"name", "summary", "sources", "aliases", "note", "name_ru", "summary_ru", "note_ru"}
    fields |= {"general_reference", "born", "died", "roles", "roles_ru", "groups"}
    assert alone.provenance == dict.fromkeys(fields, str(whole))


def test_a_replaced_field_loses_its_general_reference_mark(tmp_path: Path) -> None:
    # mini.toml marks shlyapnikov's name_ru as general reference; the overlay's value is its own
    path = write(tmp_path, '[people.shlyapnikov]\npatch = true\nname_ru = "Шляпников"\n')
    rec = load([path], bundled=MINI).get("shlyapnikov")
    assert rec is not None
    assert rec.name_ru == "Шляпников"
    assert not rec.is_general("name_ru")
    assert rec.general_reference == ()


TRANSLATED = """
[people.kopylov]
name = "I. V. Kopylov"
summary = "Chaired the Tula committee."
summary_ru = "Возглавлял Тульский комитет."
note = "Initials only."
note_ru = "Только инициалы."
roles = ["chairman"]
roles_ru = ["председатель"]
general_reference = ["roles_ru"]
sources = [{ work = "article" }]
"""


def test_a_patch_of_a_translated_field_drops_the_out_of_date_translation(
    tmp_path: Path,
) -> None:
    whole = write(tmp_path, TRANSLATED, "whole.toml")
    fix = write(
        tmp_path,
        '[people.kopylov]\npatch = true\nnote = "Initials and a surname."\n'
        'roles = { add = ["delegate"] }\n',
        "fix.toml",
    )
    rec = load([whole, fix], bundled=MINI).get("kopylov")
    assert isinstance(rec, Person)
    assert (rec.note, rec.note_ru) == ("Initials and a surname.", None)
    assert (rec.roles, rec.roles_ru) == (("chairman", "delegate"), ())  # else 1 item for 2
    assert "note_ru" not in rec.provenance and "roles_ru" not in rec.provenance
    assert rec.general_reference == ()  # the mark went with roles_ru
    assert rec.summary_ru == "Возглавлял Тульский комитет."  # the summary was not patched


def test_a_patch_that_gives_the_translation_too_keeps_it(tmp_path: Path) -> None:
    whole = write(tmp_path, TRANSLATED, "whole.toml")
    fix = write(
        tmp_path,
        '[people.kopylov]\npatch = true\nnote = "Initials, a surname."\n'
        'note_ru = "Инициалы и фамилия."\n',
        "fix.toml",
    )
    rec = load([whole, fix], bundled=MINI).get("kopylov")
    assert isinstance(rec, Person)
    assert rec.note_ru == "Инициалы и фамилия."
    assert rec.provenance["note_ru"] == str(fix)
    assert rec.roles_ru == ("председатель",)


def test_a_works_csl_is_merged_variable_by_variable(tmp_path: Path) -> None:
    path = write(tmp_path, '[works.article]\npatch = true\ncsl = { URL = "https://example.org" }\n')
    rec = load([path], bundled=MINI).get("article")
    assert isinstance(rec, Work)
    assert rec.csl["URL"] == "https://example.org"
    assert rec.csl["title"] == "Workers’ Opposition"  # kept from mini.toml
    assert rec.csl["container-title"] == "Wikipedia"


def test_patch_problems_name_the_file_and_the_id(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
[people.nobody]
patch = true
born = 1900

[groups.kollontai]
patch = true
type = "faction"

[people.shlyapnikov]
patch = true
replace = true
aliases = { add = "Shlyapnikoff" }
born = { add = ["1886"] }
""",
    )
    assert found == [
        "OVERLAY0: people.nobody.patch: no earlier record has the id 'nobody' to patch",
        "OVERLAY0: people.nobody.born: must be a string, not an integer",
        "OVERLAY0: people.shlyapnikov: `patch = true` and `replace = true` cannot both be given",
        "OVERLAY0: people.shlyapnikov.aliases: must be {add = [ITEM, ...]}, an array to add to "
        "the earlier list",
        "OVERLAY0: people.shlyapnikov.born: {add = [...]} adds to a list, and the earlier value "
        "is not one",
        "OVERLAY0: groups.kollontai: patches a record of people, not of groups",
    ]


def test_patch_must_be_a_boolean(tmp_path: Path) -> None:
    found = problems(tmp_path, '[people.nobody]\npatch = "yes"\n')
    assert "OVERLAY0: people.nobody.patch: must be true or false, not a string" in found


def test_the_merged_record_is_checked_like_any_other(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
[people.shlyapnikov]
patch = true
died = "soon"
groups = { add = ["p-10"] }
shoe_size = 44
""",
    )
    assert found[0] == "OVERLAY0: people.shlyapnikov.shoe_size: unknown field"
    assert found[1].startswith("OVERLAY0: people.shlyapnikov.died: ")
    assert found[2:] == [
        "OVERLAY0: people.shlyapnikov.groups: unknown group 'p-10' (did you mean p10?)"
    ]


def test_a_clashing_record_still_has_its_references_checked(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
[people.kollontai]
name = "A. Kollontai"
born = 1872
groups = ["nowhere"]
summary = "x"
sources = [{ work = "article" }]
""",
    )
    assert found == [
        "OVERLAY0: people.kollontai.born: must be a string, not an integer",
        "OVERLAY0: people.kollontai: id already defined in facts.toml; add `replace = true` to "
        "replace that record, or `patch = true` to correct some of its fields",
        "OVERLAY0: people.kollontai.groups: unknown group 'nowhere'",
    ]


def test_check_suggests_the_near_id_of_a_missing_reference(cli: Cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[people.tula-reader]
name = "A Tula reader"
groups = ["workers-oposition"]
summary = "Chaired the Tula committee."
sources = [{ work = "wikipedia-workers-opposition" }]
""",
    )
    result = cli("check", str(path))
    assert result.code == 2
    assert (
        f"{path}: people.tula-reader.groups: unknown group 'workers-oposition' "
        "(did you mean workers-opposition?)"
    ) in result.err.splitlines()
    report = cli("check", "--json", str(path))
    assert json.loads(report.out)["problems"] == [
        f"{path}: people.tula-reader.groups: unknown group 'workers-oposition' "
        "(did you mean workers-opposition?)"
    ]


def test_no_suggestion_when_nothing_is_near(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
[terms.x]
name = "X"
definition = "y"
related = ["zzzzzz"]
sources = [{ work = "article" }]
""",
    )
    assert found == ["OVERLAY0: terms.x.related: unknown record 'zzzzzz'"]


@pytest.fixture
def mine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A patch of the bundled Shlyapnikov in ./mine.toml, named as a user would name it."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, DIED, "mine.toml")
    return "mine.toml"


def test_json_gives_the_provenance_of_each_field(cli: Cli, mine: str) -> None:
    out = cli("--data", mine, "person", "shlyapnikov", "--json")
    rec = json.loads(out.out)
    assert rec["died"] == "1937-09-02"
    assert rec["provenance"] == {"died": "mine.toml", "aliases:Shlyapnikoff": "mine.toml"}
    bundled = cli("--data", mine, "person", "kollontai", "--json")
    assert json.loads(bundled.out)["provenance"] == {}


def test_provenance_survives_the_compiled_cache(mine: str) -> None:
    for _ in range(2):  # built, then read back from the cache file
        rec = load([Path(mine)]).get("shlyapnikov")
        assert rec is not None
        assert rec.provenance == {"died": "mine.toml", "aliases:Shlyapnikoff": "mine.toml"}
    assert len(list(cache.folder().glob("facts-*.sqlite"))) == 1


def test_the_panel_marks_each_value_an_overlay_set(cli: Cli, mine: str) -> None:
    out = cli("--data", mine, "person", "shlyapnikov")
    lines = out.out.splitlines()
    life = next(line for line in lines if "Life" in line)
    assert "1885 – 2 September 1937 (from mine.toml)" in life
    roles = next(i for i, line in enumerate(lines) if "Roles" in line)
    also = "\n".join(lines[next(i for i, line in enumerate(lines) if "Also" in line) : roles])
    assert "│          Shlyapnikoff (from mine.toml)" in also  # the added alias, on its own line
    assert out.out.count("(from mine.toml)") == 2  # name, summary, roles... are bundled
    plain = cli("person", "shlyapnikov")
    assert "(from" not in plain.out


def test_markdown_says_which_fields_an_overlay_set(cli: Cli, mine: str) -> None:
    out = cli("--data", mine, "person", "shlyapnikov", "-f", "markdown")
    assert out.out.splitlines()[-1] == "*from mine.toml: died, aliases:Shlyapnikoff*"


def test_a_patch_of_a_mistyped_id_suggests_the_near_one(tmp_path: Path) -> None:
    found = problems(tmp_path, '[people.shlyapnikof]\npatch = true\ndied = "1937"\n')
    assert found == [
        "OVERLAY0: people.shlyapnikof.patch: no earlier record has the id 'shlyapnikof' to "
        "patch (did you mean shlyapnikov?)"
    ]
