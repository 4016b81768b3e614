"""The typer command layer: parse arguments, ask the core, hand the result to a renderer.

No `from __future__ import annotations` here: typer would have to eval every annotation
string of every command on every run (some 10 ms).
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__
from .errors import ExitCode, WocliError

if TYPE_CHECKING:
    from .finder import Finder
    from .store import FactBase


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="wocli",
        help="An offline reference to the Workers' Opposition (RCP(b), 1919-1922).\n\n"
        "Example: wocli person shlyapnikov",
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        rich_markup_mode=None,
    )


app = _new_app()

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (see README: JSON contract).")]
PagerOpt = Annotated[
    bool, typer.Option("--pager/--no-pager", help="Page long output on a terminal.")
]


class State:
    """What the global options set for the command that runs."""

    data: tuple[Path, ...] = ()

    last_base: "FactBase"

    @classmethod
    def base(cls) -> "FactBase":
        from .store import load, overlay_paths

        cls.last_base = load(overlay_paths([str(p) for p in cls.data]))
        return cls.last_base

    @classmethod
    def index(cls, base: "FactBase") -> "Finder":
        from .finder import Finder

        return Finder(base)


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


def _complete(kind: str) -> Callable[[str], list[tuple[str, str]]]:
    """Shell completion of a singular command's argument: ids and names of that kind."""

    def complete(incomplete: str) -> list[tuple[str, str]]:
        from .completion import candidates

        return candidates(kind, incomplete, State.data)

    return complete


SINGULAR = [
    # kind, what its argument may be, what the command shows, an example
    (
        "person",
        "An id, name, alias or Cyrillic name, in any spelling.",
        "Show one person: life, roles, groups, events, votes.",
        "wocli person shlyapnikov",
    ),
    (
        "group",
        "An id, name or abbreviation (e.g. 'decists', 'platform 10').",
        "Show one faction, platform or body, with members.",
        'wocli group "democratic centralists"',
    ),
    (
        "event",
        "An id or words from the event's name, date or place.",
        "Show one event: when, where, who, votes taken.",
        'wocli event "tenth congress"',
    ),
    (
        "vote",
        "An id or words from the vote's name, body, date or place.",
        "Show one vote: each side's count, share, winner.",
        'wocli vote "moscow conference"',
    ),
    (
        "term",
        "A term, in British or American spelling.",
        "Show one glossary term and related records.",
        'wocli term "militarisation of labour"',
    ),
    (
        "work",
        "An id, author, year or words of the title.",
        "Show one work and the records that cite it.",
        "wocli work allen2015",
    ),
]


def _add_singular(kind: str, argument: str, purpose: str, example: str) -> None:
    """Register `wocli KIND QUERY`: the six singular commands differ only in these words."""

    def command(query: str, json: bool = False, pager: bool = True) -> None:
        _show_one(kind, query, json, pager)

    command.__doc__ = f"{purpose}\n\nExample: {example}"
    command.__annotations__ = {  # real objects: typer reads them, and they close over `kind`
        "query": Annotated[
            str, typer.Argument(help=argument, metavar="QUERY", autocompletion=_complete(kind))
        ],
        "json": JsonOpt,
        "pager": PagerOpt,
        "return": None,
    }
    app.command(name=kind)(command)


for _kind, _argument, _purpose, _example in SINGULAR:
    _add_singular(_kind, _argument, _purpose, _example)


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


GroupFilter = Annotated[
    str | None, typer.Option("--group", "-g", help="Only those linked to this group.")
]
PersonFilter = Annotated[
    str | None, typer.Option("--person", "-p", help="Only those linked to this person.")
]
FromFilter = Annotated[
    str | None, typer.Option("--from", help="On or after this date (EDTF: 1920, 1921-02).")
]
ToFilter = Annotated[
    str | None, typer.Option("--to", help="On or before this date (EDTF: 1921-03-31).")
]


def _resolved(base: "FactBase", kind: str, query: str | None) -> Any:
    if query is None:
        return None
    from .resolve import resolve

    return resolve(base, State.index(base), kind, query)


