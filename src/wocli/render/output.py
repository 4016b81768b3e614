"""Where output goes: consoles for stdout and stderr, JSON printing, the pager."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

from .safe import clean_json

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def console(stderr: bool = False) -> Console:
    """A console that never interprets markup or emoji codes in what it is given.

    rich itself drops colour when the stream is not a terminal, NO_COLOR is set or TERM=dumb.
    """
    from rich.console import Console

    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


def show(renderable: RenderableType, pager: bool = True) -> None:
    """Print to stdout, through the pager when on a terminal and taller than the screen."""
    out = console()
    if pager and out.is_terminal and not os.environ.get("CI"):
        lines = out.render_lines(renderable, pad=False)
        if len(lines) > out.size.height:
            os.environ.setdefault("LESS", "-FRX")
            with out.pager(styles=True):
                out.print(renderable)
            return
    out.print(renderable)


def print_json(data: Any) -> None:
    """JSON on stdout: UTF-8 text, with what a terminal could obey escaped (still exact JSON)."""
    text = clean_json(json.dumps(data, ensure_ascii=False, indent=2))
    write_text(text + "\n")


def write_text(text: str) -> None:
    """Plain text to stdout, degrading characters the output encoding cannot carry."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
