"""Lists of records as rich tables."""

from __future__ import annotations

from rich import box
from rich.table import Table

from .. import dates
from ..search import Hit
from ..store import FactBase
from .records import LABEL, t


def hits_table(hits: list[Hit], base: FactBase) -> Table:
    """Search results: kind, name, date, score and the field that matched."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("kind", style=LABEL, no_wrap=True)
    table.add_column("name", overflow="fold", ratio=1)
    table.add_column("date", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("matched", no_wrap=True)
    for hit in hits:
        rec = base.get(hit.id)
        when = dates.display(rec.date) if rec and rec.date else ""
        table.add_row(hit.kind, t(hit.name), when, f"{hit.score:.0f}", hit.matched)
    return table
