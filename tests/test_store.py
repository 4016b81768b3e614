"""Loading, merging and validating fact files: every problem reported, naming file, record, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from wocli.errors import DataError
from wocli.model import Person, Term, Vote, roles_for, text_for
from wocli.store import load

from conftest import FIXTURES, write

MINI = FIXTURES / "mini.toml"


def problems(tmp_path: Path, overlay: str) -> list[str]:
    path = write(tmp_path, overlay)
    with pytest.raises(DataError) as info:
        load([path], bundled=MINI)
    return [p.replace(str(path), "OVERLAY") for p in info.value.problems]


def test_mini_base_loads_with_derived_links() -> None:
    base = load(bundled=MINI)
    assert [p.id for p in base.members("wo")] == ["kollontai", "shlyapnikov"]  # by surname
    assert [v.id for v in base.votes_of("shlyapnikov")] == ["conference-vote"]
    assert [e.id for e in base.events_of("wo")] == ["conference"]
    vote = base.get("conference-vote")
    assert isinstance(vote, Vote)
    assert vote.total == 262
    assert vote.winner is not None and vote.winner.label == "Platform of the Ten"


def test_overlay_adds_a_record(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[people.kopylov]
name = "I. V. Kopylov"
groups = ["wo"]
summary = "Chaired the Tula provincial committee."
sources = [{ work = "article", locator = "para. 3" }]
""",
    )
    base = load([path], bundled=MINI)
    person = base.get("kopylov")
    assert isinstance(person, Person)
    assert person.origin == str(path)
    assert "kopylov" in [p.id for p in base.members("wo")]


def test_repeated_id_without_replace_is_an_error(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
[people.kollontai]
name = "A. Kollontai"
summary = "x"
sources = [{ work = "article" }]
""",
    )
    assert found == [
        "OVERLAY: people.kollontai: id already defined in facts.toml; "
        "add `replace = true` to replace that record, "
        "or `patch = true` to correct some of its fields"
    ]


def test_replace_true_replaces_the_bundled_record(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[people.kollontai]
replace = true
name = "Alexandra M. Kollontai"
summary = "Replaced."
sources = [{ work = "article" }]
""",
    )
    base = load([path], bundled=MINI)
    rec = base.get("kollontai")
    assert rec is not None and rec.name == "Alexandra M. Kollontai"
    assert [p.id for p in base.members("wo")] == ["shlyapnikov"]
    # the original's name is gone from the exact names, the replacement's is there, once
    assert base.exact("alexandra kollontai") == []
    assert base.exact("alexandra m kollontai") == [
        ("person", "kollontai", "Alexandra M. Kollontai", "name")
    ]


