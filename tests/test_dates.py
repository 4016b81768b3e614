"""EDTF parsing, validation, display and ordering."""

import pytest

from wocli import dates


@pytest.mark.parametrize(
    ("edtf", "shown"),
    [
        ("1921-03-08", "8 March 1921"),
        ("1920-02", "February 1920"),
        ("1920", "1920"),
        ("1922~", "about 1922"),
        ("1922?", "1922 (uncertain)"),
        ("1922%", "about 1922 (uncertain)"),
        ("1920-21", "spring 1920"),
        ("1920-23", "autumn 1920"),
        ("193X", "1930s"),
        ("1919-12/1920-01", "December 1919 – January 1920"),
        ("1919-12~/1920-01~", "about December 1919 – about January 1920"),
        ("1920-03-08/1920-03-15", "8–15 March 1920"),
        ("1920-03-08/1920-04-15", "8 March – 15 April 1920"),
        ("1922-01/1922-02", "January – February 1922"),
        ("1920-03-08/1921-04-15", "8 March 1920 – 15 April 1921"),
        ("1920-03/1920-04-15", "March 1920 – 15 April 1920"),
        ("../1921", "until 1921"),
        ("1937-09/..", "from September 1937"),
    ],
)
def test_display(edtf: str, shown: str) -> None:
    assert dates.display(edtf) == shown


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("1920-13", "no month 13"),
        ("1920-02-30", "no day 30"),
        ("1921-02-29", "no day 29"),
        ("1920-00", "no month 0"),
        ("21-03-1921", "expected EDTF"),
        ("1921/03/08", "expected EDTF"),
        ("", "expected EDTF"),
        ("1921-22-01", "no month 22"),
        ("1922/1921", "ends before it starts"),
        ("../..", "both ends open"),
        ("193X-05", "decade cannot have a month"),
    ],
)
def test_invalid_dates_are_rejected_with_a_reason(bad: str, why: str) -> None:
    with pytest.raises(dates.DateError, match=why):
        dates.parse(bad)


def test_leap_day_is_valid() -> None:
    assert dates.display("1920-02-29") == "29 February 1920"


def test_sorting_puts_a_coarser_date_after_the_dates_it_contains_and_undated_last() -> None:
    texts = [None, "1921-03-08", "1921", "1920-24", "1921-02", "1919-12/1920-01", "1921-01-03"]
    ordered = sorted(texts, key=dates.sort_key)
    # By the last day covered; on the same last day (28 February 1921) the narrower first.
    assert ordered == [
        "1919-12/1920-01",
        "1921-01-03",
        "1921-02",
        "1920-24",
        "1921-03-08",
        "1921",
        None,
    ]


@pytest.mark.parametrize(
    ("text", "overlaps", "within"),
    [
        ("1921", True, False),  # may have happened in January
        ("1921-01-17", True, True),
        ("1921-01", True, True),
        ("1920-12/1921-01", True, False),
        ("1920-12", False, False),
        ("1921-02-01", False, False),
        (None, False, False),
    ],
)
def test_a_range_keeps_what_overlaps_it_and_strictly_what_lies_within(
    text: str | None, overlaps: bool, within: bool
) -> None:
    assert dates.overlaps(text, "1921-01", "1921-01") is overlaps
    assert dates.within(text, "1921-01", "1921-01") is within


def test_winter_runs_into_the_next_year() -> None:
    parsed = dates.parse("1920-24")
    assert (parsed.first.isoformat(), parsed.last.isoformat()) == ("1920-12-01", "1921-02-28")


@pytest.mark.parametrize(
    ("edtf", "after", "before", "inside"),
    [
        ("1921-01-17", "1921", None, True),
        ("1921-01-17", "1921-02", None, False),
        ("1920-24", None, "1920-12-31", False),  # winter 1920 runs into February 1921
        ("1920-24", None, "1921-02", True),
        ("1921", "1921-01", "1921-01", False),  # only 'in 1921': not known to be January
        ("1921-03", "1921-03-15", "1921-03-20", False),
        ("1921-03-17", "1921-03-15", "1921-03-20", True),
        ("1921/..", "1921", "1921", False),
        (None, "1921", None, False),
        (None, None, None, True),
    ],
)
def test_within(edtf: str | None, after: str | None, before: str | None, inside: bool) -> None:
    assert dates.within(edtf, after, before) is inside
