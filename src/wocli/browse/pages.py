"""What each page shows: a title and the widgets under it, built from the core's data.

A record page is the record's panel (`render.records.fields`: same data, same wording) with
every linked record made a link; the views are the list commands' queries (`listing`).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Select

from .. import dates, listing
from ..i18n import _, kind_label, language, ngettext
from ..model import Event, Group, Person, Record, Term, Vote, Work, text_for
from ..provenance import cited, work_label
from ..render.records import (
    DIM,
    LABEL,
    Fitted,
    fields,
    in_language,
    subtitle,
    summary,
    t,
    tally_table,
    title,
)
from ..render.records import (
    name as name_of,
)
from ..store import FactBase
from . import places
from .places import Place
from .widgets import Field, Hanging, Heading, Line, PageLink

START_GROUP = "workers-opposition"
"""The group the start page is about (else the group with the most members)."""
MAIN_PEOPLE = 3
"""The start page's main people: the group's members most often in events and votes."""

Page = tuple[Text, list[Widget]]


def build(place: Place, base: FactBase, start_group: str = START_GROUP) -> Page:
    """The title and the widgets of the page at `place`."""
    if place.view == places.RECORD and place.rid:
        rec = base.get(place.rid)
        if rec is not None:
            return record_page(rec, base)
    if place.view == places.TIMELINE:
        return timeline_page(base, place)
    if place.view == places.VOTES:
        return votes_page(base)
    if place.view == places.MEMBERS and place.rid:
        group = base.get(place.rid)
        if isinstance(group, Group):
            return members_page(group, base)
    if place.view == places.PICK:
        return pick_page(place, base)
    return start_page(base, start_group)


def title_of(rec: Record) -> Text:
    """The panel's title and subtitle on one line."""
    return Text.assemble(title(rec), "  ", subtitle(rec))


def link(rec: Record, date_width: int = 0, extra: str = "", mark: Text | None = None) -> PageLink:
    """A link to a record: its name (and `extra`, dimmed), after its date in a column
    `date_width` wide if any, and a `mark` such as the timeline's 'vote'."""
    name = t(name_of(rec))
    if extra:
        name.append_text(t(f"  {extra}", DIM))
    if not (date_width or mark):
        return PageLink(name, places.record(rec.id))
    prefix = Text()
    if date_width:
        when = dates.display(rec.date) or _("undated")
        prefix.append_text(t(when + " " * (date_width - cell_len(when) + 2), DIM))
    if mark is not None:
        prefix.append_text(mark)
        prefix.append(" " * (8 - cell_len(mark.plain)))
    return PageLink(Hanging(prefix, name), places.record(rec.id))


def view_link(text: str, place: Place) -> PageLink:
    return PageLink(Text(f"{text} →"), place)


def date_width(records: Iterable[Record]) -> int:
    return max((cell_len(dates.display(r.date) or _("undated")) for r in records), default=0)


def _dated(records: list[Record]) -> list[Widget]:
    width = date_width(records)
    return [link(r, width) for r in records]


def _names(
    base: FactBase, ids: Iterable[str], of: Record | None = None, field: str = ""
) -> list[Widget]:
    """Links to the records `ids` name, each marked '(from mine.toml)' where an overlay put
    it in `field` of `of`, as the panel marks them."""
    out: list[Widget] = []
    for rid in ids:
        rec = base.get(rid)
        came = _came_from(of, field, rid) if of is not None else ""
        if rec is not None:
            out.append(link(rec, extra=came))
        else:
            out.append(Line(t(f"{rid}  {came}" if came else rid)))
    return out


def _came_from(rec: Record, field: str, item: str) -> str:
    """'(from mine.toml)' when an overlay set `field` of `rec` or added `item` to it, else ''."""
    file = rec.provenance.get(f"{field}:{item}") or rec.overlaid(field)
    return _("(from {file})").format(file=file) if file else ""


def _sources(rec: Record, base: FactBase) -> list[Widget]:
    came = rec.overlaid("sources")
    out: list[Widget] = []
    for work_id, details in cited(rec, language(), display=True).items():
        work = base.get(work_id)
        label = t(work_label(work, work_id))
        if details:
            label.append_text(t(": " + "; ".join(details), DIM))
        if came:
            label.append_text(t("  " + _("(from {file})").format(file=came), DIM))
        out.append(PageLink(label, places.record(work_id)) if work else Line(label))
    return out