def test_replace_of_nothing_and_across_kinds(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
[people.nobody]
replace = true
name = "Nobody"
summary = "x"
sources = [{ work = "article" }]

[groups.kollontai]
replace = true
name = "A group"
summary = "x"
sources = [{ work = "article" }]
""",
    )
    assert found == [
        "OVERLAY: people.nobody.replace: no earlier record has this id",
        "OVERLAY: groups.kollontai: replaces a record of people, not of groups",
    ]


def test_wrong_type_and_dangling_reference_are_both_reported(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
[people.kopylov]
name = "I. V. Kopylov"
born = 1885
groups = ["tula-committee"]
summary = "x"
sources = [{ work = "article" }]
""",
    )
    assert found == [
        "OVERLAY: people.kopylov.born: must be a string, not an integer",
        "OVERLAY: people.kopylov.groups: unknown group 'tula-committee'",
    ]


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        (
            '[people.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\nborn = "1920-13"',
            "OVERLAY: people.x.born: '1920-13' is not a valid date (no month 13)",
        ),
        (
            '[people.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\nhair = "red"',
            "OVERLAY: people.x.hair: unknown field",
        ),
        (
            '[people.x]\nname = "X"\nsources = [{ work = "article" }]',
            "OVERLAY: people.x.summary: missing",
        ),
        (
            '[people.x]\nname = "X"\nsummary = "x"\nsources = []',
            "OVERLAY: people.x.sources: must be a non-empty array of {work = ..., locator = ...}",
        ),
        (
            '[people.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "nowhere" }]',
            "OVERLAY: people.x.sources[1].work: unknown work 'nowhere'",
        ),
        (
            '[people.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "wo" }]',
            "OVERLAY: people.x.sources[1].work: 'wo' is a group, not a work",
        ),
        (
            '[people.X_1]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]',
            "OVERLAY: people.X_1: id must be a lowercase slug (a-z, 0-9, single hyphens)",
        ),
        (
            '[planets.x]\nname = "X"',
            "OVERLAY: planets: unknown table (allowed: people, groups, events, votes, works, terms)",
        ),
        (
            '[groups.x]\nname = "X"\ntype = "club"\nsummary = "x"\nsources = [{ work = "article" }]',
            "OVERLAY: groups.x.type: 'club' is not one of faction, platform, organisation, "
            "union, party-body, state-body",
        ),
        (
            '[events.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]',
            "OVERLAY: events.x.date: missing",
        ),
        (
            '[votes.x]\nname = "X"\nbody = "B"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'tallies = [{ label = "For", votes = -3 }]',
            "OVERLAY: votes.x.tallies[1].votes: -3 is not a non-negative integer",
        ),
        (
            '[votes.x]\nname = "X"\nbody = "B"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'tallies = [{ label = "For", votes = 2.5 }]',
            "OVERLAY: votes.x.tallies[1].votes: 2.5 is not a non-negative integer",
        ),
        (
            '[votes.x]\nname = "X"\nbody = "B"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'tallies = [{ label = "For", votes = 3, group = "nope" }]',
            "OVERLAY: votes.x.tallies[1].group: unknown group 'nope'",
        ),
        (
            '[votes.x]\nname = "X"\nbody = "B"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'event = "shlyapnikov"\ntallies = [{ label = "For", votes = 3 }]',
            "OVERLAY: votes.x.event: 'shlyapnikov' is a person, not an event",
        ),
        (
            '[works.x]\nsources = [{ work = "article" }]\n[works.x.csl]\ntype = "book"',
            "OVERLAY: works.x.csl.title: missing",
        ),
        (
            '[people.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'general_reference = ["roles"]',
            "OVERLAY: people.x.general_reference: 'roles': 'roles' is not set on this record",
        ),
        (
            '[people.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'aliases = ["Y"]\ngeneral_reference = ["aliases:Z"]',
            "OVERLAY: people.x.general_reference: 'aliases:Z': 'Z' is not one of this record's "
            "aliases",
        ),
        (
            '[groups.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'general_reference = ["born"]',
            "OVERLAY: groups.x.general_reference: 'born': a group has no field 'born'",
        ),
        (
            '[groups.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'general_reference = ["sources"]',
            "OVERLAY: groups.x.general_reference: 'sources': 'sources' holds no facts to mark",
        ),
        (
            '[groups.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'general_reference = ["name:X"]',
            "OVERLAY: groups.x.general_reference: 'name:X': 'name' is not a list (mark it as "
            "'name')",
        ),
        (
            '[people.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            "[groups.x]\nname = 'X'\nsummary = 'x'\nsources = [{ work = 'article' }]",
            "OVERLAY: groups.x: id already used by people.x",
        ),
    ],
)
def test_each_validation_error_names_file_record_and_field(
    tmp_path: Path, overlay: str, expected: str
) -> None:
    assert expected in problems(tmp_path, overlay)


def test_toml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    found = problems(tmp_path, '[people.x]\nname = "X\n')
    assert len(found) == 1
    assert found[0].startswith("OVERLAY: line 2, column ")
    assert "not valid TOML" in found[0]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        '[people.a]\nname = 1\nsummary = "x"\nsources = [{ work = "article" }]\n'
        '[people.b]\nname = "B"\nsummary = "x"\nsources = [{ work = "article" }]\ndied = "x"\n',
    )
    assert found == [
        "OVERLAY: people.a.name: must be a string, not an integer",
        "OVERLAY: people.b.died: 'x' is not a valid date (expected EDTF such as 1921-03-08)",
    ]


def test_missing_overlay_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load([tmp_path / "absent.toml", tmp_path], bundled=MINI)
    assert info.value.problems == [
        f"{tmp_path / 'absent.toml'}: no such file",
        f"{tmp_path}: is a folder, not a TOML file",
    ]


def test_overlays_from_environment_come_before_data_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from wocli.store import overlay_paths

    monkeypatch.setenv("WOCLI_DATA", os.pathsep.join(["a.toml", "", "b.toml"]))
    assert overlay_paths(["c.toml"]) == ["a.toml", "b.toml", "c.toml"]


