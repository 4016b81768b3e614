"""Checks on the bundled fact base, read straight from the TOML (independent of wocli's API).

Expected figures and dates are typed from the source article
(/work/shared/sources/workers-opposition-article.txt), never computed from the data.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FACTS = Path(__file__).parents[1] / "data" / "facts.toml"
KINDS = ("people", "groups", "events", "votes", "works", "terms")
ARTICLE = "wikipedia-workers-opposition"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    with FACTS.open("rb") as f:
        loaded: dict[str, Any] = tomllib.load(f)
    return loaded


def all_records(data: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(kind, rid, rec) for kind in KINDS for rid, rec in data.get(kind, {}).items()]


def kind_of(data: dict[str, Any], rid: str) -> str | None:
    for kind in KINDS:
        if rid in data.get(kind, {}):
            return kind
    return None


# --- votes: every figure the article gives -------------------------------------------------

# vote id -> (date, [(group or None, votes), ...] in the article's order, total)
VOTES = {
    # para. 3: "adopted by a majority of 185 votes against 49"
    "tula-extraordinary-conference-1920": (None, [(None, 185), (None, 49)], 234),
    # para. 6: "124 against 154 people"
    "moscow-gubernia-conference-1920-11": ("1920-11", [(None, 124), (None, 154)], 278),
    # para. 11: 76 Lenin, 27 Trotsky, 4 WO, 11 Democratic Centralism, 25 Ignatians
    "moscow-committee-1921-01-17": (
        "1921-01-17",
        [
            ("platform-of-the-ten", 76),
            ("trotsky-platform", 27),
            ("workers-opposition", 4),
            ("democratic-centralists", 11),
            ("ignatov-group", 25),
        ],
        143,
    ),
    # para. 11: 582 Lenin-Zinoviev, 272 Trotsky, 16 Shlyapnikov
    "tula-1921-01-25": (
        "1921-01-25",
        [("platform-of-the-ten", 582), ("trotsky-platform", 272), ("workers-opposition", 16)],
        870,
    ),
    # para. 12: 59 platform 10, 10 WO, 7 Trotskyists
    "zamoskvoretsky-1921-01-27": (
        "1921-01-27",
        [("platform-of-the-ten", 59), ("workers-opposition", 10), ("trotsky-platform", 7)],
        76,
    ),
    # para. 12: 43 Lenin, 7 WO, 4 Trotsky (undated in the article)
    "baumansky-1921": (
        None,
        [("platform-of-the-ten", 43), ("workers-opposition", 7), ("trotsky-platform", 4)],
        54,
    ),
    # para. 12: WO 61, platform 10 137, Trotsky 8
    "miners-congress-1921-vote": (
        None,
        [("workers-opposition", 61), ("platform-of-the-ten", 137), ("trotsky-platform", 8)],
        206,
    ),
    # para. 13: 217, 52, 45, 13
    "moscow-provincial-conference-1921-02-19": (
        "1921-02-19",
        [
            ("platform-of-the-ten", 217),
            ("trotsky-platform", 52),
            ("workers-opposition", 45),
            ("democratic-centralists", 13),
        ],
        327,
    ),
    # para. 13: "eleven out of twenty votes"
    "metalworkers-cc-1921-vote": (None, [("workers-opposition", 11), (None, 9)], 20),
}


def test_every_vote_is_pinned(data: dict[str, Any]) -> None:
    assert set(data["votes"]) == set(VOTES)


@pytest.mark.parametrize("vid", sorted(VOTES))
def test_vote_tallies_and_total(data: dict[str, Any], vid: str) -> None:
    date, expected, total = VOTES[vid]
    vote = data["votes"][vid]
    got = [(t.get("group"), t["votes"]) for t in vote["tallies"]]
    assert got == expected
    assert sum(t["votes"] for t in vote["tallies"]) == total
    if date is not None:
        assert vote["date"] == date


def test_vote_notes_keep_what_the_figures_leave_out(data: dict[str, Any]) -> None:
    votes = data["votes"]
    assert "eight platforms" in votes["moscow-committee-1921-01-17"]["notes"].lower()
    assert "less than two votes" in votes["moscow-committee-1921-01-17"]["notes"]
    assert "three hundred" in votes["moscow-provincial-conference-1921-02-19"]["notes"]
    assert "eleven out of twenty" in votes["metalworkers-cc-1921-vote"]["notes"]
    assert "date" in votes["baumansky-1921"]["note"].lower()


# --- key dates -------------------------------------------------------------------------------

EVENT_DATES = {
    "shlyapnikov-statement-1917": "1917-11-04",  # para. 2
    "eighth-congress-1919": "1919",  # para. 7
    "second-tula-conference": "1920-02",  # para. 3
    "tula-membership-halved": "1920-05/1920-11",  # para. 3
    "separation-of-functions-proposal": "1920-03",  # para. 4
    "trade-union-factions-march-1920": "1920-03-08/1920-03-15",  # paras. 5, 9
    "ninth-conference-1920": "1920-09",  # paras. 2, 6
    "orgburo-tula-1920-11": "1920-11",  # para. 6
    "moscow-gubernia-conference-1920": "1920-11",  # para. 6
    "cc-plenum-1920-12-24": "1920-12-24",  # para. 9
    "meeting-1920-12-30": "1920-12-30",  # para. 10
    "petrograd-appeal-1921-01-03": "1921-01-03",  # para. 10
    "moscow-committee-meeting-1921": "1921-01-17",  # para. 11
    "tula-debate-1921": "1921-01-25",  # para. 11
    "zamoskvoretsky-meeting-1921": "1921-01-27",  # para. 12
    "moscow-provincial-conference-1921": "1921-02-19",  # para. 13
    "tenth-congress": "1921-03",  # paras. 1, 14
    "tenth-congress-cc-elections": "1921-03",  # para. 15
    "dreadnought-serial-1921": "1921-04-22/1921-08-19",  # bibliography
    "kollontai-comintern-1921-07-05": "1921-07-05",  # para. 16
    "kollontai-restrained-1922-02": "1922-02",  # para. 17
    "eleventh-congress": "1922",  # para. 17
    "executions-1937": "1937-09",  # para. 18
    "rehabilitation-shlyapnikov-1963": "1963",  # para. 19
    "rehabilitation-medvedev-1977": "1977",  # para. 19
    "potemkin-mutiny-1905": "1905",  # para. 20: "the 1905 mutiny"
    "wo-emerges-moscow-periphery": "1919-12/1920-01",  # para. 4: end of 1919 to beginning of 1920
    "unions-fall-out-1920": "1920-01/1920-03",  # para. 8: "the beginning of 1920"
    "moscow-struggle-autumn-1920": "1920-23",  # para. 6: "in the fall of 1920"
    "letter-of-twenty-two-1922": "1922-01/1922-02",  # para. 17: beginning of 1922, before February
    "charges-1930s": "193X",  # para. 18: "the latter half of the 1930s"
}


@pytest.mark.parametrize("eid", sorted(EVENT_DATES))
def test_key_event_dates(data: dict[str, Any], eid: str) -> None:
    assert data["events"][eid]["date"] == EVENT_DATES[eid]


def test_votes_point_at_events_with_the_same_date(data: dict[str, Any]) -> None:
    for vid, vote in data["votes"].items():
        if "event" in vote and "date" in vote:
            assert data["events"][vote["event"]]["date"] == vote["date"], vid


def test_sourced_life_dates(data: dict[str, Any]) -> None:
    people = data["people"]
    assert people["shlyapnikov"]["born"] == "1885"  # Allen 2015's title
    assert people["shlyapnikov"]["died"] == "1937-09"  # para. 18
    assert people["medvedev"]["died"] == "1937-09"  # para. 18
    assert (people["mitin"]["born"], people["mitin"]["died"]) == ("1882", "1937")  # para. 17
    assert (people["kuznetsov"]["born"], people["kuznetsov"]["died"]) == ("1898", "1937")
    for pid in ("shlyapnikov", "medvedev", "mitin", "kuznetsov"):
        flagged = people[pid].get("general_reference", [])
        assert "born" not in flagged and "died" not in flagged, pid


def test_article_inconsistency_on_ninth_congress_is_noted(data: dict[str, Any]) -> None:
    note = data["events"]["ninth-conference-1920"]["note"]
    assert "9th Congress" in note and "Conference" in note


def test_the_article_is_an_encyclopedia_entry(data: dict[str, Any]) -> None:
    csl = data["works"][ARTICLE]["csl"]
    assert csl["type"] == "entry-encyclopedia"
    assert csl["URL"] == "https://en.wikipedia.org/wiki/Workers%27_Opposition"


def test_bibliography_details(data: dict[str, Any]) -> None:
    works = data["works"]
    assert works["allen2015"]["csl"]["issued"] == {"date-parts": [[2015, 1]]}
    assert works["allen2008"]["csl"]["volume"] == "35"
    assert works["allen2008"]["csl"]["issue"] == "2"
    assert works["allen2008"]["csl"]["page"] == "21-54"
    assert works["allen2007"]["csl"]["page"] == "21-54"
    assert works["holmes1990"]["csl"]["collection-number"] == "802"
    assert works["kollontai1921"]["csl"]["language"] == "ru"
    assert works["kollontai1921-dreadnought"]["csl"]["issued"] == {
        "date-parts": [[1921, 4, 22], [1921, 8, 19]]
    }
    assert works["daniels1960"]["csl"]["issued"] == {"date-parts": [[1960]]}
    assert works["sorenson1969"]["csl"]["issued"] == {"date-parts": [[1969]]}
    assert works["allen2021"]["csl"]["issued"] == {"date-parts": [[2021]]}


# --- integrity ---------------------------------------------------------------------------------


def test_ids_are_slugs_and_unique_across_kinds(data: dict[str, Any]) -> None:
    ids = [rid for _, rid, _ in all_records(data)]
    assert all(ID_RE.match(rid) for rid in ids), [r for r in ids if not ID_RE.match(r)]
    dupes = [rid for rid, n in Counter(ids).items() if n > 1]
    assert not dupes


def test_every_record_has_a_source_and_every_source_work_exists(data: dict[str, Any]) -> None:
    for kind, rid, rec in all_records(data):
        sources = rec.get("sources")
        assert isinstance(sources, list) and sources, f"{kind}.{rid} has no sources"
        for src in sources:
            assert src["work"] in data["works"], f"{kind}.{rid}: unknown work {src['work']}"


def test_article_locators_are_paragraphs_of_the_article(data: dict[str, Any]) -> None:
    for kind, rid, rec in all_records(data):
        for src in rec["sources"]:
            loc = src.get("locator")
            if src["work"] != ARTICLE or loc is None or loc == "bibliography":
                continue
            m = re.fullmatch(r"para\. (\d+)", loc)
            assert m, f"{kind}.{rid}: locator {loc!r}"
            assert 1 <= int(m[1]) <= 21, f"{kind}.{rid}: the article has 21 paragraphs"


def test_every_reference_exists_and_has_the_right_kind(data: dict[str, Any]) -> None:
    wanted = {
        ("people", "groups"): ("groups",),
        ("events", "people"): ("people",),
        ("events", "groups"): ("groups",),
        ("votes", "people"): ("people",),
        ("terms", "related"): KINDS,
    }
    problems = []
    for (kind, field), kinds in wanted.items():
        for rid, rec in data.get(kind, {}).items():
            for ref in rec.get(field, []):
                if kind_of(data, ref) not in kinds:
                    problems.append(f"{kind}.{rid}.{field}: {ref}")
    for rid, vote in data["votes"].items():
        if "event" in vote and vote["event"] not in data["events"]:
            problems.append(f"votes.{rid}.event: {vote['event']}")
        for tally in vote["tallies"]:
            if "group" in tally and tally["group"] not in data["groups"]:
                problems.append(f"votes.{rid}.tallies: {tally['group']}")
    assert not problems


def test_groups_do_not_store_members(data: dict[str, Any]) -> None:
    for rid, group in data["groups"].items():
        assert "members" not in group and "people" not in group, rid


def test_general_reference_marks_name_fields_or_aliases_that_are_set(data: dict[str, Any]) -> None:
    for kind, rid, rec in all_records(data):
        for mark in rec.get("general_reference", []):
            field, per_item, item = mark.partition(":")
            assert field in rec and field not in ("sources", "general_reference"), (rid, mark)
            if per_item:
                assert item in rec[field], f"{kind}.{rid}: {mark!r} marks no item of {field}"


def test_names_and_summaries_present(data: dict[str, Any]) -> None:
    for kind, rid, rec in all_records(data):
        if kind == "works":
            assert rec["csl"].get("title") and rec["csl"].get("type"), rid
        elif kind == "terms":
            assert rec.get("name") and rec.get("definition"), rid
        else:
            assert rec.get("name") and rec.get("summary"), rid


def test_historians_have_no_russian_name(data: dict[str, Any]) -> None:
    for pid in ("allen", "daniels", "holmes", "sorenson"):
        assert "name_ru" not in data["people"][pid]


def test_coverage_of_named_people(data: dict[str, Any]) -> None:
    expected = {
        "shlyapnikov", "kollontai", "medvedev", "lutovinov", "kiselyov", "vladimirov",
        "tolokontsev", "bruno", "chelyshev", "kutuzov", "orlov", "kopylov", "severny",
        "nikitin", "mitin", "kuznetsov", "shadurskaia", "lenin", "trotsky", "zinoviev",
        "bukharin", "krestinsky", "lozovsky", "ignatov", "riazanov", "tomsky", "myasnikov",
        "allen", "daniels", "holmes", "sorenson",
    }  # fmt: skip
    assert expected <= set(data["people"])


def test_spelling_variants_are_aliases_of_one_record(data: dict[str, Any]) -> None:
    people = data["people"]
    assert "Shliapnikov" in people["shlyapnikov"]["aliases"]
    assert "Yury Lutovinov" in people["lutovinov"]["aliases"]
    assert "Aleksei Semyonovich Kiselyov" in people["kiselyov"]["aliases"]
    assert "Alexei Kiselyov" in people["kiselyov"]["aliases"]
    assert "Decists" in data["groups"]["democratic-centralists"]["aliases"]
    assert "Platform 10" in data["groups"]["platform-of-the-ten"]["aliases"]
    assert "VTsSPS" in data["groups"]["vtsps"]["aliases"]


EDTF_POINT = r"(?:\d{4}(?:-(?:0[1-9]|1[0-2]|2[1-4])(?:-\d{2})?)?|\d{3}X)[?~%]?"
EDTF_RE = re.compile(rf"^(?:{EDTF_POINT}|(?:{EDTF_POINT}|\.\.)/(?:{EDTF_POINT}|\.\.))$")


def test_dates_are_edtf(data: dict[str, Any]) -> None:
    for kind, rid, rec in all_records(data):
        for field in ("date", "born", "died"):
            if field in rec:
                assert EDTF_RE.match(rec[field]), f"{kind}.{rid}.{field}: {rec[field]!r}"


def test_the_articles_known_faults_are_noted(data: dict[str, Any]) -> None:
    assert "All-Union" in data["groups"]["vtsps"]["note"]
    assert "USSR" in data["events"]["separation-of-functions-proposal"]["note"]
    assert "Moscow Oblast" in data["events"]["wo-emerges-moscow-periphery"]["note"]
    assert "syndacalist" in data["terms"]["syndicalist-deviation"]["note"]
    assert "missing" in data["events"]["executions-1937"]["note"]
    assert "49" in data["votes"]["tula-extraordinary-conference-1920"]["note"]
    assert "44.6%" in data["votes"]["moscow-gubernia-conference-1920-11"]["note"]
    assert "[ru]" in data["people"]["tolokontsev"]["note"]
    assert "[ru]" in data["people"]["kutuzov"]["note"]


def test_tenth_congress_elections(data: dict[str, Any]) -> None:
    # para. 15: Shlyapnikov a full member, Medvedev and Kiselyov candidate members
    people = data["people"]
    assert any(
        r.startswith("full member of the Central Committee") for r in people["shlyapnikov"]["roles"]
    )
    for pid in ("medvedev", "kiselyov"):
        assert any(
            r.startswith("candidate member of the Central Committee") for r in people[pid]["roles"]
        )
    assert set(data["events"]["tenth-congress-cc-elections"]["people"]) == {
        "shlyapnikov",
        "medvedev",
        "kiselyov",
    }


def test_eleventh_congress_outcomes(data: dict[str, Any]) -> None:
    # para. 17: Shlyapnikov, Kollontai, Medvedev escaped expulsion; Mitin and Kuznetsov were expelled
    people = set(data["events"]["eleventh-congress"]["people"])
    assert {"shlyapnikov", "kollontai", "medvedev", "mitin", "kuznetsov"} <= people
    signatories = set(data["events"]["letter-of-twenty-two-1922"]["people"])
    assert signatories == {
        "shlyapnikov",
        "medvedev",
        "kollontai",
        "shadurskaia",
        "mitin",
        "kuznetsov",
    }


def test_other_figures_in_the_text(data: dict[str, Any]) -> None:
    groups = data["groups"]
    assert "Five-member" in groups["trade-union-commission"]["summary"]  # para. 9
    assert "eleven of its twenty" in groups["metalworkers-union"]["summary"]  # para. 13
    assert "4 November 1917" in data["people"]["shlyapnikov"]["summary"]  # para. 2
    assert "1963" in data["people"]["shlyapnikov"]["summary"]  # para. 19
    assert "1977" in data["people"]["medvedev"]["summary"]  # para. 19


def test_meeting_of_30_december_names_both_bodies(data: dict[str, Any]) -> None:
    # para. 10: communist faction of the 8th All-Russian Congress of Soviets and of the trade-union council
    groups = data["events"]["meeting-1920-12-30"]["groups"]
    assert "eighth-congress-of-soviets" in groups and "vtsps" in groups


def test_main_figures_have_the_usual_romanisations(data: dict[str, Any]) -> None:
    aliases = data["people"]["shlyapnikov"]["aliases"]
    for spelling in ("Shliapnikov", "Šljapnikov", "Schljapnikow", "Chliapnikov"):
        assert spelling in aliases, spelling
    for pid in ("medvedev", "kollontai", "lutovinov", "kiselyov", "lenin", "trotsky", "zinoviev",
                "bukharin", "myasnikov"):  # fmt: skip
        assert len(data["people"][pid]["aliases"]) >= 6, pid


def test_more_of_the_articles_faults_are_noted(data: dict[str, Any]) -> None:
    assert "secret" in data["events"]["tenth-congress"]["note"]
    assert "mistranslation" in data["terms"]["militarization-of-labour"]["note"]
    assert "Trotskyists" in data["groups"]["trotsky-platform"]["note"]
    for kind, rid in (("people", "shlyapnikov"), ("events", "executions-1937")):
        assert "shot" not in data[kind][rid]["summary"], rid  # the article says "executed"


# --- issue 18: what the article says, exactly ----------------------------------------------------


def norm(text: str) -> str:
    """Case, apostrophes, dashes, hyphens and brackets aside, for finding a name in the article."""
    text = text.replace("’", "'").replace("–", "-").replace("—", "-").lower()
    text = re.sub(r"[().\"“”]", " ", text).replace("-", " ")
    return " ".join(text.split())


ARTICLE_TEXT = Path(__file__).parents[2] / "shared" / "sources" / "workers-opposition-article.txt"

# Names and aliases of people and groups that the article does not print as they stand, but that
# are made from what it prints, not taken from elsewhere: initials of a full name it gives, its own
# spelling without a stray accent, a bibliography's "Family, Given" turned round, and descriptive
# labels built from its own words. Anything else not in the article must be general reference.
DERIVED = {
    "kiselyov": {"A. S. Kiselyov"},
    "mitin": {"Flor Mitin", "F. A. Mitin"},
    "kuznetsov": {"Nikolai Kuznetsov", "Nikolai Vladimirovich Kuznetsov", "N. V. Kuznetsov"},
    "allen": {"B. C. Allen"},
    "daniels": {"Robert Daniels"},
    "holmes": {"Larry E. Holmes", "Larry Holmes"},
    "sorenson": {"Jay Sorenson"},
    "platform-of-the-ten": {"Lenin's platform"},
    "trotsky-platform": {"Trotsky's platform", "Trotsky's group", "Trotsky platform"},
    "ignatov-group": {"Ignatov group"},
    "workers-group": {"Workers' Group", "Workers’ Group", "Workers' Group of Myasnikov", "Myasnikov group"},
    "central-committee": {"Central Committee of the Russian Communist Party"},
    "orgburo": {"Organising Bureau"},
    "trade-union-commission": {"Trade-union commission of the Central Committee", "five-member commission"},
    "novosilsky-committee": {"Novosilsky committee"},
    "zarechensky-committee": {"Zarechensky committee"},
    "moscow-committee": {"Moscow committee of the RCP(b)", "Moscow party committee"},
    "petrograd-organisation": {"Petrograd party organisation", "Petrograd organisation"},
    "textileworkers-union": {"Textile Workers' Union", "textile workers' union"},
    "comintern-executive": {"Executive of the Comintern"},
    "eighth-congress-of-soviets": {"Eighth All-Russian Congress of Soviets", "8th Congress of Soviets", "Eighth Congress of Soviets"},
    "german-council-communists": {"German council communists", "council communists"},
}  # fmt: skip


def test_names_the_article_does_not_give_are_marked_general_reference(
    data: dict[str, Any],
) -> None:
    article = norm(ARTICLE_TEXT.read_text(encoding="utf-8"))
    unmarked = []
    for kind in ("people", "groups"):
        for rid, rec in data[kind].items():
            marks = set(rec.get("general_reference", []))
            forms = [("name", rec["name"])] + [(f"aliases:{a}", a) for a in rec.get("aliases", [])]
            for mark, form in forms:
                if mark in marks or form in DERIVED.get(rid, set()):
                    continue
                if norm(form) not in article:
                    unmarked.append(f"{kind}.{rid}: {form!r}")
    assert not unmarked


def test_derived_forms_are_not_also_in_the_article_or_marked(data: dict[str, Any]) -> None:
    # keeps DERIVED honest: each entry is needed, and is a name or alias of its record
    for rid, forms in DERIVED.items():
        rec = data["people"].get(rid) or data["groups"][rid]
        for form in forms:
            assert form == rec["name"] or form in rec.get("aliases", []), (rid, form)


def test_every_russian_form_is_general_reference_but_the_articles_own(data: dict[str, Any]) -> None:
    # the only Cyrillic in the article is "Рабочая оппозиция" (para. 1)
    cyrillic = re.compile("[\u0400-\u04ff]")
    for _, rid, rec in all_records(data):
        marks = set(rec.get("general_reference", []))
        if "name_ru" in rec and not (
            rid == "workers-opposition" and rec["name_ru"] == "Рабочая оппозиция"
        ):
            assert "name_ru" in marks, rid
        for alias in rec.get("aliases", []):
            if cyrillic.search(alias) and not (
                rid == "workers-opposition" and alias == "Рабочая оппозиция"
            ):
                assert f"aliases:{alias}" in marks, (rid, alias)


def test_specific_marks(data: dict[str, Any]) -> None:
    people, groups = data["people"], data["groups"]
    marks = set(people["shlyapnikov"]["general_reference"])
    assert (
        "aliases:Alexander Gavrilovich Shlyapnikov" in marks
    )  # the patronymic is not in the article
    assert "aliases:Shliapnikov" not in marks  # Allen's titles in the bibliography
    assert "born" not in marks  # Allen 2015's title
    assert "aliases:Yury Lutovinov" not in people["lutovinov"]["general_reference"]  # para. 9
    for gid in ("vtsps", "mgsps", "platform-of-the-ten", "orgburo"):
        assert "name" in groups[gid]["general_reference"], gid  # All-Union, MGPSS, Platform 10
    for pid in ("lenin", "zinoviev"):
        assert "name" in people[pid]["general_reference"], pid  # surname only in the article
    assert people["krestinsky"]["name"] == "Nikolay Krestinsky"  # para. 5's spelling
    assert "aliases:Nikolai Krestinsky" in people["krestinsky"]["general_reference"]


def test_participant_lists_hold_only_those_who_took_part(data: dict[str, Any]) -> None:
    events, votes = data["events"], data["votes"]
    # para. 6: Lenin's "two rooms" is a later remark, not presence
    assert "people" not in events["moscow-gubernia-conference-1920"]
    # para. 5: Bukharin and Krestinsky spoke, Lozovsky attended; para. 9: Riazanov and Tomsky
    # are only in Kiselyov's classification; Shlyapnikov's presence is not stated
    assert events["trade-union-factions-march-1920"]["people"] == [
        "bukharin",
        "krestinsky",
        "lozovsky",
    ]
    assert "workers-opposition" not in events["trade-union-factions-march-1920"]["groups"]
    # paras. 10-11: platform authors, backed or accused, are not participants
    for eid in ("petrograd-appeal-1921-01-03", "moscow-committee-meeting-1921", "tenth-congress"):
        assert "people" not in events[eid], eid
    # para. 10: the speakers of 30 December 1920 and their groups are not named
    assert events["meeting-1920-12-30"]["groups"] == ["vtsps", "eighth-congress-of-soviets"]
    # para. 3: nobody is named at the extraordinary conference; Severny and Nikitin left afterwards
    assert "people" not in events["tula-extraordinary-conference"]
    assert events["tula-walkout-1920"]["people"] == ["severny", "nikitin"]
    # para. 17: the group was dissolved by then; its former exponents signed
    assert "workers-opposition" not in events["letter-of-twenty-two-1922"]["groups"]
    # votes: only rapporteurs (para. 11) and Ignatov, who spoke at the conference (para. 13)
    with_people = {vid: v["people"] for vid, v in votes.items() if "people" in v}
    assert with_people == {
        "tula-1921-01-25": ["trotsky", "zinoviev", "shlyapnikov"],
        "moscow-provincial-conference-1921-02-19": ["ignatov"],
    }


def test_tula_sequence_is_the_articles(data: dict[str, Any]) -> None:
    # para. 3: the Central Committee recalled Kopylov; "in response" Zarechensky asked to keep him
    for text in (
        data["events"]["tula-conflict-1920"]["summary"],
        data["people"]["kopylov"]["summary"],
    ):
        assert text.index("recalled") < text.index("Zarechensky")
        assert "despite" not in text


def test_unstated_vote_object_is_not_supplied(data: dict[str, Any]) -> None:
    # para. 3: "a resolution evaluating the work as unsatisfactory" - whose work is not said
    vote = data["votes"]["tula-extraordinary-conference-1920"]
    assert vote["tallies"][0]["label"] == "For the resolution judging the work unsatisfactory"
    for text in (vote["name"], vote["summary"], data["events"]["tula-extraordinary-conference"]["summary"],
                 data["people"]["kopylov"]["summary"], data["people"]["severny"]["summary"]):  # fmt: skip
        assert "committee's work" not in text and "against Kopylov" not in text


def test_the_letter_was_signed_not_led(data: dict[str, Any]) -> None:
    # para. 17: "former exponents of the Workers' Opposition, such as Shlyapnikov and Medvedev ... signed"
    for text in (data["events"]["letter-of-twenty-two-1922"]["summary"],
                 data["terms"]["letter-of-the-twenty-two"]["definition"]):  # fmt: skip
        assert "led by" not in text and "headed by" not in text
        assert "Twenty-two Russian communists" not in text  # the number of signers is not given


def test_memberships_are_the_articles(data: dict[str, Any]) -> None:
    people = data["people"]
    # para. 5: "representatives of the Central Committee", not members of it
    for pid in ("bukharin", "krestinsky"):
        assert "central-committee" not in people[pid]["groups"], pid
    assert "groups" not in people["shadurskaia"]  # para. 17 does not make her a party member
    for pid in ("mitin", "kuznetsov"):  # signatories, not said to be Workers' Opposition
        assert "workers-opposition" not in people[pid]["groups"], pid


def test_every_claim_of_the_issue_is_in_the_base(data: dict[str, Any]) -> None:
    terms, groups, events = data["terms"], data["groups"], data["events"]
    camps = terms["kiselyov-three-camps"]  # para. 9: all three of Kiselyov's groups
    assert "'merged'" in camps["definition"] and "Shlyapnikov's supporters" in camps["definition"]
    assert {"riazanov", "tomsky", "shlyapnikov"} <= set(camps["related"])
    assert [s["locator"] for s in camps["sources"]] == ["para. 9"]
    programme = terms["wo-programme"]["definition"]  # para. 21
    for claim in ("party secretaries", "staff and supplies", "diktat", "blue- and white-collar",
                  "removable from below"):  # fmt: skip
        assert claim in programme, claim
    assert "para. 21" in [s["locator"] for s in terms["wo-programme"]["sources"]]
    # para. 11: where the struggle in the capital was fought, and the ambiguity noted
    assert "capital" in groups["platform-of-the-ten"]["summary"]
    assert "capital" in groups["platform-of-the-ten"]["note"]
    assert "capital" in groups["trotsky-platform"]["summary"]
    # para. 4: the group took shape in the capital in March 1920
    assert events["wo-takes-shape-moscow-1920-03"]["date"] == "1920-03"
    # para. 2: it declared its existence and the 'work to be done' in September 1920
    assert "'work to be done'" in events["ninth-conference-1920"]["summary"]
    # para. 6: speeches spread after September 1920
    assert events["opposition-spreads-1920"]["date"] == "1920-09/1920-11"
    # para. 16: marginalised under NEP
    assert "NEP" in groups["workers-opposition"]["summary"]


def test_notes_the_source_needs(data: dict[str, Any]) -> None:
    terms, events, people = data["terms"], data["events"], data["people"]
    assert "Russianism" in terms["fractionism"]["note"]  # "fraction" for faction
    assert "fraction" in terms["trade-union-debate"]["note"]
    assert "professional" in events["petrograd-appeal-1921-01-03"]["note"]
    assert "Moreover" in events["unions-fall-out-1920"]["note"]  # contradictory connective
    assert "in particular" in events["tula-membership-halved"]["note"]
    for eid, quoted in (
        ("shlyapnikov-statement-1917", "ideological sources"),
        ("ninth-conference-1920", "work to be done"),
        ("meeting-1920-12-30", "bad character"),
        ("zamoskvoretsky-meeting-1921", "motley"),
    ):  # unattributed quotations
        assert quoted in events[eid]["note"], eid
    assert "capital" in events["wo-takes-shape-moscow-1920-03"]["note"]  # ambiguous reference
    assert "Gavril" in people["myasnikov"]["note"]  # odd renderings of names
    assert "romanisations" in people["shadurskaia"]["note"]
    assert "Nikolay" in people["krestinsky"]["note"]


PARAS = re.compile(r"paras?\. (\d+(?:(?:-|–|, | and )\d+)*)")


def test_locators_name_every_paragraph_a_record_draws_on(data: dict[str, Any]) -> None:
    for kind, rid, rec in all_records(data):
        if rid == ARTICLE:
            continue  # the article's own record speaks of its paragraphs in general
        cited = {
            int(s["locator"].removeprefix("para. "))
            for s in rec["sources"]
            if s["work"] == ARTICLE and s.get("locator", "").startswith("para. ")
        }
        text = " ".join(str(rec.get(f, "")) for f in ("summary", "definition", "note", "notes"))
        named: set[int] = set()
        for m in PARAS.finditer(text):
            for span in re.split(r", | and ", m[1]):
                first, _, last = span.replace("–", "-").partition("-")
                named.update(range(int(first), int(last or first) + 1))
        assert named <= cited, f"{kind}.{rid}: mentions paras. {sorted(named - cited)}"


# Every distinct claim of every paragraph, and the record that carries it: (paragraph, record,
# words of the record that state it). The record must cite the paragraph, and say it.
CLAIMS = [
    (1, "groups.workers-opposition", "faction of Russia's ruling Communist Party"),
    (1, "terms.bureaucratisation", "perceived over-bureaucratisation"),
    (1, "groups.workers-opposition", "trade unions to run the national economy"),
    (1, "people.lutovinov", "heads of the Workers' Opposition"),
    (1, "groups.workers-opposition", "Banned with all factions by the 10th Congress in March 1921"),
    (1, "groups.workers-opposition", "semi-clandestinely until the 11th Congress in 1922"),
    (1, "events.eleventh-congress", "within a whisker of expulsion"),
    (1, "terms.council-communism", "no direct contacts are known"),
    (2, "events.shlyapnikov-statement-1917", "'from all Soviet parties'"),
    (2, "events.ninth-conference-1920", "first public appearance as an organised group"),
    (2, "events.ninth-conference-1920", "'work to be done'"),
    (3, "groups.workers-opposition", "Lenin, the article says, gave it its name"),
    (3, "events.second-tula-conference", "held most seats on the provincial committee"),
    (3, "events.tula-conflict-1920", "planned its defeat at the next provincial conference"),
    (
        3,
        "events.tula-conflict-1920",
        "Novosilsky district committee objected to Kopylov's election",
    ),
    (3, "events.tula-conflict-1920", "recalled Kopylov"),
    (3, "events.tula-conflict-1920", "asking that he be left to work in Tula"),
    (3, "votes.tula-extraordinary-conference-1920", "185 to 49"),
    (3, "events.tula-walkout-1920", "Severny and Nikitin walked out of the district committee"),
    (3, "events.tula-walkout-1920", "held on in the Zarechensky district organisation"),
    (3, "events.tula-membership-halved", "shrank by half, chiefly as local workers left"),
    (4, "events.wo-emerges-moscow-periphery", "outlying parts of the Moscow region"),
    (4, "events.wo-takes-shape-moscow-1920-03", "many trade-union leaders had come over to it"),
    (4, "events.separation-of-functions-proposal", "the unions alone to answer for the economy"),
    (4, "events.separation-of-functions-proposal", "schooling workers in managing industry"),
    (5, "terms.syndicalism", "challenge the party's leading role in the economy"),
    (5, "events.trade-union-factions-march-1920", "distrust of the Soviets and the party"),
    (5, "people.lozovsky", "accepted both the state and state property"),
    (6, "events.ninth-conference-1920", "upper and lower strata"),
    (6, "people.lutovinov", "later entered the group's programme"),
    (6, "events.ninth-conference-1920", "set up a control commission to curb factional struggle"),
    (6, "events.opposition-spreads-1920", "in the provinces and at the centre"),
    (6, "events.orgburo-tula-1920-11", "sent a commission to the province"),
    (6, "events.moscow-struggle-autumn-1920", "struggle inside the Moscow party grew bitter"),
    (6, "votes.moscow-gubernia-conference-1920-11", "124 delegates' votes to 154"),
    (6, "events.moscow-gubernia-conference-1920", "'ended in two rooms'"),
    (7, "terms.trade-union-debate", "brought the Workers' Opposition to the fore"),
    (7, "events.eighth-congress-1919", "management of the whole economy"),
    (7, "people.shlyapnikov", "'militaristic methods'"),
    (7, "terms.civil-war", "largely lost their independence to the state"),
    (8, "events.unions-fall-out-1920", "most unions wanted economic incentives"),
    (8, "events.unions-fall-out-1920", "better food for workers"),
    (8, "events.unions-fall-out-1920", "emergency, even military, measures"),
    (8, "terms.militarization-of-labour", "on Kiselyov's authority"),
    (9, "events.trade-union-factions-march-1920", "sessions of 8, 10 and 15 March"),
    (9, "terms.kiselyov-three-camps", "Riazanov and Tomsky"),
    (9, "terms.kiselyov-three-camps", "'merged' with the state apparatus"),
    (9, "terms.kiselyov-three-camps", "Shlyapnikov's supporters"),
    (9, "terms.trade-union-debate", "dates its start to spring 1920"),
    (9, "groups.trade-union-commission", "Five-member"),
    (9, "events.trade-union-commission-refusal", "Shlyapnikov, Lutovinov and Trotsky turned down"),
    (9, "events.cc-plenum-1920-12-24", "broad party discussion"),
    (10, "events.meeting-1920-12-30", "quickly turned acrimonious"),
    (
        10,
        "events.petrograd-appeal-1921-01-03",
        "From early January 1921 party organisations joined",
    ),
    (10, "events.petrograd-appeal-1921-01-03", "accusing Trotsky"),
    (10, "events.petrograd-appeal-1921-01-03", "in proportion to each group's vote"),
    (10, "events.petrograd-appeal-1921-01-03", "agitators sent to the provinces"),
    (11, "terms.trade-union-debate", '"a kind of formal revealing of party opinion"'),
    (11, "terms.trade-union-debate", "heard each platform's speakers and then voted"),
    (11, "groups.platform-of-the-ten", "by most party members"),
    (11, "votes.moscow-committee-1921-01-17", "Of the eight platforms"),
    (11, "groups.democratic-centralists", "'who wanted more Soviet autonomy'"),
    (11, "votes.tula-1921-01-25", "Trotsky, Zinoviev and Shlyapnikov as rapporteurs"),
    (11, "groups.petrograd-organisation", "supported Platform 10"),
    (11, "groups.platform-of-the-ten", "In the capital"),
    (12, "events.zamoskvoretsky-meeting-1921", "'more \"motley\" picture'"),
    (12, "votes.zamoskvoretsky-1921-01-27", "Platform 10 took 59 votes"),
    (12, "votes.baumansky-1921", "Lenin's theses won 43 votes"),
    (12, "votes.miners-congress-1921-vote", "Platform 10 won 137 votes"),
    (13, "events.moscow-provincial-conference-1921", "over three hundred delegates"),
    (13, "people.ignatov", "coming out for the Workers' Opposition platform"),
    (13, "votes.moscow-provincial-conference-1921-02-19", "Platform 10 217 votes"),
    (13, "groups.metalworkers-union", "eleven of its twenty votes"),
    (14, "events.tenth-congress", "which faction would win it"),
    (14, "events.tenth-congress", "contest for the party's leadership"),
    (14, "terms.on-party-unity", "outlawed factions in the party"),
    (14, "groups.democratic-centralists", "ended its hopes"),
    (15, "terms.syndicalist-deviation", "directed at the Workers' Opposition"),
    (15, "events.tenth-congress", "a party purge and better supplies for workers"),
    (15, "events.tenth-congress-cc-elections", "Shlyapnikov with full voting rights"),
    (15, "events.campaign-against-unions-1921", "pressure and intimidate those who resisted"),
    (16, "groups.workers-opposition", "pushed ever further to the margins"),
    (16, "events.kollontai-comintern-1921-07-05", "'threatened to disillusion workers"),
    (17, "groups.workers-group", "refusing, unlike Myasnikov, to quit the party"),
    (17, "events.letter-of-twenty-two-1922", "Party members of working-class origin"),
    (17, "events.letter-of-twenty-two-1922", "intellectuals from outside the working class"),
    (17, "events.kollontai-restrained-1922-02", "Trotsky and Zinoviev held Kollontai back"),
    (17, "events.eleventh-congress", "Mitin and Kuznetsov"),
    (17, "people.kollontai", "later became a diplomat"),
    (17, "works.shlyapnikov-memoirs", "Memoirs written by Shlyapnikov"),
    (18, "events.charges-1930s", "(Kollontai excepted)"),
    (18, "events.charges-1930s", "'Trotskyist–Zinovievist terrorist bloc'"),
    (18, "events.charges-1930s", "They denied the charges"),
    (18, "events.executions-1937", "executed in September 1937"),
    (18, "people.allen", "quotation itself is missing"),
    (19, "events.rehabilitation-shlyapnikov-1963", "rehabilitated in 1963"),
    (19, "events.rehabilitation-medvedev-1977", "nobody tried in the Workers' Opposition case"),
    (20, "groups.metalworkers-union", "Union chaired by Shlyapnikov"),
    (20, "groups.workers-opposition", "union officials and managers of industry"),
    (20, "people.kollontai", "called its mentor and advocate"),
    (20, "people.vladimirov", "Metalworkers' Union leaders"),
    (20, "people.tolokontsev", "artillery industry"),
    (20, "people.bruno", "artillery-industry manager"),
    (20, "people.chelyshev", "Control Commission"),
    (20, "people.kutuzov", "Textileworkers' Union"),
    (20, "people.orlov", "mutiny on the battleship Potemkin in 1905"),
    (20, "groups.miners-union", "Union chaired by Aleksei Kiselyov"),
    (20, "people.lutovinov", "did not always speak for it"),
    (21, "terms.wo-programme", "ran industry by diktat"),
    (21, "terms.wo-programme", "blue- and white-collar, to elect a hierarchy of councils"),
    (21, "terms.wo-programme", "removable from below"),
    (21, "terms.wo-programme", "party secretaries at every level to stop their petty meddling"),
    (21, "terms.wo-programme", "staff and supplies"),
    (21, "terms.bourgeois-specialists", "did not object to employing them"),
    (21, "terms.self-government", "first months of Soviet power"),
]


def test_every_paragraph_has_its_claims_in_the_base() -> None:
    assert {para for para, _, _ in CLAIMS} == set(range(1, 22))


@pytest.mark.parametrize(("para", "where", "words"), CLAIMS)
def test_a_claim_is_carried_and_cited(
    data: dict[str, Any], para: int, where: str, words: str
) -> None:
    kind, rid = where.split(".", 1)
    rec = data[kind][rid]
    text = " ".join(str(rec.get(f, "")) for f in ("summary", "definition", "note", "notes"))
    assert words in text
    locators = [s.get("locator") for s in rec["sources"] if s["work"] == ARTICLE]
    assert f"para. {para}" in locators


# --- Russian -------------------------------------------------------------------------------

CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def test_every_record_has_a_russian_summary_and_all_but_works_a_russian_name(
    data: dict[str, Any],
) -> None:
    for kind, rid, rec in all_records(data):
        text = rec.get("definition_ru" if kind == "terms" else "summary_ru", "")
        assert CYRILLIC.search(text), f"{kind}.{rid} has no Russian summary"
        if kind != "works" and rid not in ("allen", "daniels", "holmes", "sorenson"):
            assert CYRILLIC.search(rec.get("name_ru", "")), f"{kind}.{rid} has no Russian name"


def test_russian_names_not_in_the_article_are_marked_general_reference(
    data: dict[str, Any],
) -> None:
    # The article gives one Russian name (para. 1): "Workers' Opposition (Russian: Рабочая оппозиция)".
    wo = data["groups"]["workers-opposition"]
    assert wo["name_ru"] == "Рабочая оппозиция"
    assert "name_ru" not in wo.get("general_reference", [])
    for kind, rid, rec in all_records(data):
        if "name_ru" in rec and rid != "workers-opposition":
            assert "name_ru" in rec.get("general_reference", []), f"{kind}.{rid}"


def translations(kind: str, rec: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, English, Russian) for every text of a record the curators wrote in both."""
    found: list[tuple[str, str, str]] = []
    for field in ("summary", "definition", "note", "place", "body", "notes"):
        if field in rec:
            found.append((field, rec[field], rec.get(f"{field}_ru", "")))
    roles_ru = rec.get("roles_ru", [])
    for i, role in enumerate(rec.get("roles", [])):
        found.append((f"roles[{i + 1}]", role, roles_ru[i] if i < len(roles_ru) else ""))
    for i, tally in enumerate(rec.get("tallies", [])):
        found.append((f"tallies[{i + 1}].label", tally["label"], tally.get("label_ru", "")))
    for i, src in enumerate(rec.get("sources", [])):
        if "note" in src:
            found.append((f"sources[{i + 1}].note", src["note"], src.get("note_ru", "")))
    return found


