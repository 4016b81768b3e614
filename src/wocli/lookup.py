"""`wocli KIND QUERY`: one record found and shown. The body of the six singular commands.

Without typer, so that the runner can run the plain forms (`wocli person shlyapnikov`,
`--json`, `--data`, `--lang`) before typer is imported: the typer command in `cli.py` and
the runner's shortcut call this same function, so both print the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .environment import Environment


def show_record(
    run: Environment, kind: str, query: str, fmt: str | None, json: bool, pager: bool
) -> None:
    """The record of `kind` that `query` names, as a panel, JSON or Markdown; if there is
    none, or several, the error (and, for JSON, the candidates on stdout)."""
    from .errors import Ambiguous, NotFound
    from .render import jsonable
    from .render.output import present
    from .resolve import resolve

    base = run.base()
    try:
        rec = resolve(base, run.finder(), kind, query)
    except (Ambiguous, NotFound) as exc:
        if json or fmt == "json":  # a script gets the candidates; the message goes to stderr
            from .render.output import print_json

            found = exc.candidates if isinstance(exc, Ambiguous) else exc.suggestions
            print_json(jsonable.candidates(query, [*found, *getattr(exc, "elsewhere", [])]))
        raise

    def panel() -> Any:
        from .render.records import details

        return details(rec, base)

    def markdown() -> str:
        from .export.markdown import record

        return record(rec, base)

    makers = {"panel": panel, "json": lambda: jsonable.detailed(rec, base), "markdown": markdown}
    present(fmt, makers, pager, json)