RUSSIAN = """
[groups.decists]
name = "Democratic Centralists"
name_ru = "Группа демократического централизма"
aliases = ["Decists", "децисты"]
general_reference = ["name_ru"]
type = "faction"
summary = "An opposition group."
summary_ru = "Оппозиционная группа."
sources = [{ work = "article" }]

[terms.gubkom]
name = "gubkom"
name_ru = "губком"
definition = "A provincial party committee."
definition_ru = "Губернский комитет партии."
sources = [{ work = "article" }]

[events.congress]
name = "10th Congress"
date = "1921-03"
summary = "The congress."
sources = [{ work = "article" }]
"""


def test_russian_fields_load_on_every_kind(tmp_path: Path) -> None:
    base = load([write(tmp_path, RUSSIAN)], bundled=MINI)
    group, term, event = base.get("decists"), base.get("gubkom"), base.get("congress")
    assert isinstance(term, Term) and group is not None and event is not None
    assert (group.name_ru, group.summary_ru) == (
        "Группа демократического централизма",
        "Оппозиционная группа.",
    )
    assert group.general_reference == ("name_ru",)
    assert (term.definition, term.definition_ru) == (
        "A provincial party committee.",
        "Губернский комитет партии.",
    )
    assert (event.name_ru, event.summary_ru) == (None, None)


def test_text_for_is_russian_first_and_says_when_it_falls_back(tmp_path: Path) -> None:
    base = load([write(tmp_path, RUSSIAN)], bundled=MINI)
    group, term, event = base.get("decists"), base.get("gubkom"), base.get("congress")
    assert group is not None and term is not None and event is not None
    assert text_for(group, "name", "ru") == ("Группа демократического централизма", "ru")
    assert text_for(group, "summary", "ru") == ("Оппозиционная группа.", "ru")
    assert text_for(group, "summary", "en") == ("An opposition group.", "en")
    assert text_for(term, "definition", "ru") == ("Губернский комитет партии.", "ru")
    assert text_for(event, "name", "ru") == ("10th Congress", "en")
    assert text_for(event, "summary", "ru") == ("The congress.", "en")
    with pytest.raises(ValueError, match="no 'definition'"):
        text_for(group, "definition", "ru")
    with pytest.raises(ValueError, match="no 'born'"):
        text_for(group, "born", "ru")


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        (
            '[groups.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\nname_ru = 3',
            "OVERLAY: groups.x.name_ru: must be a string, not an integer",
        ),
        (
            '[groups.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'definition_ru = "Икс"',
            "OVERLAY: groups.x.definition_ru: unknown field",
        ),
        (
            '[terms.x]\nname = "X"\ndefinition = "x"\nsources = [{ work = "article" }]\n'
            'summary_ru = "Икс"',
            "OVERLAY: terms.x.summary_ru: unknown field",
        ),
        (
            '[works.x]\nsources = [{ work = "article" }]\nname_ru = "Икс"\n'
            '[works.x.csl]\ntype = "book"\ntitle = "X"',
            "OVERLAY: works.x.name_ru: unknown field",
        ),
        (
            '[events.x]\nname = "X"\ndate = "1921"\nsummary = "x"\nsummary_ru = " "\n'
            'sources = [{ work = "article" }]',
            "OVERLAY: events.x.summary_ru: must not be empty",
        ),
        (
            '[votes.x]\nname = "X"\nbody = "B"\nsummary = "x"\nsources = [{ work = "article" }]\n'
            'tallies = [{ label = "For", votes = 3 }]\ngeneral_reference = ["name_ru"]',
            "OVERLAY: votes.x.general_reference: 'name_ru': 'name_ru' is not set on this record",
        ),
    ],
)
def test_russian_fields_are_checked(tmp_path: Path, overlay: str, expected: str) -> None:
    assert expected in problems(tmp_path, overlay)