def test_a_russian_text_states_no_figure_the_english_one_lacks(data: dict[str, Any]) -> None:
    checked = 0
    for kind, rid, rec in all_records(data):
        for field, english, russian in translations(kind, rec):
            figures = set(re.findall(r"\d+", english))
            figures |= {a + b for a, b in re.findall(r"\b(\d\d)\d\d-(\d\d)\b", english)}  # 1920-21
            extra = set(re.findall(r"\d+", russian)) - figures
            assert not extra, f"{kind}.{rid}.{field}_ru: {sorted(extra)} only in Russian"
            checked += 1
    # 157 summaries, 111 notes, 57 roles, 27 places, 9 bodies, 27 labels, 4 counts, 13 sources
    assert checked == 157 + 111 + 57 + 27 + 9 + 27 + 4 + 13


def test_every_english_text_has_its_russian_counterpart(data: dict[str, Any]) -> None:
    for kind, rid, rec in all_records(data):
        if "roles" in rec:
            assert len(rec.get("roles_ru", [])) == len(rec["roles"]), f"{kind}.{rid}.roles_ru"
        for field, english, russian in translations(kind, rec):
            if field in ("summary", "definition") and kind == "works" and not english:
                continue
            assert CYRILLIC.search(russian), f"{kind}.{rid}.{field} has no Russian"


