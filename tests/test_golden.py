"""Golden renders: every record's panel and every list, at 80 columns, as a reader sees them.

Any change of output fails here. When a change is intended, regenerate and review the diff:

    pytest tests/test_golden.py --update-golden && git diff tests/golden README.md

The README's output samples are checked against real output too (`test_readme_samples_*`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Literal

import pytest
from rich.console import Console, RenderableType
from rich.text import Text

from wocli import listing
from wocli.model import KIND_PLURAL
from wocli.render.records import LABEL, Beside, details, fields, t
from wocli.render.tables import (
    events_table,
    groups_table,
    people_table,
    terms_table,
    timeline_table,
    votes_table,
    works_table,
)
from wocli.store import FactBase, load

from conftest import Result

GOLDEN = Path(__file__).parent / "golden"
README = Path(__file__).resolve().parents[1] / "README.md"
Cli = Callable[..., Result]


@pytest.fixture(scope="module")
def base() -> FactBase:
    return load()


def render(renderable: RenderableType) -> str:
    out = StringIO()
    Console(
        file=out, width=80, color_system=None, markup=False, emoji=False, highlight=False
    ).print(renderable)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"


def compare(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}: run pytest --update-golden"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from the golden render (see module docstring)"


@pytest.mark.parametrize("kind", list(KIND_PLURAL))
def test_every_panel_of_a_kind_matches_its_golden_render(
    kind: str, base: FactBase, update_golden: bool
) -> None:
    panels = [
        f"=== {kind} {rec.id}\n{render(details(rec, base))}"
        for rec in sorted(base.all(KIND_PLURAL[kind]), key=lambda r: r.id)
    ]
    assert panels
    compare(f"panels/{kind}.txt", "".join(panels), update_golden)


def tables(base: FactBase) -> Iterator[tuple[str, RenderableType]]:
    yield "people", people_table(listing.people(base), base)
    yield "groups", groups_table(listing.groups(base), base)
    yield "events", events_table(listing.events(base))
    yield "votes", votes_table(listing.votes(base))
    yield "terms", terms_table(listing.terms(base))
    yield "works", works_table(listing.works(base))
    yield "timeline", timeline_table(listing.timeline(base), listing.year_of)


@pytest.mark.parametrize(
    "name", ["people", "groups", "events", "votes", "terms", "works", "timeline"]
)
def test_every_list_matches_its_golden_render(
    name: str, base: FactBase, update_golden: bool
) -> None:
    table = dict(tables(base))[name]
    compare(f"tables/{name}.txt", render(table), update_golden)


def grid(rows: list[tuple[str, RenderableType]], label_width: int, width: int) -> RenderableType:
    """What a panel's rows were drawn with before `Beside`: rich's own Table.grid."""
    from rich.table import Table

    table = Table.grid()
    table.add_column(style=LABEL, no_wrap=True, width=label_width)
    table.add_column(overflow="fold", width=width - label_width)
    for label, value in rows:
        table.add_row(t(label), value)
    return table


COLOURED: list[tuple[int, Literal["truecolor"] | None]] = [
    (40, None), (54, "truecolor"), (80, None), (120, "truecolor")
]  # fmt: skip


@pytest.mark.parametrize("kind", list(KIND_PLURAL))
def test_beside_draws_what_a_table_grid_draws(kind: str, base: FactBase) -> None:
    """Every record's rows beside their labels, in colour and without, at widths from narrow
    to wide: the same lines, styles and padding as rich's own grid."""
    for rec in base.all(KIND_PLURAL[kind]):
        rows = [(k, v) for k, v in fields(rec, base) if not (isinstance(v, Text) and not v.plain)]
        label_width = max(len(label) for label, _ in rows) + 2
        for width, colour in COLOURED:
            drawn = []
            for table in (
                Beside([(t(label), value) for label, value in rows], label_width, LABEL),
                grid(rows, label_width, width),
            ):
                out = StringIO()
                Console(
                    file=out, width=width, color_system=colour, force_terminal=True,
                    markup=False, emoji=False, highlight=False,
                ).print(table)  # fmt: skip
                drawn.append(out.getvalue())
            assert drawn[0] == drawn[1], (rec.id, width, colour)


def readme_samples() -> list[tuple[str, str]]:
    """(command, sample) for each ```text block that follows a ```sh block in the README tour."""
    found = re.findall(r"```sh\n([^`]*?)```\s*\n```text\n(.*?)```", README.read_text("utf-8"), re.S)
    return [(sh.strip().splitlines()[0].split("  #")[0].strip(), text) for sh, text in found]


ELISION = "⋮"


def test_the_readme_has_output_samples() -> None:
    commands = [c for c, _ in readme_samples()]
    assert len(commands) >= 3, commands


@pytest.mark.parametrize(("command", "sample"), readme_samples(), ids=lambda v: v[:40])
def test_readme_samples_are_real_output(command: str, sample: str, cli: Cli) -> None:
    """Each sample is the command's output, whole or in excerpts separated by a lone '⋮' line
    (a panel's line ending in '⋮ │' stands for the rest of that line)."""
    result = (
        cli(*shlex.split(command)[1:], "--no-pager")
        if "cite" not in command
        else cli(*shlex.split(command)[1:])
    )
    assert result.code == 0, result.err
    real = [line.rstrip() for line in result.out.splitlines()]
    chunks: list[list[str]] = [[]]
    for line in sample.splitlines():
        if line.strip() == ELISION:
            chunks.append([])
        else:
            chunks[-1].append(line.rstrip())
    start = 0
    for chunk in filter(None, chunks):
        at = _find(real, chunk, start)
        assert at is not None, f"{command}: not in the real output, in order:\n" + "\n".join(chunk)
        start = at + len(chunk)


def _find(real: list[str], chunk: list[str], start: int) -> int | None:
    for at in range(start, len(real) - len(chunk) + 1):
        if all(_same(r, c) for r, c in zip(real[at:], chunk, strict=False)):
            return at
    return None


def _same(real: str, shown: str) -> bool:
    if shown.endswith(f"{ELISION} │"):  # the line is cut in the sample
        return real.startswith(shown[: -len(f"{ELISION} │")].rstrip())
    return real == shown
