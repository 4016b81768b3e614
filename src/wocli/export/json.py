"""The whole merged base as one JSON document: the `--json` contract's export shape."""

from __future__ import annotations

import json
from typing import Any

from ..model import KINDS
from ..render.jsonable import SCHEMA, record
from ..store import FactBase


def document(base: FactBase) -> dict[str, Any]:
    """`{"schema": 1, "people": [...], "groups": [...], ...}`, every record of every kind."""
    out: dict[str, Any] = {"schema": SCHEMA}
    for kind in KINDS:
        out[kind] = [record(r, base) for r in base.all(kind)]
    return out


def text(base: FactBase) -> str:
    """The document as a file holds it: exact UTF-8, indented."""
    return json.dumps(document(base), ensure_ascii=False, indent=2) + "\n"