def test_translations_are_the_curators_not_general_reference(data: dict[str, Any]) -> None:
    for kind, rid, rec in all_records(data):
        marked = {m.partition(":")[0] for m in rec.get("general_reference", [])}
        assert not {f for f in marked if f.endswith("_ru")} - {"name_ru"}, f"{kind}.{rid}"


@pytest.mark.parametrize(
    ("kind", "rid", "spellings"),
    [  # the English notes discuss these spellings of the article; the Russian ones quote them
        ("people", "shlyapnikov", ["Shlyapnikov", "Shliapnikov"]),
        ("people", "lutovinov", ["Yuri", "Yury"]),
        ("people", "kuznetsov", ["Nikolái"]),
        ("people", "krestinsky", ["Nikolay", "Nikolai"]),
        ("people", "myasnikov", ["Gavril", "Gavriil"]),
        ("people", "shadurskaia", ["Zoya Shadurskaia"]),
        ("groups", "mgsps", ["MGPSS"]),
        ("groups", "vtsps", ["All-Union Central Council of Trade Unions"]),
        ("terms", "syndicalist-deviation", ["syndacalist"]),
        ("terms", "rcp-b", ["RCP (b)", "RCP (B.)", "RCP(b)"]),
        ("works", "holmes1990", ["Workers Opposition"]),
    ],
)
def test_a_russian_note_keeps_the_spellings_it_discusses(
    data: dict[str, Any], kind: str, rid: str, spellings: list[str]
) -> None:
    rec = data[kind][rid]
    for spelling in spellings:
        assert spelling in rec["note"] and spelling in rec["note_ru"], spelling


