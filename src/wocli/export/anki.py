"""An Anki deck for students, written with genanki: who each person was, the figures of each
vote, each term's definition, each event's date; the sources on the back of every card.

The model's and the deck's ids are fixed and every note's GUID comes from its record's id, so
importing a newer export updates the cards already studied instead of adding copies.
"""

from __future__ import annotations

from pathlib import Path

from .. import dates
from ..i18n import _
from ..model import Event, Person, Record, Term, Vote
from ..provenance import source_lines
from ..store import FactBase
from .html import escape

MODEL_ID = 1_735_300_121
DECK_ID = 1_735_300_122
"""Fixed forever: a deck with other ids is another deck to Anki."""

CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: center; }
.answer { text-align: left; }
.sources { font-size: 13px; color: #666; text-align: left; margin-top: 1em; }"""


def guid(rec: Record) -> str:
    """A note's GUID: the same for the same record in every export."""
    import genanki

    return str(genanki.guid_for("wocli", rec.kind, rec.id))


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def card(rec: Record) -> tuple[str, str] | None:
    """(question, answer) as HTML, or None for a record of a kind without cards."""
    name = escape(rec.name)
    if isinstance(rec, Person):
        life = dates.span(rec.born, rec.died)
        who = f"{name} ({escape(rec.name_ru)})" if rec.name_ru else name
        answer = _list(list(rec.roles)) if rec.roles else ""
        if life:
            answer += f"<p>{escape(life)}</p>"
        return _("Who was {name}?").format(name=who), answer + f"<p>{escape(rec.summary)}</p>"
    if isinstance(rec, Vote):
        when = dates.display(rec.when)
        where = ", ".join(escape(p) for p in (rec.body, when) if p)
        lines = [f"{t.label}: {t.votes}" for t in rec.tallies]
        answer = _list(lines) + "<p>" + escape(_("Total")) + f": {rec.total}</p>"
        if rec.notes:
            answer += f"<p>{escape(rec.notes)}</p>"
        return _("{name} ({where}): the figures?").format(name=name, where=where), answer
    if isinstance(rec, Term):
        return name, f"<p>{escape(rec.definition)}</p>"
    if isinstance(rec, Event):
        answer = escape(dates.display(rec.when))
        if rec.place:
            answer += f", {escape(rec.place)}"
        return _("When: {name}?").format(name=name), f"<p>{answer}</p><p>{escape(rec.summary)}</p>"
    return None


def write(base: FactBase, path: Path) -> None:
    import genanki

    model = genanki.Model(
        MODEL_ID,
        "wocli",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Sources"}],
        templates=[
            {
                "name": "Card",
                "qfmt": "{{Question}}",
                "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
                '<div class="sources">{{Sources}}</div>',
            }
        ],
        css=CSS,
    )
    deck = genanki.Deck(DECK_ID, _("Workers' Opposition"))
    for kind in ("people", "votes", "terms", "events"):
        for rec in base.all(kind):
            made = card(rec)
            if made is None:
                continue
            sources = "<br>".join(escape(s) for s in source_lines(rec, base))
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=[made[0], made[1], sources],
                    guid=guid(rec),
                    tags=[rec.kind],
                )
            )
    genanki.Package(deck).write_to_file(str(path))
