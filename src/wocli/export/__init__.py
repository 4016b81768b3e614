"""`wocli export`: the whole merged base in another tool's format, one module per format.

A format module has `write(base, out)` taking a text stream (or, for formats that are not text,
a path). To add a format: a module here, a line in `FORMATS`, a test that reads the output
back with that format's own consumer, and a line in the README's export section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from ..i18n import _

if TYPE_CHECKING:
    from ..store import FactBase

FORMATS = ("json",)


def write(base: FactBase, fmt: str) -> None:
    """Write `base` in format `fmt` to stdout."""
    if fmt not in FORMATS:
        raise UsageError(
            _("{option} must be one of {choices}, not {value}").format(
                option="--format", choices=", ".join(FORMATS), value=repr(fmt)
            )
        )
    from . import json

    json.write(base)