def _date_option(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    from .dates import DateError, parse
    from .errors import UsageError

    try:
        parse(value)
    except DateError as exc:
        raise UsageError(f"{name}: {exc}") from None
    return value


def _show_list(kind: str, records: list[Any], json: bool, pager: bool, table: Any) -> None:
    from .errors import NotFound

    if json:  # an empty list is an answer a script can read
        from .render import jsonable
        from .render.output import print_json

        print_json(jsonable.listing(kind, records, State.last_base))
    elif records:  # a table of headings alone is not
        from .render.output import show

        show(table(), pager)
    if not records:
        raise NotFound("Nothing matches these filters.")


@app.command()
def people(group: GroupFilter = None, json: JsonOpt = False, pager: PagerOpt = True) -> None:
    """List people, by surname.

    Example: wocli people --group "workers opposition"
    """
    from . import listing
    from .render import tables

    base = State.base()
    found = listing.people(base, _resolved(base, "group", group))
    _show_list("people", found, json, pager, lambda: tables.people_table(found, base))


@app.command()
def groups(json: JsonOpt = False, pager: PagerOpt = True) -> None:
    """List factions, platforms, organisations and bodies.

    Example: wocli groups
    """
    from . import listing
    from .render import tables

    base = State.base()
    found = listing.groups(base)
    _show_list("groups", found, json, pager, lambda: tables.groups_table(found, base))


@app.command()
def events(
    from_: FromFilter = None,
    to: ToFilter = None,
    person: PersonFilter = None,
    group: GroupFilter = None,
    json: JsonOpt = False,
    pager: PagerOpt = True,
) -> None:
    """List events in date order, filtered by dates, person or group.

    Example: wocli events --from 1921 --to 1921-03 --group "workers opposition"
    """
    from . import listing
    from .render import tables

    base = State.base()
    found = listing.events(
        base,
        _date_option("--from", from_),
        _date_option("--to", to),
        _resolved(base, "person", person),
        _resolved(base, "group", group),
    )
    _show_list("events", found, json, pager, lambda: tables.events_table(found))


@app.command()
def votes(group: GroupFilter = None, json: JsonOpt = False, pager: PagerOpt = True) -> None:
    """List votes and counts, in date order.

    Example: wocli votes --group "workers opposition"
    """
    from . import listing
    from .render import tables

    base = State.base()
    found = listing.votes(base, _resolved(base, "group", group))
    _show_list("votes", found, json, pager, lambda: tables.votes_table(found))


@app.command()
def terms(json: JsonOpt = False, pager: PagerOpt = True) -> None:
    """List the glossary.

    Example: wocli terms
    """
    from . import listing
    from .render import tables

    found = listing.terms(State.base())
    _show_list("terms", found, json, pager, lambda: tables.terms_table(found))


@app.command()
def works(
    author: Annotated[
        str | None, typer.Option("--author", "-a", help="Only this author's.")
    ] = None,
    json: JsonOpt = False,
    pager: PagerOpt = True,
) -> None:
    """List the bibliography and the primary texts.

    Example: wocli works --author allen
    """
    from . import listing
    from .render import tables

    found = listing.works(State.base(), author)
    _show_list("works", list(found), json, pager, lambda: tables.works_table(found))


@app.command()
def timeline(
    from_: FromFilter = None,
    to: ToFilter = None,
    person: PersonFilter = None,
    group: GroupFilter = None,
    json: JsonOpt = False,
    pager: PagerOpt = True,
) -> None:
    """Events and votes in date order, grouped by year.

    Example: wocli timeline --from 1920 --to 1921
    """
    from . import listing
    from .render import tables

    base = State.base()
    found = listing.timeline(
        base,
        _date_option("--from", from_),
        _date_option("--to", to),
        _resolved(base, "person", person),
        _resolved(base, "group", group),
    )
    _show_list(
        "timeline", found, json, pager, lambda: tables.timeline_table(found, listing.year_of)
    )


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
    from .errors import NotFound, UsageError, quoted
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
        raise NotFound(f"Nothing matches {quoted(query)}.")


def _complete_style(incomplete: str) -> list[str]:
    from .cite import EXPORT_FORMATS, style_names

    return [n for n in (*EXPORT_FORMATS, *style_names()) if n.startswith(incomplete)]


@app.command()
def cite(
    query: Annotated[
        str | None,
        typer.Argument(
            help="A work's id, or any words (author, year, title).",
            metavar="[QUERY]",
            autocompletion=_complete("work"),
        ),
    ] = None,
    style: Annotated[
        str,
        typer.Option(
            "--style",
            "-s",
            help="A CSL style name (apa, chicago, mla, chicago-author-date, any style of the "
            "CSL repository), a path to a .csl file, or bibtex, ris, csl-json.",
            autocompletion=_complete_style,
        ),
    ] = "apa",
    all_works: Annotated[
        bool, typer.Option("--all", help="The whole bibliography, in the style's order.")
    ] = False,
    for_record: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="KIND:QUERY",
            help="The sources behind a record, with their locators: person:shlyapnikov.",
        ),
    ] = None,
    citation: Annotated[
        bool, typer.Option("--citation", help="An in-text citation or first note instead.")
    ] = False,
    page: Annotated[
        str | None, typer.Option("--page", help="A locator for --citation: 12, 'para. 3'.")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="text, markdown (keeps italics) or html.")
    ] = "text",
) -> None:
    """Print a ready-to-paste reference: one work, all of them, or the sources of a record.

    Example: wocli cite allen2015 --style chicago
    """
    from .citing import cite_for, cite_works
    from .render.output import write_text

    base = State.base()
    if for_record is not None:
        text = cite_for(base, State.index, for_record, style, format)
    else:
        text = cite_works(
            base, State.index, query, style, format, all_works=all_works, citation=citation,
            page=page,
        )  # fmt: skip
    write_text(text)


