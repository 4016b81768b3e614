"""The commands: parse arguments, ask the core, hand the result to a renderer.

Only command definitions live here; running them (argument pre-scan, errors into exit codes,
broken pipes, Ctrl-C) is `runner.py`'s job. Each command gets the run's `Environment` as
`ctx.obj`.

No `from __future__ import annotations` here: typer would have to eval every annotation
string of every command on every run (some 10 ms).
"""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer

from . import __version__
from .environment import Environment
from .i18n import N_, _, ngettext
from .lookup import SEARCH_LIMIT, search_records, show_record


def described(purpose: str, example: str) -> str:
    """A command's help: what it does (translated), then an example to copy."""
    return _(purpose) + "\n\n" + _("Example:") + " " + example


def new_app() -> typer.Typer:
    """An empty wocli app: the settings every assembly of the commands shares."""
    return typer.Typer(
        name="wocli",
        help=described(
            "An offline reference to the Workers' Opposition (RCP(b), 1919-1922).",
            "wocli person shlyapnikov",
        ),
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        rich_markup_mode=None,
    )


app = new_app()

JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print JSON (see README: JSON contract)."))]
ChartOpt = Annotated[
    Path | None,
    typer.Option(
        "--chart", metavar="PATH", help=_("Draw a chart into PATH instead: .svg or .png.")
    ),
]
LIST_FORMATS = ("table", "json", "csv", "markdown")
RECORD_FORMATS = ("panel", "json", "markdown")


def _format_option(formats: tuple[str, ...]) -> Any:
    def complete(incomplete: str) -> list[str]:
        return [f for f in formats if f.startswith(incomplete)]

    return typer.Option(
        "--format",
        "-f",
        help=_("{formats} or {last} (default: {default}).").format(
            formats=", ".join(formats[:-1]), last=formats[-1], default=formats[0]
        ),
        metavar="FORMAT",
        autocompletion=complete,
    )


ListFormatOpt = Annotated[str | None, _format_option(LIST_FORMATS)]
RecordFormatOpt = Annotated[str | None, _format_option(RECORD_FORMATS)]
PagerOpt = Annotated[
    bool, typer.Option("--pager/--no-pager", help=_("Page long output on a terminal."))
]


def env(ctx: typer.Context) -> Environment:
    """The run's environment (the runner passes one; a bare `app()` call gets a fresh one)."""
    if not isinstance(ctx.obj, Environment):
        ctx.obj = Environment()
    return ctx.obj


def command_name(command: Any) -> str:
    """The name a registered command is typed as."""
    return str(command.name or command.callback.__name__.replace("_", "-"))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wocli {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help=_(
                "An overlay fact file to merge after the bundled one (repeatable; "
                "also WOCLI_DATA, paths separated by the system's path separator)."
            ),
            metavar="PATH",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=_("Interface language: en or ru (also WOCLI_LANG; default: the locale's)."),
            metavar="LANG",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version.")),
    ] = False,
) -> None:
    from .i18n import LANGUAGES

    if lang is not None and lang not in LANGUAGES:
        from .errors import UsageError

        raise UsageError(
            _("{option} must be one of {choices}, not {value}").format(
                option="--lang", choices=", ".join(LANGUAGES), value=repr(lang)
            )
        )
    env(ctx).data = tuple(data or ())


def _complete(kind: str) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    """Shell completion of a singular command's argument: ids and names of that kind."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from .completion import candidates

        root = ctx.find_root()  # while completing, the callback has not run: read its params
        return candidates(kind, incomplete, tuple(root.params.get("data") or ()))

    return complete


def _complete_style(incomplete: str) -> list[str]:
    """The styles readers use most first (the short names), the export formats, then the rest
    of the CSL repository's thousands."""
    from .cite import EXPORT_FORMATS, style_names
    from .cite.styles import ALIASES

    common = [*ALIASES, *ALIASES.values(), *EXPORT_FORMATS]
    everything = dict.fromkeys([*common, *style_names()])  # in that order, each once
    return [n for n in everything if n.startswith(incomplete)]


def _complete_kinds(incomplete: str) -> list[str]:
    from .model import KIND_PLURAL

    return [k for k in KIND_PLURAL if k.startswith(incomplete)]


def _complete_for(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """`--for KIND:ID`: first the kinds, then the ids and names of the kind typed."""
    from .model import KIND_PLURAL

    kind, colon, rest = incomplete.partition(":")
    if not colon:
        return [(f"{k}:", "") for k in KIND_PLURAL if k.startswith(incomplete)]
    if kind not in KIND_PLURAL:
        return []
    return [(f"{kind}:{rid}", name) for rid, name in _complete(kind)(ctx, rest)]


SINGULAR = [
    # kind, what its argument may be, what the command shows, an example
    (
        "person",
        N_("An id, name, alias or Cyrillic name, in any spelling."),
        N_("Show one person: life, roles, groups, events, votes."),
        "wocli person shlyapnikov",
    ),
    (
        "group",
        N_("An id, name or abbreviation (e.g. 'decists', 'platform 10')."),
        N_("Show one faction, platform or body, with members."),
        'wocli group "democratic centralists"',
    ),
    (
        "event",
        N_("An id or words from the event's name, date or place."),
        N_("Show one event: when, where, who, votes taken."),
        'wocli event "tenth congress"',
    ),
    (
        "vote",
        N_("An id or words from the vote's name, body, date or place."),
        N_("Show one vote: each side's count, share, winner."),
        'wocli vote "moscow conference 1921"',
    ),
    (
        "term",
        N_("A term, in British or American spelling."),
        N_("Show one glossary term and related records."),
        'wocli term "militarisation of labour"',
    ),
    (
        "work",
        N_("An id, author, year or words of the title."),
        N_("Show one work and the records that cite it."),
        "wocli work allen2015",
    ),
]


def _add_singular(kind: str, argument: str, purpose: str, example: str) -> None:
    """Register `wocli KIND QUERY`: the six singular commands differ only in these words."""

    def command(
        ctx: typer.Context,
        query: str,
        format: str | None = None,
        json: bool = False,
        pager: bool = True,
        chart: Any = None,
    ) -> None:
        if chart is None:
            show_record(env(ctx), kind, query, format, json, pager)
        else:
            _draw_vote(env(ctx), query, chart, other_output=json or format is not None)

    command.__doc__ = described(purpose, example)
    command.__annotations__ = {  # real objects: typer reads them, and they close over `kind`
        "ctx": typer.Context,
        "query": Annotated[
            str,
            typer.Argument(help=_(argument), metavar="QUERY", autocompletion=_complete(kind)),
        ],
        "format": RecordFormatOpt,
        "json": JsonOpt,
        "pager": PagerOpt,
        "return": None,
    }
    if kind == "vote":  # a vote can be drawn; other records have no --chart
        command.__annotations__["chart"] = ChartOpt
    else:
        import inspect

        signature = inspect.signature(command)
        command.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for p in signature.parameters.values() if p.name != "chart"]
        )
    app.command(name=kind)(command)


for _kind, _argument, _purpose, _example in SINGULAR:
    _add_singular(_kind, _argument, _purpose, _example)


def _draw_vote(run: Environment, query: str, path: Path, other_output: bool) -> None:
    """`wocli vote QUERY --chart PATH`: the vote's counts drawn into a file."""
    from . import chart
    from .resolve import resolve

    _chart_format(path, other_output)
    base = run.base()
    rec = resolve(base, run.finder(), "vote", query)
    _drawn(path, lambda: chart.save_vote(rec, base, path))  # type: ignore[arg-type]


GroupFilter = Annotated[
    str | None, typer.Option("--group", "-g", help=_("Only those linked to this group."))
]
PersonFilter = Annotated[
    str | None, typer.Option("--person", "-p", help=_("Only those linked to this person."))
]
FromFilter = Annotated[
    str | None,
    typer.Option(
        "--from", help=_("From this date on (EDTF: 1920, 1921-02); what overlaps it counts.")
    ),
]
WithinFilter = Annotated[
    bool,
    typer.Option(
        "--within",
        help=_("Only what lies wholly within --from and --to (not what only overlaps them)."),
    ),
]
ToFilter = Annotated[
    str | None,
    typer.Option("--to", help=_("Up to this date (EDTF: 1921-03-31); what overlaps it counts.")),
]


def _resolved(run: Environment, kind: str, query: str | None) -> Any:
    if query is None:
        return None
    from .resolve import resolve

    return resolve(run.base(), run.finder(), kind, query)


def _date_range(after: str | None, before: str | None) -> tuple[str | None, str | None]:
    """--from and --to, each a valid date, the first not after the second."""
    from .dates import parse
    from .errors import UsageError

    after, before = _date_option("--from", after), _date_option("--to", before)
    if after and before and parse(after).first > parse(before).last:
        raise UsageError(
            _("--from {after} is after --to {before}: nothing can lie between them").format(
                after=after, before=before
            )
        )
    return after, before


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


def _chart_format(path: Path | None, other_output: bool) -> None:
    """Refuse a --chart path of an unknown suffix, or one asked for with --json or --format,
    before any work."""
    if path is None:
        return
    from .chart import fmt
    from .errors import UsageError

    if other_output:
        raise UsageError(_("--chart draws a file; leave out --json and --format"))
    fmt(path)


def _drawn(path: Path, draw: Callable[[], None]) -> None:
    from .render.output import write_text

    draw()
    write_text(_("Chart written to {path}").format(path=path) + "\n")


def _chart_title(what: str, after: str | None, before: str | None, who: list[Any]) -> str:
    """'Timeline, 1920 – 1922: Alexandra Kollontai' from a list command's filters."""
    from .chart import title

    return title(what, after, before, [rec.name for rec in who if rec is not None])


def _show_list(
    run: Environment,
    kind: str,
    records: list[Any],
    fmt: str | None,
    json: bool,
    pager: bool,
    table: Any,
    chart: Path | None = None,
    title: str = "",
) -> None:
    from .errors import NotFound
    from .render import jsonable
    from .render.output import present, text_formats

    base = run.base()
    if chart is not None and records:
        from . import chart as charts

        if kind == "votes":
            _drawn(chart, lambda: charts.save_votes(records, base, chart, title))
        else:
            _drawn(chart, lambda: charts.save_timeline(records, chart, title))
        return

    def rows() -> list[Any]:
        from .export.rows import rows

        return rows(kind, records, base)

    makers = {
        "table": table,
        "json": lambda: jsonable.listing(kind, records, base),
        **text_formats(kind, rows),
    }
    # An empty JSON list or CSV table is an answer a script can read; bare headings are not.
    if records or ("json" if json else fmt) not in (None, "table", "markdown"):
        present(fmt, makers, pager, json)
    if not records:
        raise NotFound(_("Nothing matches these filters."))


@app.command(
    help=described("List people, by surname.", 'wocli people --group "workers opposition"')
)
def people(
    ctx: typer.Context,
    group: GroupFilter = None,
    format: ListFormatOpt = None,
    json: JsonOpt = False,
    pager: PagerOpt = True,
) -> None:
    from . import listing
    from .render import tables

    run = env(ctx)
    base = run.base()
    chosen = _resolved(run, "group", group)
    found = listing.people(base, chosen)
    _show_list(
        run, "people", found, format, json, pager, lambda: tables.people_table(found, base, chosen)
    )


@app.command(help=described("List factions, platforms, organisations and bodies.", "wocli groups"))
def groups(
    ctx: typer.Context, format: ListFormatOpt = None, json: JsonOpt = False, pager: PagerOpt = True
) -> None:
    from . import listing
    from .render import tables

    run = env(ctx)
    base = run.base()
    found = listing.groups(base)
    _show_list(run, "groups", found, format, json, pager, lambda: tables.groups_table(found, base))


class _Dated(NamedTuple):
    """The options the dated lists (events, timeline) share."""

    from_: str | None
    to: str | None
    within: bool
    person: str | None
    group: str | None
    format: str | None
    json: bool
    pager: bool
    chart: Path | None


def _show_dated(
    run: Environment,
    kind: str,
    lister: Callable[..., list[Any]],
    table: Callable[[list[Any]], Any],
    heading: str,
    given: _Dated,
) -> None:
    """A dated list: filtered by dates, person and group, shown, exported or charted."""
    _chart_format(given.chart, given.json or given.format is not None)
    someone = _resolved(run, "person", given.person)
    some_group = _resolved(run, "group", given.group)
    after, before = _date_range(given.from_, given.to)
    found = lister(run.base(), after, before, someone, some_group, strict=given.within)
    title = _chart_title(heading, given.from_, given.to, [someone, some_group])
    _show_list(
        run, kind, found, given.format, given.json, given.pager, lambda: table(found),
        given.chart, title,
    )  # fmt: skip


@app.command(
    help=described(
        "List events in date order, filtered by dates, person or group.",
        'wocli events --from 1921 --to 1921-03 --group "workers opposition"',
    )
)
def events(
    ctx: typer.Context,
    from_: FromFilter = None,
    to: ToFilter = None,
    within: WithinFilter = False,
    person: PersonFilter = None,
    group: GroupFilter = None,
    format: ListFormatOpt = None,
    json: JsonOpt = False,
    pager: PagerOpt = True,
    chart: ChartOpt = None,
) -> None:
    from . import listing
    from .render import tables

    dated = _Dated(from_, to, within, person, group, format, json, pager, chart)
    _show_dated(env(ctx), "events", listing.events, tables.events_table, _("Events"), dated)


@app.command(
    help=described(
        "List votes and counts, in date order.", 'wocli votes --group "workers opposition"'
    )
)
def votes(
    ctx: typer.Context,
    group: GroupFilter = None,
    format: ListFormatOpt = None,
    json: JsonOpt = False,
    pager: PagerOpt = True,
    chart: ChartOpt = None,
) -> None:
    from . import listing
    from .render import tables

    _chart_format(chart, json or format is not None)
    run = env(ctx)
    base = run.base()
    chosen = _resolved(run, "group", group)
    found = listing.votes(base, chosen)
    title = _chart_title(_("Votes"), None, None, [chosen])

    def table() -> Any:
        return tables.votes_table(found)

    _show_list(run, "votes", found, format, json, pager, table, chart, title)


@app.command(help=described("List the glossary.", "wocli terms"))
def terms(
    ctx: typer.Context, format: ListFormatOpt = None, json: JsonOpt = False, pager: PagerOpt = True
) -> None:
    from . import listing
    from .render import tables

    run = env(ctx)
    found = listing.terms(run.base())
    _show_list(run, "terms", found, format, json, pager, lambda: tables.terms_table(found))


@app.command(
    help=described("List the bibliography and the primary texts.", "wocli works --author allen")
)
def works(
    ctx: typer.Context,
    author: Annotated[
        str | None, typer.Option("--author", "-a", help=_("Only this author's."))
    ] = None,
    format: ListFormatOpt = None,
    json: JsonOpt = False,
    pager: PagerOpt = True,
) -> None:
    from . import listing
    from .render import tables

    run = env(ctx)
    found = listing.works(run.base(), author)
    _show_list(run, "works", list(found), format, json, pager, lambda: tables.works_table(found))


@app.command(
    help=described(
        "Events and votes in date order, grouped by year.",
        "wocli timeline --from 1920 --to 1922 --chart timeline.svg",
    )
)
def timeline(
    ctx: typer.Context,
    from_: FromFilter = None,
    to: ToFilter = None,
    within: WithinFilter = False,
    person: PersonFilter = None,
    group: GroupFilter = None,
    format: ListFormatOpt = None,
    json: JsonOpt = False,
    pager: PagerOpt = True,
    chart: ChartOpt = None,
) -> None:
    from . import listing
    from .render import tables

    def table(found: list[Any]) -> Any:
        return tables.timeline_table(found, listing.year_of)

    dated = _Dated(from_, to, within, person, group, format, json, pager, chart)
    _show_dated(env(ctx), "timeline", listing.timeline, table, _("Timeline"), dated)


@app.command(
    help=described(
        "Search every kind of record, ranked by how well each matches.",
        'wocli search "democratic centralists"',
    )
)
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help=_("Any words: names, spellings, dates, titles."))],
    kind: Annotated[
        str | None,
        typer.Option(
            help=_("Only this kind: person, group, event, vote, work or term."),
            autocompletion=_complete_kinds,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=100, help=_("At most this many results."))
    ] = SEARCH_LIMIT,
    format: ListFormatOpt = None,
    json: JsonOpt = False,
    pager: PagerOpt = True,
) -> None:
    search_records(env(ctx), query, kind, limit, format, json, pager)


@app.command(
    help=described(
        "Print a ready-to-paste reference: one work, all of them, or the sources of a record.",
        "wocli cite allen2015 --style chicago",
    )
)
def cite(
    ctx: typer.Context,
    query: Annotated[
        str | None,
        typer.Argument(
            help=_("A work's id, or any words (author, year, title)."),
            metavar="[QUERY]",
            autocompletion=_complete("work"),
        ),
    ] = None,
    style: Annotated[
        str,
        typer.Option(
            "--style",
            "-s",
            help=_(
                "A CSL style name (apa, chicago, mla, chicago-author-date, any style of the "
                "CSL repository), a path to a .csl file, or bibtex, ris, csl-json."
            ),
            autocompletion=_complete_style,
        ),
    ] = "apa",
    all_works: Annotated[
        bool, typer.Option("--all", help=_("The whole bibliography, in the style's order."))
    ] = False,
    for_record: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="KIND:QUERY",
            help=_("The sources behind a record, with their locators: person:shlyapnikov."),
            autocompletion=_complete_for,
        ),
    ] = None,
    citation: Annotated[
        bool, typer.Option("--citation", help=_("An in-text citation or first note instead."))
    ] = False,
    page: Annotated[
        str | None,
        typer.Option(
            "--page", help=_("A locator for --citation or --for: 12, 'para. 3', 'ch. 3'.")
        ),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help=_("text, markdown (keeps italics) or html."))
    ] = "text",
) -> None:
    from .citing import cite_for, cite_works
    from .render.output import write_text

    run = env(ctx)
    base = run.base()
    if for_record is not None:
        cited = cite_for(base, run.finder, for_record, style, format, page)
    else:
        cited = cite_works(
            base, run.finder, query, style, format, all_works=all_works, citation=citation,
            page=page,
        )  # fmt: skip
    write_text(cited.text)
    for notice in cited.notices:
        write_text(notice + "\n", stderr=True)


@app.command(
    help=described(
        "Validate the bundled fact base and overlay files, reporting every problem.",
        "wocli check my-facts.toml",
    )
)
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help=_("Overlay files to check with the bundled base."))
    ] = None,
    json: JsonOpt = False,
) -> None:
    from .errors import DataError, ExitCode
    from .render import jsonable
    from .render.output import print_json
    from .store import load, overlay_paths

    overlays = overlay_paths([str(p) for p in (*env(ctx).data, *(paths or ()))])
    files = ["facts.toml", *(str(p) for p in overlays)]
    if not json:
        base = load(overlays)
        counted = ngettext("{n} record", "{n} records", len(base)).format(n=len(base))
        typer.echo(_("OK: {records} in {files}").format(records=counted, files=", ".join(files)))
        return
    try:
        records, problems = len(load(overlays)), []
    except DataError as exc:
        records, problems = None, exc.problems
    print_json(jsonable.check_report(files, records, problems))
    if problems:
        raise typer.Exit(ExitCode.USAGE)


def _complete_export(incomplete: str) -> list[str]:
    from .export import FORMATS

    return [f for f in FORMATS if f.startswith(incomplete)]


@app.command(
    help=described(
        "Write the whole merged fact base, sources included, in another tool's format.",
        "wocli export --format gexf --output wo.gexf",
    )
)
def export(
    ctx: typer.Context,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=_(
                "json, csv (a folder: a table per kind and link, and a Frictionless "
                "datapackage.json), sqlite (for datasette, with NAME.metadata.json beside it), "
                "gexf (Gephi), graphml, timelinejs or anki (a deck)."
            ),
            metavar="FORMAT",
            autocompletion=_complete_export,
        ),
    ] = "json",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "The file to write (a folder for csv); without it, or with -, a text format "
                "goes to stdout."
            ),
            metavar="PATH",
        ),
    ] = None,
) -> None:
    from .export import check, write

    if output == Path("-"):
        output = None
    check(format, output)  # before the base is loaded: a bad path costs nothing
    write(env(ctx).base(), format, output)


@app.command(
    help=described(
        "Write the whole base as a static website with search, to publish on any static host.",
        "wocli site public/ --serve",
    )
)
def site(
    ctx: typer.Context,
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help=_("An empty (or new) folder to write the site into.")),
    ],
    force: Annotated[
        bool, typer.Option("--force", help=_("Write over an earlier build in DIR."))
    ] = False,
    serve: Annotated[
        bool, typer.Option("--serve", help=_("Then serve it on 127.0.0.1 for a preview."))
    ] = False,
    port: Annotated[int, typer.Option(min=0, max=65535, help=_("The port for --serve."))] = 8000,
) -> None:
    import sys

    from . import site as website
    from .render.output import write_text

    run = env(ctx)
    report = website.build(run.base(), folder, force, run.finder)
    done = _("Wrote {pages} pages for {records} records to {folder}")
    write_text(done.format(pages=report.pages, records=report.records, folder=folder) + "\n")

    def ready(url: str) -> None:
        write_text(_("Serving {folder} at {url} (Ctrl-C to stop)").format(folder=folder, url=url))
        write_text("\n")
        sys.stdout.flush()

    if serve:
        website.serve(folder, port, ready)


@app.command(
    help=described(
        "Explore everything full-screen: follow links, search as you type, cite.",
        "wocli browse shlyapnikov",
    )
)
def browse(
    ctx: typer.Context,
    query: Annotated[
        str | None,
        typer.Argument(
            help=_("Open on the record this names (any kind, any spelling)."), metavar="[QUERY]"
        ),
    ] = None,
    style: Annotated[
        str,
        typer.Option(
            "--style",
            "-s",
            help=_("The citation style that c copies in (as for wocli cite)."),
            autocompletion=_complete_style,
        ),
    ] = "chicago",
) -> None:
    from .browse import browse as explore

    code = explore(env(ctx), query, style)
    if code:
        raise typer.Exit(code)
