"""Where output goes: consoles for stdout and stderr, JSON printing, the pager."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from .safe import clean, clean_json

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from rich.console import Console, RenderableType


def console(stderr: bool = False) -> Console:
    """A console that never interprets markup or emoji codes in what it is given.

    rich itself writes no escapes when the stream is not a terminal or TERM=dumb; with NO_COLOR
    it would still write bold and dim, so then no styles at all.
    """
    from rich.console import Console

    plain = {"color_system": None} if os.environ.get("NO_COLOR") else {}
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, **plain)  # type: ignore[arg-type]


def show(renderable: RenderableType, pager: bool = True) -> None:
    """Print to stdout, through the pager when on a terminal and taller than the screen.

    Piped, lines carry no trailing padding (rich pads every table row to the full width).
    """
    out = console()
    if not out.is_terminal:
        with out.capture() as captured:
            out.print(renderable)
        text = captured.get()
        sys.stdout.write("".join(line.rstrip() + "\n" for line in text.splitlines()))
        return
    if pager and not os.environ.get("CI"):
        lines = out.render_lines(renderable, pad=False)
        if len(lines) > out.size.height:
            _page(out, renderable)
            return
    out.print(renderable)


def _page(out: Console, renderable: RenderableType) -> None:
    """Through $PAGER (else `less -FRX`); a pager that cannot run means printing directly,
    with a one-line notice on stderr."""
    import shlex
    import shutil

    command = os.environ.get("PAGER") or "less"
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):  # unbalanced quotes, or only spaces
        program = ""
    if not program or shutil.which(program) is None:
        from ..i18n import _

        notice = _("wocli: the pager {pager} cannot be run; printing directly.")
        console(stderr=True).print(notice.format(pager=repr(command)), soft_wrap=True)
        out.print(renderable)
        return
    os.environ.setdefault("LESS", "-FRX")
    with out.pager(styles=True):
        out.print(renderable)


def present(
    fmt: str | None,
    makers: Mapping[str, Callable[[], Any]],
    pager: bool = True,
    json: bool = False,
) -> None:
    """A command's result in the format asked for (`--format`, or `--json`, its alias; the
    first of `makers` when neither): only the one asked for is made.

    `makers` maps each format the command offers to what makes it: JSON-ready data for
    "json", text for "csv" and "markdown", a renderable to show for the others.
    """
    from ..errors import UsageError
    from ..i18n import _

    if json and fmt not in (None, "json"):
        message = _("--json and --format {fmt} ask for different outputs: give one of them")
        raise UsageError(message.format(fmt=fmt))
    chosen = "json" if json else fmt or next(iter(makers))
    if chosen not in makers:
        raise UsageError(
            _("{option} must be one of {choices}, not {value}").format(
                option="--format", choices=", ".join(makers), value=repr(chosen)
            )
        )
    made = makers[chosen]()
    if chosen == "json":
        print_json(made)
    elif isinstance(made, str):
        write_text(made)
    else:
        show(made, pager)


def text_formats(columns: str, rows: Callable[[], list[Any]]) -> dict[str, Callable[[], str]]:
    """The `--format csv` and `--format markdown` makers of a list: `rows()` under the heads
    export.rows.COLUMNS gives `columns`."""

    def csv() -> str:
        from ..export.csv import text
        from ..export.rows import COLUMNS

        return text(COLUMNS[columns], rows())

    def markdown() -> str:
        from ..export.markdown import table
        from ..export.rows import COLUMNS

        return table(COLUMNS[columns], rows())

    return {"csv": csv, "markdown": markdown}


def print_json(data: Any) -> None:
    """JSON on stdout, exact whatever the output encoding; nothing in it a terminal would obey."""
    import json

    ascii_only = not _utf(sys.stdout)
    text = json.dumps(data, ensure_ascii=ascii_only, indent=2)
    sys.stdout.write(clean_json(text) + "\n")


def write_text(text: str, stderr: bool = False) -> None:
    """Plain text on stdout (citations), or stderr: control characters shown, not obeyed."""
    (sys.stderr if stderr else sys.stdout).write(clean(text))


def encodable(text: str) -> str:
    """`text` as stdout can carry it: what its encoding lacks (Cyrillic under LANG=C) becomes
    \\u escapes here, before rich lays the text out, so that columns and frames stay aligned."""
    if text.isascii() or _utf(sys.stdout):
        return text
    encoding = sys.stdout.encoding
    return text.encode(encoding, "backslashreplace").decode(encoding)


def _utf(stream: Any) -> bool:
    return (
        str(getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").startswith("utf")
    )


def tolerate_encodings() -> None:
    """Let a stream that cannot carry Cyrillic (PYTHONIOENCODING=ascii, LANG=C) show escapes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
