"""`wocli browse`: the explorer, a full-screen textual app over the fact base.

Everything that can fail on the user's input (a broken overlay, an unknown style, a query that
matches nothing, output that is not a terminal) fails here, before the screen opens, as the
usual one-line message; textual is imported only once the app is about to run.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..errors import Ambiguous, UsageError
from ..i18n import _

if TYPE_CHECKING:
    from ..environment import Environment
    from .places import Place


def start_place(run: Environment, query: str | None) -> Place:
    """The page a query opens on: its record, a pick list when it is ambiguous, else the start."""
    from ..resolve import resolve
    from . import places

    if query is None:
        return places.HOME
    try:
        return places.record(resolve(run.base(), run.finder(), None, query).id)
    except Ambiguous as exc:
        return places.Place(places.PICK, message=exc.message, candidates=tuple(exc.candidates))


def browse(run: Environment, query: str | None, style: str) -> int:
    """Run the explorer until the user quits; the exit code."""
    from ..cite.styles import resolve_style

    run.base()  # a broken overlay is an error now, not in a half-drawn screen
    resolve_style(style)
    start = start_place(run, query)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):  # the app would wait for keys forever
        raise UsageError(
            _("wocli browse needs a terminal; to print a record, use e.g. {command}").format(
                command="wocli person shlyapnikov"
            )
        )
    from .app import BrowseApp

    app = BrowseApp(run.base(), run.finder(), start, style)
    app.run()
    return app.return_code or 0
