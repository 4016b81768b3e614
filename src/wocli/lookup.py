"""The commands that look up one query: `wocli KIND QUERY` (the six singular commands) and
`wocli search QUERY`, their bodies.

Without typer, so that the runner can run their plain forms (`wocli person shlyapnikov`,
`wocli search "democratic centralists"`, with `--json`, `--data`, `--lang`) before typer is
imported: the typer commands in `cli.py` and the runner's shortcut call these same functions,
so both print the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .environment import Environment

SEARCH_LIMIT = 10
"""The results a search shows unless --limit says otherwise."""


def show_record(
    run: Environment, kind: str, query: str, fmt: str | None, json: bool, pager: bool
) -> None:
    """The record of `kind` that `query` names, as a panel, JSON or Markdown; if there is
    none, or several, the error (and, for JSON, the candidates on stdout)."""
    from .errors import Ambiguous, NotFound
    from .model import could_be_id
    from .render.output import present
    from .resolve import resolve

    base = run.base(names=not could_be_id(query.strip()))  # no id: looked up by name
    try:
        rec = resolve(base, run.finder(), kind, query)
    except (Ambiguous, NotFound) as exc:
        if json or fmt == "json":  # a script gets the candidates; the message goes to stderr
            from .render import jsonable
            from .render.output import print_json

            found = exc.candidates if isinstance(exc, Ambiguous) else exc.suggestions
            print_json(jsonable.candidates(query, [*found, *getattr(exc, "elsewhere", [])]))
        raise

    def panel() -> Any:
        from .render.records import details

        return details(rec, base)

    def data() -> Any:  # each maker imports what it needs: a panel needs no JSON
        from .render import jsonable

        return jsonable.detailed(rec, base)

    def markdown() -> str:
        from .export.markdown import record

        return record(rec, base)

    makers = {"panel": panel, "json": data, "markdown": markdown}
    present(fmt, makers, pager, json)


def search_records(
    run: Environment,
    query: str,
    kind: str | None,
    limit: int,
    fmt: str | None,
    json: bool,
    pager: bool,
) -> None:
    """Records of every kind (or of `kind`) ranked by how well they match `query`, as a
    table, JSON, CSV or Markdown; NotFound when none does."""
    from .errors import NotFound, UsageError, quoted
    from .i18n import _
    from .model import KIND_PLURAL
    from .render import jsonable
    from .render.output import present, text_formats

    if kind is not None and kind not in KIND_PLURAL:
        raise UsageError(
            _("{option} must be one of {choices}, not {value}").format(
                option="--kind", choices=", ".join(KIND_PLURAL), value=repr(kind)
            )
        )
    base = run.base()
    hits = run.finder().search(query, kind=kind, limit=limit)

    def table() -> Any:
        from .render.tables import hits_table

        return hits_table(hits, base)

    def rows() -> list[Any]:
        from .export.rows import hit_rows

        return hit_rows(hits, base)

    makers = {
        "table": table,
        "json": lambda: jsonable.search(query, hits),
        **text_formats("search", rows),
    }
    if hits or json or fmt not in (None, "table"):  # no table of headings alone
        present(fmt, makers, pager, json=json)
    if not hits:
        raise NotFound(_("Nothing matches {query}.").format(query=quoted(query)))
