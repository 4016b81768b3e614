"""The console script's entry point: Ctrl-C, even while wocli is still loading, exits quietly."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    # A run lasts a fraction of a second and makes next to no cyclic garbage, so the cyclic
    # collector would only walk the objects of typer's and rich's modules: many times while
    # they are imported, and once more over all of them at exit. Skipping that saves 30-40 ms
    # a command (bench/RESULTS.md); memory is still freed by reference counting as usual.
    gc.disable()
    try:
        from .runner import main as run_cli
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
    try:
        run_cli()
    finally:
        gc.freeze()  # the interpreter's final collection skips frozen objects
