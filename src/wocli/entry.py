"""The console script's entry point: Ctrl-C, even while wocli is still loading, exits quietly."""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # not typing's: importing typing costs a completion ~4 ms
if TYPE_CHECKING:
    from . import progress


def main() -> None:
    # A run lasts a fraction of a second and makes next to no cyclic garbage, so the cyclic
    # collector would only walk the objects of typer's and rich's modules: many times while
    # they are imported, and once more over all of them at exit. Skipping that saves 30-40 ms
    # a command (bench/RESULTS.md); memory is still freed by reference counting as usual.
    gc.disable()
    if "_WOCLI_COMPLETE" in os.environ:  # the shell asking for completions, at every <TAB>
        _complete()
    _show_progress()
    try:
        from .runner import main as run_cli
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
    try:
        run_cli()
    finally:
        gc.freeze()  # the interpreter's final collection skips frozen objects


def _complete() -> None:
    """Answer a completion request without importing typer, if it is one wocli answers alone."""
    try:
        from .completion import answer

        reply = answer(os.environ)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:  # never a traceback at a <TAB>: typer answers instead
        reply = None
    if reply is not None:
        text, code = reply
        if text is not None:
            try:
                sys.stdout.write(text + "\n")
                sys.stdout.flush()
            except OSError:
                pass
        sys.exit(code)


def _show_progress() -> None:
    """Long builds show a progress bar on stderr when it is a terminal; nothing when piped."""
    try:
        terminal = sys.stderr.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if terminal:
        from . import progress

        progress.install(_bar)


def _bar(label: str, total: int) -> progress.Display:
    from .render.progress import Bar

    return Bar(label, total)
