"""The whole merged base as one JSON document: the `--json` contract's export shape."""

from __future__ import annotations

from typing import Any

from ..model import KINDS
from ..render.jsonable import SCHEMA, record
from ..render.output import print_json
from ..store import FactBase


def document(base: FactBase) -> dict[str, Any]:
    """`{"schema": 1, "people": [...], "groups": [...], ...}`, every record of every kind."""
    out: dict[str, Any] = {"schema": SCHEMA}
    for kind in KINDS:
        out[kind] = [record(r, base) for r in base.all(kind)]
    return out


def write(base: FactBase) -> None:
    print_json(document(base))