def _links(rec: Record, base: FactBase) -> dict[str, list[Widget]]:
    """The panel's lines that name other records, as links, by the panel's label."""
    links: dict[str, list[Widget]] = {}
    if isinstance(rec, Person):
        links[_("Groups")] = _names(base, rec.groups, rec, "groups")
    if isinstance(rec, Group):
        links[_("Members")] = _names(base, (p.id for p in base.members(rec.id)))
    if isinstance(rec, Person | Group):
        links[_("Events")] = _dated(list(base.events_of(rec.id)))
        links[_("Votes")] = _dated(list(base.votes_of(rec.id)))
    if isinstance(rec, Event):
        links[_("People")] = _names(base, rec.people, rec, "people")
        links[_("Groups")] = _names(base, rec.groups, rec, "groups")
        links[_("Votes")] = _dated(list(base.linking(rec.id, "votes")))
    if isinstance(rec, Vote):
        links[_("Event")] = _names(base, [rec.event] if rec.event else [], rec, "event")
        links[_("People")] = _names(base, rec.people, rec, "people")
        sides = [tally.group for tally in rec.tallies if tally.group]
        links[_("Groups")] = _names(base, dict.fromkeys(sides))  # not in the panel's lines
    if isinstance(rec, Work):
        links[_("Cited by")] = _names(base, (r.id for r in base.citing(rec.id)))
    if isinstance(rec, Term):
        links[_("Related")] = _names(base, rec.related, rec, "related")
    links[_("Sources")] = _sources(rec, base)
    return links


def record_page(rec: Record, base: FactBase) -> Page:
    """The record's panel, line for line, its names and sources links."""
    links = _links(rec, base)
    rows: list[tuple[str, list[Widget]]] = []
    for label, value in fields(rec, base):
        if label in links:
            rows.append((label, links.pop(label)))
        elif not (isinstance(value, Text) and not value.plain):
            rows.append((label, [Line(value)]))
    at = next(i for i, (label, _v) in enumerate(rows) if label in (_("Note"), _("Sources")))
    rows[at:at] = links.items()  # links the panel shows inside another line (a vote's sides)
    rows = [(label, values) for label, values in rows if values]
    views: list[Widget] = []
    if isinstance(rec, Group) and base.members(rec.id):
        views.append(view_link(_("The members, with their dates"), Place(places.MEMBERS, rec.id)))
    if isinstance(rec, Person | Group):
        views.append(view_link(_("On the timeline"), _filtered(rec)))
    width = max((cell_len(label) for label, _values in rows), default=0)
    body: list[Widget] = []
    if rec.summary:
        body.append(Line(summary(rec), classes="summary"))
    body += [Field(label, values, width) for label, values in rows]
    if views:
        body += [Heading(_("See also")), *views]
    return title_of(rec), body


def _filtered(rec: Person | Group) -> Place:
    if isinstance(rec, Person):
        return places.timeline(person=rec.id)
    return places.timeline(group=rec.id)


def main_group(base: FactBase, wanted: str = START_GROUP) -> Group | None:
    group = base.get(wanted)
    if isinstance(group, Group):
        return group
    groups = [g for g in base.all("groups") if isinstance(g, Group)]
    return max(groups, key=lambda g: len(base.members(g.id)), default=None)


def main_people(base: FactBase, group: Group) -> list[Person]:
    """The members most often named in events and votes, most first (then by surname)."""
    members = listing.people(base, group)
    ranked = sorted(
        (p for p in members if isinstance(p, Person)),
        key=lambda p: -(len(base.events_of(p.id)) + len(base.votes_of(p.id))),
    )  # sorted is stable: ties stay in surname order
    return ranked[:MAIN_PEOPLE]


