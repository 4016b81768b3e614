"""CSV: a table as text, and the whole base as a folder of tables with a Frictionless
data package (`datapackage.json`) describing their fields, keys and links."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from .rows import Row


def text(columns: Sequence[str], rows: Sequence[Row]) -> str:
    """A header row, then one row per record; None is an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else r[c] for c in columns])
    return out.getvalue()
