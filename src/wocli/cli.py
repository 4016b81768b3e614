"""The typer command layer: parse arguments, ask the core, hand the result to a renderer."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__
from .errors import ExitCode, WocliError

if TYPE_CHECKING:
    from .search import SearchIndex
    from .store import FactBase

app = typer.Typer(
    name="wocli",
    help="An offline reference to the Workers' Opposition (RCP(b), 1919-1922).\n\n"
    "Example: wocli person shlyapnikov",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (see README: JSON contract).")]
PagerOpt = Annotated[
    bool, typer.Option("--pager/--no-pager", help="Page long output on a terminal.")
]


class State:
    """What the global options set for the command that runs."""

    data: tuple[Path, ...] = ()

    @classmethod
    def base(cls) -> FactBase:
        from .store import load, overlay_paths

        return load(overlay_paths([str(p) for p in cls.data]))

    @classmethod
    def index(cls, base: FactBase) -> SearchIndex:
        from .search import SearchIndex

        return SearchIndex(base.all())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wocli {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help="An overlay fact file to merge after the bundled one (repeatable; "
            "also WOCLI_DATA, paths separated by the system's path separator).",
            metavar="PATH",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    State.data = tuple(data or ())


@app.command()
def person(
    query: Annotated[str, typer.Argument(help="An id, name, alias or Cyrillic name.")],
    json: JsonOpt = False,
    pager: PagerOpt = True,
) -> None:
    """Show one person in full: names, life, roles, groups, events, votes, sources.

    Example: wocli person shlyapnikov
    """
    _show_one("person", query, json, pager)


def _show_one(kind: str, query: str, json: bool, pager: bool) -> None:
    from .resolve import resolve

    base = State.base()
    rec = resolve(base, State.index(base), kind, query)
    if json:
        from .render import jsonable
        from .render.output import print_json

        print_json(jsonable.detailed(rec, base))
    else:
        from .render.output import show
        from .render.records import details

        show(details(rec, base), pager)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Any words: names, spellings, dates, titles.")],
    kind: Annotated[
        str | None,
        typer.Option(help="Only this kind: person, group, event, vote, work or term."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many results.")] = 10,
    json: JsonOpt = False,
) -> None:
    """Search every kind of record, ranked by how well each matches.

    Example: wocli search "democratic centralists"
    """
    from .errors import NotFound, UsageError
    from .model import KIND_PLURAL

    if kind is not None and kind not in KIND_PLURAL:
        raise UsageError(f"--kind must be one of {', '.join(KIND_PLURAL)}, not {kind!r}")
    base = State.base()
    hits = State.index(base).search(query, kind=kind, limit=limit)
    if json:
        from .render import jsonable
        from .render.output import print_json

        print_json(jsonable.search(query, hits))
    else:
        from .render.output import show
        from .render.tables import hits_table

        show(hits_table(hits, base), pager=False)
    if not hits:
        raise NotFound(f"Nothing matches {query!r}.")


@app.command()
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Overlay files to check with the bundled base.")
    ] = None,
) -> None:
    """Validate the bundled fact base and overlay files, reporting every problem.

    Example: wocli check my-facts.toml
    """
    from .store import load, overlay_paths

    overlays = overlay_paths([str(p) for p in (*State.data, *(paths or ()))])
    base = load(overlays)
    files = ["facts.toml", *(str(p) for p in overlays)]
    typer.echo(f"OK: {len(base)} records in {', '.join(files)}")


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="Output format: json.")] = "json",
) -> None:
    """Print the whole merged fact base.

    Example: wocli export --format json > facts.json
    """
    from .errors import UsageError
    from .render import jsonable
    from .render.output import print_json

    if format != "json":
        raise UsageError(f"--format must be json, not {format!r}")
    print_json(jsonable.export(State.base()))


def _report(exc: WocliError) -> None:
    from .render.output import console
    from .render.safe import clean

    err = console(stderr=True)
    for line in exc.lines():
        err.print(clean(line), style="red" if exc.exit_code == ExitCode.USAGE else None)


def main(argv: list[str] | None = None) -> None:
    """The console script: run and exit with the code."""
    code = run(argv)
    _quiet_broken_pipe()
    sys.exit(code)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI; every error is turned into a message and an exit code here, and only here."""
    code: int = ExitCode.OK
    try:
        result = app(args=argv, prog_name="wocli", standalone_mode=False)
        code = result if isinstance(result, int) else ExitCode.OK
        sys.stdout.flush()
    except WocliError as exc:
        _report(exc)
        code = exc.exit_code
    except typer.Exit as exc:  # --help, --version, and Ctrl-C (typer turns it into Exit(130))
        code = exc.exit_code
    except typer.TyperException as exc:  # usage errors found while parsing arguments
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            sys.stderr.write(f"Error: {exc.format_message()}\n")
        code = ExitCode.USAGE
    except (typer.Abort, KeyboardInterrupt):
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        code = ExitCode.OK
    if code == ExitCode.INTERRUPTED:
        sys.stderr.write("Interrupted.\n")
    return code


def _quiet_broken_pipe() -> None:
    """After a reader such as `head` closed the pipe, don't let the final flush complain."""
    import os

    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
