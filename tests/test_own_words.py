"""The fact base is in the curator's own words: no run of eight or more consecutive words from the
source texts (../shared/sources/) in a summary, definition, note or source note, unless the run is a
marked quotation or a proper name.

A marked quotation is text between quotation marks («…», “…”, "…", ‘…’ or '…'); a proper name is a
record's name, an alias or a work's title, since those carry over from the source as they stand.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parents[1]
FACTS = ROOT / "data" / "facts.toml"
SOURCES = ROOT.parent / "shared" / "sources"
RUN = 8
"""The shortest run of shared words that counts as copying."""

WORD = re.compile(r"[\w]+(?:['’][\w]+)*", re.UNICODE)
QUOTED = re.compile(
    r"«[^»]*»"  # Russian
    r"|“[^”]*”"  # typographic double
    r"|\"[^\"]*\""  # straight double
    r"|‘[^’]*’(?!\w)"  # typographic single (’ inside a word is an apostrophe)
    r"|(?<!\w)'[^']*(?:'\w[^']*)*'(?!\w)"  # straight single, apostrophes inside words allowed
)
BREAK = " \x00 "
"""Stands in for a quotation or a name: a run of copied words cannot span it."""


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def runs(tokens: list[str], n: int = RUN) -> Iterator[tuple[str, ...]]:
    for i in range(len(tokens) - n + 1):
        yield tuple(tokens[i : i + n])


def segments(text: str) -> list[list[str]]:
    """The words of `text` outside quotations and the `BREAK`s that stand for them."""
    return [words(part) for part in text.split(BREAK.strip())]


def proper_names(data: dict[str, Any]) -> list[str]:
    names: set[str] = set()
    for table in data.values():
        for rec in table.values():
            names.add(rec.get("name") or rec.get("csl", {}).get("title", ""))
            names.update(rec.get("aliases", []))
            names.update(str(rec.get("csl", {}).get(k, "")) for k in ("container-title",))
    return [n for n in names if len(words(n)) >= 2]


def unmarked(text: str, names: list[str]) -> str:
    """`text` with its marked quotations and proper names replaced by `BREAK`."""
    text = QUOTED.sub(BREAK, text)
    return _names_pattern(tuple(names)).sub(BREAK, text) if names else text


@functools.cache
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # longest first, so that a long name is taken out before a shorter name inside it
    ordered = sorted(names, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in ordered), re.IGNORECASE)


def prose(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of the curator's prose in the base."""
    for kind, table in data.items():
        for rid, rec in table.items():
            for field in ("summary", "definition", "note", "notes"):
                for name in (field, f"{field}_ru"):  # the Russian quotes English as English does
                    if isinstance(rec.get(name), str):
                        yield f"{kind}.{rid}.{name}", rec[name]
            for i, src in enumerate(rec.get("sources", [])):
                for name in ("note", "note_ru"):
                    if name in src:
                        yield f"{kind}.{rid}.sources[{i + 1}].{name}", src[name]


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    with FACTS.open("rb") as f:
        loaded: dict[str, Any] = tomllib.load(f)
    return loaded


@pytest.fixture(scope="module")
def source_runs() -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for path in sorted(SOURCES.glob("*.txt")):
        found.update(runs(words(path.read_text(encoding="utf-8"))))
    assert found, f"no source texts under {SOURCES}"
    return found


def copied(text: str, names: list[str], source_runs: set[tuple[str, ...]]) -> list[str]:
    hits: list[str] = []
    for segment in segments(unmarked(text, names)):
        hits.extend(" ".join(r) for r in runs(segment) if r in source_runs)
    return hits


def test_no_prose_copies_eight_words_running_from_the_sources(
    data: dict[str, Any], source_runs: set[tuple[str, ...]]
) -> None:
    names = proper_names(data)
    found = {
        where: hits for where, text in prose(data) if (hits := copied(text, names, source_runs))
    }
    assert not found, "\n".join(f"{where}: {hits[0]!r}" for where, hits in found.items())


CLOSE = 4
"""Length of the word runs counted for closeness of paraphrase."""
MOST_SHARED = 0.3
"""The largest share of a text's four-word runs that may also be in the sources."""


def shared(text: str, names: list[str], source_runs: set[tuple[str, ...]]) -> float:
    """The share of `text`'s four-word runs (quotations and names aside) found in the sources."""
    grams = [r for segment in segments(unmarked(text, names)) for r in runs(segment, CLOSE)]
    return sum(g in source_runs for g in grams) / len(grams) if len(grams) >= 8 else 0.0


def test_no_prose_is_a_source_sentence_with_words_swapped(data: dict[str, Any]) -> None:
    found: set[tuple[str, ...]] = set()
    for path in sorted(SOURCES.glob("*.txt")):
        found.update(runs(words(path.read_text(encoding="utf-8")), CLOSE))
    names = proper_names(data)
    close = {
        where: f"{share:.0%}"
        for where, text in prose(data)
        if (share := shared(text, names, found)) > MOST_SHARED
    }
    assert not close


# --- the detector itself: a copy test that never fails would prove nothing ---------------------

SOURCE = {
    tuple(r)
    for r in runs(
        words("the party could be the responsible political state leader of the struggle")
    )
}


def test_a_copied_run_is_found() -> None:
    text = "He said the party could be the responsible political state leader of it."
    assert copied(text, [], SOURCE) == [
        "the party could be the responsible political state",
        "party could be the responsible political state leader",
        "could be the responsible political state leader of",
    ]


def test_seven_words_are_not_a_copy() -> None:
    assert copied("So the party could be the responsible political, they said.", [], SOURCE) == []


def test_a_marked_quotation_is_not_a_copy() -> None:
    for quoted in (
        "He wrote that “the party could be the responsible political state leader of” it.",
        "He wrote that 'the party could be the responsible political state leader of' it.",
        "He wrote that ‘the party could be the responsible political state leader of’ it.",
    ):
        assert copied(quoted, [], SOURCE) == [], quoted


def test_a_proper_name_is_not_a_copy() -> None:
    names = ["the responsible political state"]
    assert (
        copied("the party could be the responsible political state leader of", names, SOURCE) == []
    )


def test_apostrophes_do_not_open_quotations() -> None:
    text = "The Workers' Opposition said the party could be the responsible political state leader"
    assert copied(text, [], SOURCE) != []


def test_a_sentence_with_words_swapped_is_close() -> None:
    source = (
        "representatives of the workers opposition severny and nikitin left the district committee"
    )
    found = set(runs(words(source), CLOSE))
    swapped = (
        "Representatives of the workers opposition Severny and Nikitin quit the district committee."
    )
    assert shared(swapped, [], found) > MOST_SHARED
    own = "Severny and Nikitin, two of its men in Tula, walked out of their committee in protest."
    assert shared(own, [], found) < MOST_SHARED