def start_page(base: FactBase, start_group: str = START_GROUP) -> Page:
    """The group, its main people, the timeline and the votes."""
    body: list[Widget] = []
    group = main_group(base, start_group)
    heading = Text("wocli")
    if group is not None:
        heading = t(name_of(group), "bold")
        heading.append_text(t("  " + _("wocli browse"), DIM))
        if group.summary:
            body.append(Line(in_language(group, "summary"), classes="summary"))
        body.append(Heading(_("The group")))
        body.append(link(group, extra=group.type or ""))
        members = base.members(group.id)
        if members:
            body.append(Heading(_("Main people")))
            for person in main_people(base, group):
                body.append(link(person, extra=dates.years(person.born, person.died)))
            count = len(members)
            body.append(
                view_link(
                    ngettext("The {n} member", "All {n} members", count).format(n=count),
                    Place(places.MEMBERS, group.id),
                )
            )
    found = listing.timeline(base)
    body.append(Heading(_("Timeline")))
    span = ""
    if found:
        first, last = listing.year_of(found[0]), listing.year_of(found[-1])
        span = f", {first}" if first == last else f", {first}–{last}"
    body.append(
        view_link(
            ngettext("{n} event and vote", "{n} events and votes", len(found)).format(n=len(found))
            + span,
            places.timeline(),
        )
    )
    votes = listing.votes(base)
    if votes:
        body.append(Heading(_("Votes")))
        width = date_width(votes)
        body += [link(v, width, _winner(v)) for v in votes]
        body.append(view_link(_("Every vote, with its bars"), Place(places.VOTES)))
    body.append(Line(Text(_("Press / to search, ? for every key."), DIM), classes="hint"))
    return heading, body


def _winner(vote: Record) -> str:
    if isinstance(vote, Vote) and vote.winner and vote.total:
        label = text_for(vote.winner, "label", language())[0]
        return f"{label} {vote.winner.votes}/{vote.total}"
    return ""


def timeline_page(base: FactBase, place: Place) -> Page:
    """Events and votes in date order under each year, filtered by a person or a group."""
    person = base.get(place.person) if place.person else None
    group = base.get(place.group) if place.group else None
    person = person if isinstance(person, Person) else None
    group = group if isinstance(group, Group) else None
    found = listing.timeline(base, person=person, group=group)
    people = [(t(name_of(p)), p.id) for p in listing.people(base)]
    groups = [(t(name_of(g)), g.id) for g in listing.groups(base)]
    filters = Horizontal(
        Select(people, prompt=_("Any person"), value=person.id if person else Select.NULL,
               id="person"),
        Select(groups, prompt=_("Any group"), value=group.id if group else Select.NULL,
               id="group"),
        classes="filters",
    )  # fmt: skip
    body: list[Widget] = [filters]
    width = date_width(found)
    year = None
    for rec in found:
        if listing.year_of(rec) != year:
            year = listing.year_of(rec)
            body.append(Heading(year))
        mark = Text(kind_label(rec.kind), style="green" if rec.kind == "vote" else DIM)
        body.append(link(rec, width, _winner(rec), mark))
    if not found:
        body.append(Line(Text(_("Nothing matches these filters."))))
    heading = Text(_("Timeline"), style="bold")
    for who in (person, group):
        if who is not None:
            heading.append_text(t(f" · {name_of(who)}"))
    return heading, body


def votes_page(base: FactBase) -> Page:
    """Every vote in date order, each with its bars."""
    body: list[Widget] = []
    for vote in listing.votes(base):
        assert isinstance(vote, Vote)
        body.append(Heading(dates.display(vote.when) or _("undated")))
        body.append(link(vote, extra=text_for(vote, "body", language())[0]))
        body.append(Line(_bars(vote, base)))
    return Text(_("Votes"), style="bold"), body


def _bars(vote: Vote, base: FactBase) -> RenderableType:
    return Fitted(lambda width: tally_table(vote, base, width))


def members_page(group: Group, base: FactBase) -> Page:
    """A group's members by surname, with their life dates and Russian names."""
    body: list[Widget] = []
    for person in listing.people(base, group):
        assert isinstance(person, Person)
        extra = "  ".join(
            p for p in (dates.years(person.born, person.died), person.name_ru or "") if p
        )
        body.append(link(person, extra=extra))
    heading = Text(_("Members"), style="bold")
    heading.append_text(t(f" · {name_of(group)}"))
    return heading, [view_link(name_of(group), places.record(group.id)), *body]


def pick_page(place: Place, base: FactBase) -> Page:
    """The records a query could mean, to choose from: kind, name and date."""
    body: list[Widget] = [Line(t(place.message))]
    for candidate in place.candidates:
        rec = base.get(candidate.id)
        if rec is None:
            body.append(Line(t(candidate.name)))
        else:
            mark = Text(kind_label(rec.kind), style=LABEL)
            body.append(link(rec, extra=dates.display(candidate.date), mark=mark))
    return Text(_("Which one?"), style="bold"), body