@pytest.mark.parametrize(
    ("kind", "rid", "field", "russian"),
    [  # usual Russian forms, as the records they name give them (name_ru)
        ("people", "shlyapnikov", "roles_ru", [
            "руководитель Рабочей оппозиции",
            "председатель Всероссийского союза рабочих-металлистов",
            "член Центрального комитета, избранный на X съезде (1921)",
            "подписавший Письмо двадцати двух (1922)",
            "мемуарист",
        ]),
        ("people", "kiselyov", "roles_ru", [
            "председатель Всероссийского союза горнорабочих",
            "видный член Рабочей оппозиции",
            "кандидат в члены Центрального комитета, избранный на X съезде (1921)",
        ]),
        ("votes", "tula-1921-01-25", "body_ru", "Тульская партийная организация"),
        ("votes", "moscow-committee-1921-01-17", "body_ru", "Московский комитет РКП(б)"),
        ("votes", "zamoskvoretsky-1921-01-27", "place_ru", "Москва"),
        ("events", "dreadnought-serial-1921", "place_ru", "Лондон"),
        ("events", "petrograd-appeal-1921-01-03", "place_ru", "Петроград"),
    ],
)  # fmt: skip
def test_usual_russian_forms_in_translations(
    data: dict[str, Any], kind: str, rid: str, field: str, russian: str | list[str]
) -> None:
    assert data[kind][rid][field] == russian


