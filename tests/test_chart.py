"""--chart: vote and timeline charts as files. Expected figures are the source's (para. 11 for
Tula: 582, 272 and 16 of 870), typed by hand."""

from __future__ import annotations

import struct
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, write

TULA = "tula-1921-01-25"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def test_vote_svg_has_the_figures_as_text(cli: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "tula.svg"
    result = cli("vote", TULA, "--chart", str(target))
    assert result.code == 0, result.err
    assert str(target) in result.out
    svg = target.read_text(encoding="utf-8")
    for text in [
        "Tula party organisation, 25 January 1921",  # body and date as the title
        "Lenin–Zinoviev resolution",
        "582  (66.9%)",
        "winner",
        "272  (31.3%)",
        "16  (1.8%)",
        "Total: 870 votes",
        "Source: Wikipedia, Workers’ Opposition, para. 11",
    ]:
        assert f">{text}\n" in svg or f">{text}<" in svg, text
    assert "font-family: 'DejaVu Sans'" in svg
    assert "<!-- Created with" not in svg and "<dc:date>" not in svg  # no date in the file


def test_png_has_the_slide_size(cli: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "tula.png"
    assert cli("vote", TULA, "--chart", str(target)).code == 0
    assert png_size(target) == (1600, 900)


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_same_input_same_bytes(cli: Callable[..., Result], tmp_path: Path, suffix: str) -> None:
    first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
    assert cli("timeline", "--from", "1920", "--to", "1922", "--chart", str(first)).code == 0
    assert cli("timeline", "--from", "1920", "--to", "1922", "--chart", str(second)).code == 0
    assert first.read_bytes() == second.read_bytes()


def test_timeline_keeps_the_filters(cli: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "t.svg"
    assert cli("timeline", "--from", "1920", "--to", "1922", "--chart", str(target)).code == 0
    svg = target.read_text(encoding="utf-8")
    assert "Timeline, 1920 – 1922" in svg
    assert "Tula vote on the trade-union platforms" in svg
    assert "25 January 1921" in svg
    assert "1920 (uncertain)" in svg  # its date as the command shows it, hatched
    assert "date approximate or uncertain" in svg
    assert "Mutiny on the battleship Potemkin" not in svg  # 1905: outside the filter


def test_events_chart_of_one_person(cli: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "k.svg"
    assert cli("events", "--person", "kollontai", "--chart", str(target)).code == 0
    svg = target.read_text(encoding="utf-8")
    assert "Events: Alexandra Kollontai" in svg
    assert "Kollontai addresses the Third Comintern Congress" in svg
    assert "Tula vote on the trade-union platforms" not in svg


def test_votes_chart_has_every_vote(cli: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "v.svg"
    assert cli("votes", "--chart", str(target)).code == 0
    svg = target.read_text(encoding="utf-8")
    for total in (234, 278, 54, 20, 206, 143, 870, 76, 327):
        assert f"Total: {total} votes" in svg


def test_a_russian_chart(cli: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "tula.svg"
    assert cli("--lang", "ru", "vote", TULA, "--chart", str(target)).code == 0
    svg = target.read_text(encoding="utf-8")
    assert "Тульская партийная организация, 25 января 1921 г." in svg  # body_ru
    assert ">Всего голосов: 870" in svg and ">победитель" in svg
    assert ">Резолюция Ленина — Зиновьева" in svg and "Lenin–Zinoviev" not in svg  # label_ru
    assert "абз. 11" in svg


def test_cyrillic_is_drawn(cli: Callable[..., Result], tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        '[votes.tula-ru]\nname = "Голосование в Туле"\nbody = "Тульская организация"\n'
        'date = "1921-01-25"\ntallies = [{label = "За резолюцию Ленина", votes = 582},'
        ' {label = "Против", votes = 288}]\nsummary = "Тест."\n'
        'sources = [{work = "wikipedia-workers-opposition"}]\n',
    )
    target = tmp_path / "ru.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of every glyph its font lacks
        result = cli("--data", str(overlay), "vote", "tula-ru", "--chart", str(target))
    assert result.code == 0, result.err
    svg_path = tmp_path / "ru.svg"
    assert cli("--data", str(overlay), "vote", "tula-ru", "--chart", str(svg_path)).code == 0
    assert "За резолюцию Ленина" in svg_path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["vote", TULA, "--chart", "tula.jpg"],
        ["timeline", "--chart", "timeline"],
        ["vote", TULA, "--chart", "{tmp}/no/such/folder/tula.png"],
        ["votes", "--json", "--chart", "votes.svg"],
    ],
)
def test_bad_chart_paths(cli: Callable[..., Result], tmp_path: Path, args: list[str]) -> None:
    result = cli(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "--chart" in result.err


def test_no_chart_for_an_empty_list(cli: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "t.svg"
    result = cli("timeline", "--from", "1800", "--to", "1801", "--chart", str(target))
    assert result.code == 1
    assert not target.exists()


def test_lookups_do_not_import_the_drawing_libraries() -> None:
    code = (
        "import sys\n"
        "from wocli.runner import run\n"
        "run(['person', 'shlyapnikov'])\n"
        "heavy = ('matplotlib', 'jinja2', 'wocli.chart', 'wocli.site')\n"
        "sys.stderr.write(repr(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
