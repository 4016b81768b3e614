"""`wocli export`: the whole merged base in another tool's format, one module per format.

A text format prints to stdout unless given a path; a binary one (sqlite, anki) needs a file,
and csv a folder. Files are written whole or not at all (see `files`). To add a format: a
module here, a line in `FORMATS`, a branch in `_make`, a test that reads the output back with
that format's own consumer, and a line in the README's "Take it elsewhere".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..i18n import _

if TYPE_CHECKING:
    from ..store import FactBase

FORMATS = {
    # format: what it writes ("text" goes to stdout when no path is given)
    "json": "text",
    "csv": "folder",
    "sqlite": "file",
    "gexf": "text",
    "graphml": "text",
    "timelinejs": "text",
    "anki": "file",
}


def check(fmt: str, output: Path | None) -> None:
    """Raise UsageError for an unknown format or a destination it cannot be written to."""
    if fmt not in FORMATS:
        raise UsageError(
            _("{option} must be one of {choices}, not {value}").format(
                option="--format", choices=", ".join(FORMATS), value=repr(fmt)
            )
        )
    if output is None:
        if FORMATS[fmt] == "folder":
            raise UsageError(_("--format csv writes a folder of tables: add --output FOLDER"))
        if FORMATS[fmt] == "file":
            raise UsageError(
                _("--format {fmt} writes a binary file: add --output PATH").format(fmt=fmt)
            )
        return
    from . import files

    files.check(output, fmt, folder=FORMATS[fmt] == "folder")


def write(base: FactBase, fmt: str, output: Path | None = None) -> None:
    """Write `base` in format `fmt` to `output`, or to stdout for a text format without one."""
    check(fmt, output)
    if output is None:
        _stdout(base, fmt)
        return
    from . import files

    output = files.destination(output)
    try:
        _to(base, fmt, output)
    except OSError as exc:
        raise files.failed(output, exc) from None


def _text(base: FactBase, fmt: str) -> str:
    if fmt == "gexf":
        from .graph import gexf

        return gexf(base)
    if fmt == "graphml":
        from .graph import graphml

        return graphml(base)
    if fmt == "timelinejs":
        from . import timelinejs

        return timelinejs.text(base)
    from . import json

    return json.text(base)


def _stdout(base: FactBase, fmt: str) -> None:
    if fmt == "json":
        from ..render.output import print_json
        from .json import document

        print_json(document(base))
    else:
        from ..render.output import write_text

        write_text(_text(base, fmt))


def _to(base: FactBase, fmt: str, output: Path) -> None:
    from . import files

    if FORMATS[fmt] == "text":
        files.write_text(output, _text(base, fmt))
    elif fmt == "csv":
        from . import csv

        with files.atomic_folder(output) as folder:
            csv.write(base, folder)
    elif fmt == "sqlite":
        from . import sqlite
        from .tables import tables

        made = tables(base)
        with files.atomic_file(output) as temp:
            sqlite.write(made, temp)
        files.write_text(sqlite.metadata_path(output), sqlite.metadata(output.stem, made))
    else:
        from . import anki

        with files.atomic_file(output) as temp:
            anki.write(base, temp)