def test_every_tally_label_is_in_russian(data: dict[str, Any]) -> None:
    labels = {t["label"]: t["label_ru"] for v in data["votes"].values() for t in v["tallies"]}
    assert labels["Workers' Opposition"] == "Рабочая оппозиция"
    assert labels["Lenin–Zinoviev resolution"] == "Резолюция Ленина — Зиновьева"
    assert labels["Against"] == "Против"
    assert labels["Group of Democratic Centralism"] == "Группа демократического централизма"


@pytest.mark.parametrize(
    ("kind", "rid", "name_ru", "aliases"),
    [
        ("groups", "democratic-centralists", "Группа демократического централизма", ["децисты"]),
        ("groups", "platform-of-the-ten", "Платформа десяти", []),
        ("groups", "central-committee", "Центральный комитет РКП(б)", ["ЦК"]),
        ("groups", "vtsps", "Всероссийский центральный совет профессиональных союзов", ["ВЦСПС"]),
        ("groups", "rcp", "Российская коммунистическая партия (большевиков)", ["РКП(б)"]),
        ("events", "tenth-congress", "X съезд РКП(б)", ["Десятый съезд"]),
        ("events", "eleventh-congress", "XI съезд РКП(б)", ["Одиннадцатый съезд"]),
        ("terms", "on-party-unity", "О единстве партии", []),
        ("terms", "nep", "НЭП", ["новая экономическая политика"]),
        ("terms", "letter-of-the-twenty-two", "Письмо двадцати двух", ["Письмо 22-х"]),
    ],
)
def test_usual_russian_names_and_short_forms(
    data: dict[str, Any], kind: str, rid: str, name_ru: str, aliases: list[str]
) -> None:
    rec = data[kind][rid]
    assert rec["name_ru"] == name_ru
    assert set(aliases) <= set(rec.get("aliases", []))