PERSON = '[people.x]\nname = "X"\nsummary = "x"\nsources = [{ work = "article" }]\n'
VOTE = '[votes.x]\nname = "X"\nbody = "B"\nsummary = "x"\nsources = [{ work = "article" }]\n'


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        (
            PERSON + 'roles = ["historian", "editor"]\nroles_ru = ["историк"]',
            "OVERLAY: people.x.roles_ru: must have one item for each of the 2 in roles, in order, not 1",
        ),
        (
            PERSON + 'roles_ru = ["историк"]',
            "OVERLAY: people.x.roles_ru: translates roles, which is not set",
        ),
        (
            PERSON + 'note_ru = "Примечание."',
            "OVERLAY: people.x.note_ru: translates note, which is not set",
        ),
        (
            VOTE + 'tallies = [{ label = "For", votes = 3 }]\nplace_ru = "Тула"',
            "OVERLAY: votes.x.place_ru: translates place, which is not set",
        ),
        (
            VOTE + 'tallies = [{ label = "For", label_ru = 3, votes = 3 }]',
            "OVERLAY: votes.x.tallies[1].label_ru: must be a string, not an integer",
        ),
        (
            VOTE + 'tallies = [{ label_ru = "За", votes = 3 }]',
            "OVERLAY: votes.x.tallies[1].label: missing",
        ),
        (
            PERSON.replace('work = "article" }', 'work = "article", note_ru = "абз. 1" }'),
            "OVERLAY: people.x.sources[1].note_ru: translates note, which is not set",
        ),
        (
            VOTE + 'tallies = [{ label = "For", votes = 3, label_en = "For" }]',
            "OVERLAY: votes.x.tallies[1].label_en: unknown field (allowed: label, label_ru, group,"
            " votes)",
        ),
    ],
)
def test_translations_are_checked_against_the_english(
    tmp_path: Path, overlay: str, expected: str
) -> None:
    assert expected in problems(tmp_path, overlay)


TRANSLATED = """
[people.x]
name = "X"
summary = "x"
note = "A doubt."
note_ru = "Сомнение."
roles = ["historian", "editor"]
roles_ru = ["историк", "редактор"]
sources = [{ work = "article", locator = "para. 2", note = "the dates", note_ru = "даты" }]

[votes.v]
name = "V"
body = "Tula party organisation"
body_ru = "Тульская партийная организация"
place = "Tula"
place_ru = "Тула"
notes = "Six abstained."
notes_ru = "Шестеро воздержались."
summary = "v"
sources = [{ work = "article" }]
tallies = [{ label = "Against", label_ru = "Против", votes = 3 }, { label = "For", votes = 4 }]
"""


def test_translations_load_and_text_for_falls_back_to_english(tmp_path: Path) -> None:
    base = load([write(tmp_path, TRANSLATED)], bundled=MINI)
    person, vote = base.get("x"), base.get("v")
    assert isinstance(person, Person) and isinstance(vote, Vote)
    assert roles_for(person, "ru") == (("историк", "редактор"), "ru")
    assert roles_for(person, "en") == (("historian", "editor"), "en")
    assert text_for(person, "note", "ru") == ("Сомнение.", "ru")
    assert text_for(person.sources[0], "note", "ru") == ("даты", "ru")
    assert text_for(vote, "body", "ru") == ("Тульская партийная организация", "ru")
    assert text_for(vote, "place", "ru") == ("Тула", "ru")
    assert text_for(vote, "notes", "ru") == ("Шестеро воздержались.", "ru")
    assert text_for(vote.tallies[0], "label", "ru") == ("Против", "ru")
    assert text_for(vote.tallies[1], "label", "ru") == ("For", "en")  # no label_ru
    assert text_for(vote.tallies[1], "label", "en") == ("For", "en")
    assert text_for(vote, "note", "ru") == ("", "en")  # no note at all
    shlyapnikov = base.get("shlyapnikov")
    assert isinstance(shlyapnikov, Person)
    assert roles_for(shlyapnikov, "ru") == (("chairman of the metalworkers' union",), "en")


def test_a_missing_required_list_is_reported_once(tmp_path: Path) -> None:
    found = problems(tmp_path, '[votes.v]\nname = "V"\nsummary = "v"\nbody = "b"\n')
    assert found == ["OVERLAY: votes.v.sources: missing", "OVERLAY: votes.v.tallies: missing"]


def test_a_record_citing_a_work_twice_is_listed_once_and_its_links_kept(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        '[people.reader]\nname = "A Reader"\nsummary = "S"\ngroups = ["wo", "p10"]\n'
        'sources = [{ work = "article", locator = "p. 1" }, { work = "article", locator = "p. 2" }]\n',
    )
    base = load([overlay], bundled=FIXTURES / "mini.toml")
    citing = [r.id for r in base.citing("article")]
    assert citing.count("reader") == 1 and "shlyapnikov" in citing
    assert "reader" in [p.id for p in base.members("wo")]
    assert "reader" in [p.id for p in base.members("p10")]
