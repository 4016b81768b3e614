"""The console script's entry point: Ctrl-C, even while wocli is still loading, exits quietly."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from .cli import main as run_cli
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
    run_cli()
