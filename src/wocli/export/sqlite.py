"""SQLite for datasette and SQL: one table per kind and per link, with primary and foreign
keys and full-text search on the kinds' text, written with sqlite-utils; beside the database a
datasette metadata file (`NAME.metadata.json`: title, source, licence, what each table holds)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import about

if TYPE_CHECKING:
    from .tables import Table

SEARCHED = ("name", "name_ru", "aliases", "roles", "summary", "definition", "note", "tallies")
"""The text columns a kind's full-text index covers, where the kind has them."""


def metadata_path(db_path: Path) -> Path:
    """Where the datasette metadata of `db_path` goes: wo.db -> wo.metadata.json."""
    return db_path.with_name(db_path.stem + ".metadata.json")


def write(made: Sequence[Table], path: Path) -> None:
    """The tables as an SQLite database at `path`, a new file."""
    import sqlite_utils

    db = sqlite_utils.Database(path)
    with db.conn:
        for table in made:  # each after the tables its foreign keys point at
            key = table.primary_key
            created = db.table(table.name).create(
                {c: _type(table, c) for c in table.columns},
                pk=(list(key) if len(key) > 1 else key[0]) if key else None,
                foreign_keys=list(table.foreign_keys),
                not_null=set(key),
            )
            created.insert_all(table.rows)
            if key == ("id",) and table.name != "nodes":  # the kinds: search their text
                created.enable_fts([c for c in SEARCHED if c in table.columns])
    db.conn.close()


def _type(table: Table, column: str) -> type:
    return int if table.type_of(column) == "integer" else str


def metadata(name: str, made: Sequence[Table]) -> str:
    """datasette's metadata, as JSON text, for the database `name` (its file name's stem)."""
    data = {
        "title": about.TITLE,
        "description": about.DESCRIPTION,
        "license": about.LICENSE_TITLE,
        "license_url": about.LICENSE_URL,
        "source": about.SOURCE_TITLE,
        "source_url": about.SOURCE_URL,
        "databases": {name: {"tables": {t.name: {"description": t.description} for t in made}}},
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
