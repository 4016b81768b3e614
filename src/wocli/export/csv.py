"""CSV: a table as text, and the whole base as a folder of tables with a Frictionless
data package (`datapackage.json`) describing their fields, keys and links."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import about
from .rows import Row

if TYPE_CHECKING:
    from ..store import FactBase
    from .tables import Table


def text(columns: Sequence[str], rows: Sequence[Row]) -> str:
    """A header row, then one row per record; None is an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else r[c] for c in columns])
    return out.getvalue()


def write(base: FactBase, folder: Path) -> None:
    """Every table as `NAME.csv` in `folder`, described by a Frictionless `datapackage.json`."""
    from .tables import tables

    made = tables(base)
    for table in made:
        (folder / f"{table.name}.csv").write_text(
            text(table.columns, table.rows), encoding="utf-8", newline=""
        )
    package = json.dumps(datapackage(made), ensure_ascii=False, indent=2)
    (folder / "datapackage.json").write_text(package + "\n", encoding="utf-8")


def datapackage(tables: Sequence[Table]) -> dict[str, Any]:
    """The Frictionless data package describing `tables`: fields, keys, links, source, licence."""
    return {
        "profile": "tabular-data-package",
        "name": about.NAME,
        "title": about.TITLE,
        "description": about.DESCRIPTION,
        "licenses": [
            {"name": about.LICENSE_NAME, "title": about.LICENSE_TITLE, "path": about.LICENSE_URL}
        ],
        "sources": [{"title": about.SOURCE_TITLE, "path": about.SOURCE_URL}],
        "resources": [_resource(t) for t in tables],
    }


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [{"name": c, "type": table.type_of(c)} for c in table.columns],
        "missingValues": [""],
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": column, "reference": {"resource": other, "fields": there}}
            for column, other, there in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }
