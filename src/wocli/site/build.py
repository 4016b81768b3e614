"""Writing the site: one page per record, a list page per kind, the timeline, search, the JSON.

Pages are laid out in folders named for the kinds (`people/kollontai.html`), each page knowing
how deep it sits so that every link is relative (`../groups/workers-opposition.html`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__, dates
from ..errors import UsageError
from ..i18n import _, language
from ..model import (
    KIND_PLURAL,
    KINDS,
    Event,
    Group,
    Person,
    Record,
    Tally,
    Term,
    Vote,
    Work,
    roles_for,
    text_for,
)
from ..render.safe import clean
from ..store import FactBase

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..resolve import Matcher

TEMPLATES = Path(__file__).parent / "templates"
MARKER = ".wocli-site"
"""Written into a built site: with --force, only a folder holding it has its old pages removed."""
OWNED = (*KINDS, "charts", "pagefind")
"""Folders a build writes (and a forced rebuild removes first), besides its top-level files."""
STYLES = (("APA", "apa"), ("Chicago", "chicago"))
"""The citation styles every record page shows: (label, CSL style). APA cites in the text,
Chicago (notes and bibliography) in notes."""


@dataclass
class Report:
    """What a build wrote."""

    folder: Path
    pages: int
    records: int


@dataclass
class Item:
    """One value on a page: text, where it links to (from the site's root), a date before it."""

    text: str
    href: str | None = None
    when: str = ""
    extra: str = ""


@dataclass
class Section:
    """A labelled row of a record's facts."""

    label: str
    items: list[Item] = field(default_factory=list)

    @property
    def links(self) -> bool:
        """Whether the row only points at other records (left out of the search index, so
        that a search for a name finds the pages about it before the pages naming it)."""
        return all(item.href for item in self.items)


def kind_titles() -> dict[str, str]:
    """The heading of each kind's list page, in the interface's language."""
    return {
        "people": _("People"),
        "groups": _("Groups"),
        "events": _("Events"),
        "votes": _("Votes"),
        "works": _("Works"),
        "terms": _("Terms"),
    }


def href(rec: Record) -> str:
    """A record's page, from the site's root."""
    return f"{KIND_PLURAL[rec.kind]}/{rec.id}.html"


def build(
    base: FactBase, folder: Path, force: bool, index: Callable[[FactBase], Matcher]
) -> Report:
    """Write the site into `folder` (empty, or with `force` written over) and index it."""
    try:
        _prepare(folder, force)
        site = _Site(base, folder, index)
        site.write_all()
    except OSError as exc:
        raise UsageError(
            _("cannot write the site into {folder}: {reason}").format(
                folder=repr(str(folder)), reason=exc.strerror or exc
            )
        ) from None
    _index_for_search(folder)
    return Report(folder, site.pages, len(base))


def _prepare(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(_("{folder} is a file, not a folder").format(folder=repr(str(folder))))
    if folder.is_dir() and any(folder.iterdir()):
        if not force:
            raise UsageError(
                _(
                    "{folder} is not empty: give an empty folder, or --force to write over it"
                ).format(folder=repr(str(folder)))
            )
        if (folder / MARKER).is_file():  # an earlier build: its pages go, nothing else does
            for name in OWNED:
                shutil.rmtree(folder / name, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(f"Written by wocli {__version__} (wocli site).\n")


def _jinja() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # data is text: '<script>' and '[bold]' show as written
        undefined=StrictUndefined,
        finalize=lambda value: clean(value) if isinstance(value, str) else value,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(_=_, version=__version__, lang=language(), kinds=kind_titles())
    return env


class _Site:
    """One build: the base, the folder, the templates, and how many pages were written."""

    def __init__(self, base: FactBase, folder: Path, index: Callable[[FactBase], Matcher]):
        self.base = base
        self.folder = folder
        self.index = index
        self.env = _jinja()
        self.lang = language()
        self.pages = 0

    def _name(self, rec: Record) -> str:
        """A record's name in the interface's language, English where the base has no other."""
        return text_for(rec, "name", self.lang)[0]

    def write_all(self) -> None:
        from .. import listing

        self._json()
        self._charts()
        records: dict[str, list[Record]] = {
            "people": listing.people(self.base),
            "groups": listing.groups(self.base),
            "events": listing.events(self.base),
            "votes": listing.votes(self.base),
            "works": list(listing.works(self.base)),
            "terms": listing.terms(self.base),
        }
        for kind, found in records.items():
            self._page(f"{kind}/index.html", "list.html", kind=kind, rows=self._rows(kind, found))
            for rec in found:
                self._record(rec)
        counts = {kind: len(found) for kind, found in records.items()}
        self._page("index.html", "index.html", counts=counts, title=_("The Workers' Opposition"))
        self._timeline(listing.timeline(self.base), listing.year_of)
        self._page("search.html", "search.html", title=_("Search"))
        (self.folder / "style.css").write_bytes((TEMPLATES / "style.css").read_bytes())

    def _page(self, path: str, template: str, **values: Any) -> None:
        depth = path.count("/")
        values.setdefault("title", "")
        html = self.env.get_template(template).render(root="../" * depth, **values)
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        self.pages += 1

    def _json(self) -> None:
        from ..export.json import document

        text = json.dumps(document(self.base), ensure_ascii=False, indent=1)
        (self.folder / "wocli.json").write_text(text + "\n", encoding="utf-8")

    def _charts(self) -> None:
        from .. import listing
        from ..chart import draw

        charts = self.folder / "charts"
        charts.mkdir(exist_ok=True)
        for vote in listing.votes(self.base):
            assert isinstance(vote, Vote)
            figure = draw.vote_figure(vote, self.base)
            (charts / f"{vote.id}.svg").write_bytes(draw.to_bytes(figure, "svg"))
        timeline = listing.timeline(self.base)
        if timeline:
            figure = draw.timeline_figure(timeline, _("Timeline"))
            (charts / "timeline.svg").write_bytes(draw.to_bytes(figure, "svg"))

    def _rows(self, kind: str, found: list[Record]) -> list[Item]:
        """A list page's lines: each record's name, with its date or a short description."""
        rows = []
        for rec in found:
            extra = ""
            if isinstance(rec, Person):
                extra = dates.years(rec.born, rec.died)
            elif isinstance(rec, Group):
                extra = rec.type or ""
            elif isinstance(rec, Vote):
                extra = _("{total} votes").format(total=rec.total)
            elif isinstance(rec, Work):
                extra = ", ".join(rec.authors)
            rows.append(Item(self._name(rec), href(rec), dates.display(rec.date), extra))
        return rows

    def _record(self, rec: Record) -> None:
        from ..chart.draw import vote_title
        from ..provenance import overlay_lines

        note, note_mark = self._in_language(rec, "note")
        values: dict[str, Any] = {
            "rec": rec,
            "title": self._name(rec),
            "summary": text_for(rec, "summary", self.lang)[0],
            "note": note,
            "note_mark": note_mark,
            "kind_title": kind_titles()[KIND_PLURAL[rec.kind]],
            "kind_href": f"{KIND_PLURAL[rec.kind]}/index.html",
            "facts": [s for s in self._facts(rec) if s.items],
            "sources": self._sources(rec),
            "citations": self._citations(rec),
            "overlaid": overlay_lines(rec),
        }
        if isinstance(rec, Vote):
            values["vote_title"] = vote_title(rec)
            values["tallies"] = self._tallies(rec)
        self._page(href(rec), "record.html", **values)

    def _links(self, records: Iterable[Record | None], dated: bool = False) -> list[Item]:
        return [
            Item(self._name(r), href(r), dates.display(r.date) if dated else "")
            for r in records
            if r is not None
        ]

    def _ids(self, ids: Iterable[str]) -> list[Item]:
        return self._links(self.base.get(i) for i in ids)

    def _texts(self, *values: str | None) -> list[Item]:
        return [Item(v) for v in values if v]

    def _in_language(self, item: Record | Tally, field: str) -> tuple[str, str]:
        """A text field in the page's language, and its mark when it is English instead."""
        text, lang = text_for(item, field, self.lang)
        return text, _("(in English)") if text and lang != self.lang else ""

    def _translated(self, rec: Record, field: str) -> list[Item]:
        text, mark = self._in_language(rec, field)
        general = _general() if text and rec.is_general(field) else ""
        return [Item(text, extra=", ".join(m for m in (mark, general) if m))] if text else []

    def _facts(self, rec: Record) -> list[Section]:
        """The record's rows: its name in the other language first, then those of its kind."""
        if self.lang == "ru":
            other = [] if self._name(rec) == rec.name else [Item(rec.name)]
            first = Section(_("In English"), other)
        else:
            first = Section(_("Russian"), _flagged(rec, rec.name_ru, "name_ru"))
        return [first, *self._kind_facts(rec)]

    def _kind_facts(self, rec: Record) -> list[Section]:
        base = self.base
        if isinstance(rec, Person):
            life = dates.span(rec.born, rec.died)
            return [
                Section(_("Life"), _flagged(rec, life, "born", "died")),
                Section(_("Also known as"), _aliases(rec)),
                Section(_("Roles"), self._roles(rec)),
                Section(_("Groups"), self._ids(rec.groups)),
                Section(_("Events"), self._links(base.events_of(rec.id), dated=True)),
                Section(_("Votes"), self._links(base.votes_of(rec.id), dated=True)),
            ]
        if isinstance(rec, Group):
            return [
                Section(_("Type"), _flagged(rec, rec.type, "type")),
                Section(_("Also known as"), _aliases(rec)),
                Section(_("Members"), self._links(base.members(rec.id))),
                Section(_("Events"), self._links(base.events_of(rec.id), dated=True)),
                Section(_("Votes"), self._links(base.votes_of(rec.id), dated=True)),
            ]
        if isinstance(rec, Event):
            return [
                Section(_("Date"), self._texts(dates.display(rec.when))),
                Section(_("Place"), self._translated(rec, "place")),
                Section(_("Also known as"), _aliases(rec)),
                Section(_("People"), self._ids(rec.people)),
                Section(_("Groups"), self._ids(rec.groups)),
                Section(_("Votes"), self._links(base.linking(rec.id, "votes"), dated=True)),
            ]
        if isinstance(rec, Vote):
            winner = rec.winner
            result = (
                _("{side} ({votes} of {total})").format(
                    side=self._in_language(winner, "label")[0], votes=winner.votes, total=rec.total
                )
                if winner
                else _("a tie")
            )
            return [
                Section(_("Body"), self._translated(rec, "body")),
                Section(_("Date"), self._texts(dates.display(rec.when) or _("not given"))),
                Section(_("Place"), self._translated(rec, "place")),
                Section(_("Event"), self._ids([rec.event] if rec.event else [])),
                Section(_("People"), self._ids(rec.people)),
                Section(_("Winner"), self._texts(result)),
                Section(_("Count"), self._translated(rec, "notes")),
            ]
        if isinstance(rec, Work):
            return [
                Section(_("Type"), self._texts(str(rec.csl.get("type", "")))),
                Section(_("Authors"), self._texts(", ".join(rec.authors))),
                Section(_("Date"), self._texts(dates.display(rec.date) if rec.date else "")),
                Section(_("Cited by"), self._links(base.citing(rec.id))),
            ]
        assert isinstance(rec, Term)
        return [
            Section(_("Also known as"), _aliases(rec)),
            Section(_("Related"), self._ids(rec.related)),
        ]

    def _tallies(self, vote: Vote) -> list[dict[str, Any]]:
        winner = vote.winner
        rows = []
        for tally in vote.tallies:
            group = self.base.get(tally.group) if tally.group else None
            label, mark = self._in_language(tally, "label")
            rows.append(
                {
                    "label": label,
                    "mark": mark,
                    "group": Item(self._name(group), href(group)) if group else None,
                    "votes": tally.votes,
                    "share": f"{tally.votes / vote.total:.1%}" if vote.total else "",
                    "winner": tally is winner,
                }
            )
        return rows

    def _roles(self, rec: Person) -> list[Item]:
        """The roles in the page's language, each marked that is general reference."""
        shown, lang = roles_for(rec, self.lang)
        mark = _("(in English)") if lang != self.lang else ""
        return [
            Item(text, extra=", ".join(m for m in (mark, _general()) if m))
            if rec.is_general("roles", role)
            else Item(text, extra=mark)
            for role, text in zip(rec.roles, shown, strict=True)
        ]

    def _sources(self, rec: Record) -> list[Item]:
        """Each work cited, linked to its page, with the locators and notes gathered."""
        from ..provenance import cited, work_label

        out = []
        for work_id, details in cited(rec, self.lang, display=True).items():
            work = self.base.get(work_id)
            out.append(
                Item(
                    work_label(work, work_id),
                    href(work) if work else None,
                    extra="; ".join(details),
                )
            )
        return out

    def _citations(self, rec: Record) -> list[tuple[str, list[str], list[str]]]:
        """The record in two citation styles: (style, in-text citations or notes, references).

        A work has its own entry; any other record the citations of its sources, each with
        its locator, and their entries (`wocli cite --for`). Plain text, escaped by the
        templates: citeproc-py's HTML leaves a locator's markup as it is.
        """
        from ..citing import cite_for, cite_works

        out: list[tuple[str, list[str], list[str]]] = []
        for label, style in STYLES:
            if isinstance(rec, Work):
                text = cite_works(self.base, self.index, rec.id, style, "text").text
                out.append((label, [], text.splitlines()))
                continue
            text = cite_for(self.base, self.index, f"{rec.kind}:{rec.id}", style, "text").text
            notes, _blank, entries = text.partition("\n\n")
            out.append((label, notes.splitlines(), entries.splitlines()))
        return out

    def _timeline(self, records: list[Record], year_of: Callable[[Record], str]) -> None:
        years: dict[str, list[Item]] = {}
        for rec in records:
            kind = _("vote") if rec.kind == "vote" else ""
            years.setdefault(year_of(rec), []).append(
                Item(self._name(rec), href(rec), dates.display(rec.date), kind)
            )
        self._page("timeline.html", "timeline.html", title=_("Timeline"), years=years)


def _general() -> str:
    return _("general reference")


def _flagged(rec: Record, value: str | None, *fields: str) -> list[Item]:
    """A value, marked when any of `fields` is general reference; nothing when there is none."""
    if not value:
        return []
    return [Item(value, extra=_general() if any(rec.is_general(f) for f in fields) else "")]


def _aliases(rec: Record) -> list[Item]:
    """The aliases the sources give, then, marked, those from general reference."""
    general = [a for a in rec.aliases if rec.is_general("aliases", a)]
    sourced = [a for a in rec.aliases if a not in general]
    out = [Item(", ".join(sourced))] if sourced else []
    if general:
        out.append(Item(", ".join(general), extra=_general()))
    return out


def _index_for_search(folder: Path) -> None:
    """Pagefind's index of the pages, beside them in `pagefind/` (its binary, as a module)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise UsageError(_("cannot run pagefind: {reason}").format(reason=exc)) from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise UsageError(
            _("pagefind could not index the site: {reason}").format(
                reason=lines[-1] if lines else done.returncode
            )
        )