@app.command()
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Overlay files to check with the bundled base.")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Validate the bundled fact base and overlay files, reporting every problem.

    Example: wocli check my-facts.toml
    """
    from .errors import DataError
    from .store import load, overlay_paths

    overlays = overlay_paths([str(p) for p in (*State.data, *(paths or ()))])
    files = ["facts.toml", *(str(p) for p in overlays)]
    if not json:
        base = load(overlays)
        typer.echo(f"OK: {len(base)} records in {', '.join(files)}")
        return
    from .render.output import print_json

    try:
        report = {"schema": 1, "ok": True, "files": files, "records": len(load(overlays))}
        problems: list[str] = []
    except DataError as exc:
        report = {"schema": 1, "ok": False, "files": files, "records": None}
        problems = exc.problems
    print_json({**report, "problems": problems})
    if problems:
        raise typer.Exit(ExitCode.USAGE)


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
    from .errors import Ambiguous
    from .render.output import console
    from .render.safe import clean

    err = console(stderr=True)
    if isinstance(exc, Ambiguous):
        from .render.records import candidates

        err.print(clean(exc.message), soft_wrap=True)
        err.print(candidates(exc.candidates))
        return
    for line in exc.lines():
        style = "red" if exc.exit_code == ExitCode.USAGE else None
        err.print(clean(line), style=style, soft_wrap=True)  # one problem a line, for grep


def _app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command about to run, when it is plain which one.

    typer turns every command's parameters into click objects on every run (some 11 ms for
    seventeen commands); one command needs only its own. Help, completion and anything
    unusual get the whole app.
    """
    words = iter(argv)
    for word in words:
        if word == "--data":
            next(words, None)
        elif not word.startswith("--data="):
            break
    else:
        return app
    chosen = [c for c in app.registered_commands if _name(c) == word]
    if not chosen:
        return app
    slim = _new_app()
    slim.registered_callback = app.registered_callback
    slim.registered_commands = chosen
    return slim


def _name(command: Any) -> str:
    return str(command.name or command.callback.__name__.replace("_", "-"))


def _utf8_argument(arg: str) -> str:
    """Undo a C locale's decoding of UTF-8 arguments (LC_ALL=C turns Шляпников into surrogates)."""
    import os

    if not any("\udc80" <= c <= "\udcff" for c in arg):
        return arg
    try:
        return os.fsencode(arg).decode("utf-8")
    except UnicodeDecodeError:
        return arg


def _report_usage(exc: typer.TyperException) -> None:
    """typer's own usage errors, with whatever the user typed made harmless."""
    from .render.safe import clean

    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines += [ctx.get_usage(), f"Try '{ctx.command_path} -h' for help.", ""]
    lines.append("Error: " + clean(exc.format_message()))
    sys.stderr.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    """The console script: run and exit with the code."""
    code = run(argv)
    _quiet_broken_pipe()
    sys.exit(code)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI; every error is turned into a message and an exit code here, and only here."""
    from .render.output import tolerate_encodings

    tolerate_encodings()
    argv = [_utf8_argument(a) for a in (sys.argv[1:] if argv is None else argv)]
    code: int = ExitCode.OK
    try:
        result = _app_for(argv)(args=argv, prog_name="wocli", standalone_mode=False)
        code = result if isinstance(result, int) else ExitCode.OK
        sys.stdout.flush()
    except WocliError as exc:
        _report(exc)
        code = exc.exit_code
    except typer.Exit as exc:  # --help, --version, and Ctrl-C (typer turns it into Exit(130))
        code = exc.exit_code
    except typer.TyperException as exc:  # usage errors found while parsing arguments
        _report_usage(exc)
        code = ExitCode.USAGE
    except (typer.Abort, KeyboardInterrupt):
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        code = ExitCode.OK
    except OSError as exc:  # the output cannot be written: a full disk, a closed terminal
        sys.stderr.write(f"wocli: cannot write the output: {exc.strerror or exc}\n")
        code = ExitCode.USAGE
    if code == ExitCode.INTERRUPTED:
        sys.stderr.write("Interrupted.\n")
    return code


def _quiet_broken_pipe() -> None:
    """After a reader such as `head` closed the pipe (or the disk filled up, already reported),
    don't let the final flush complain."""
    import os

    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
