"""The six kinds of record in the fact base, as plain data.

Records are never changed once built. They are plain classes with __slots__ rather than
dataclasses: the dataclass decorator writes and compiles each class's methods when the module
is imported, which cost every command ~2 ms (and freezing them, three times that). Equality is
identity: a FactBase builds each record once.
"""

from __future__ import annotations

from typing import Any, ClassVar

KINDS = ("people", "groups", "events", "votes", "works", "terms")
"""Top-level tables of a fact file, in display order."""

KIND_SINGULAR = {
    "people": "person",
    "groups": "group",
    "events": "event",
    "votes": "vote",
    "works": "work",
    "terms": "term",
}
KIND_PLURAL = {v: k for k, v in KIND_SINGULAR.items()}

PROVENANCE = "_provenance"
"""The key under which a merged raw table carries its provenance (see overlay.py): no fact file
can set it, as validation rejects fields it does not know."""


class SourceRef:
    """A reference from a record to the work that supports it."""

    __slots__ = ("locator", "note", "note_ru", "work")

    def __init__(
        self,
        work: str,
        locator: str | None = None,
        note: str | None = None,
        note_ru: str | None = None,
    ) -> None:
        self.work = work
        self.locator = locator
        self.note = note
        self.note_ru = note_ru


class Record:
    """What every record has: an id, a name, a summary and its sources; in Russian too,
    where the curators have written it (see :func:`text_for`).

    A kind of record adds its own fields as keyword arguments, and passes these on.
    """

    kind: ClassVar[str] = ""
    __slots__ = (
        "__weakref__",  # a FactBase holds the records it built weakly
        "aliases",
        "general_reference",
        "id",
        "name",
        "name_ru",
        "note",
        "note_ru",
        "origin",
        "provenance",
        "sources",
        "summary",
        "summary_ru",
    )

    def __init__(
        self,
        *,
        id: str,
        name: str,
        summary: str,
        sources: tuple[SourceRef, ...],
        aliases: tuple[str, ...] = (),
        note: str | None = None,
        name_ru: str | None = None,
        summary_ru: str | None = None,  # a term's definition_ru
        note_ru: str | None = None,
        general_reference: tuple[str, ...] = (),
        origin: str = "",
        provenance: dict[str, str] | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.summary = summary
        self.sources = sources
        self.aliases = aliases
        self.note = note
        self.name_ru = name_ru
        self.summary_ru = summary_ru
        self.note_ru = note_ru
        self.general_reference = general_reference
        """Marks for values the cited sources do not give: a field ("name_ru") or one item of
        a list field ("aliases:Alexander Gavrilovich Shlyapnikov")."""
        self.origin = origin  # the file the record came from
        self.provenance = {} if provenance is None else provenance
        """Field -> the overlay file (as named to wocli) that set it, and "FIELD:ITEM" -> the
        file that added ITEM to an earlier list; empty for a bundled record. Field names are a
        fact file's, which are also the JSON contract's."""

    @property
    def date(self) -> str | None:
        return None

    def overlaid(self, *fields: str) -> str | None:
        """The overlay file that set any of `fields`, or None when all are bundled."""
        return next((self.provenance[f] for f in fields if f in self.provenance), None)

    def is_general(self, field: str, item: str | None = None) -> bool:
        """Whether `field` (or `item` of the list `field`) comes from general reference."""
        marks = self.general_reference
        return field in marks or (item is not None and f"{field}:{item}" in marks)


class Person(Record):
    """Someone named in the sources."""

    kind: ClassVar[str] = "person"
    __slots__ = ("born", "died", "groups", "roles", "roles_ru")

    def __init__(
        self,
        *,
        born: str | None = None,
        died: str | None = None,
        roles: tuple[str, ...] = (),
        roles_ru: tuple[str, ...] = (),  # one for each role, in the same order
        groups: tuple[str, ...] = (),
        **common: Any,
    ) -> None:
        super().__init__(**common)
        self.born = born
        self.died = died
        self.roles = roles
        self.roles_ru = roles_ru
        self.groups = groups


class Group(Record):
    """A faction, platform, organisation, union, party or state body."""

    kind: ClassVar[str] = "group"
    __slots__ = ("type",)

    def __init__(self, *, type: str | None = None, **common: Any) -> None:
        super().__init__(**common)
        self.type = type


class Event(Record):
    """Something that happened on a date."""

    kind: ClassVar[str] = "event"
    __slots__ = ("groups", "people", "place", "place_ru", "when")

    def __init__(
        self,
        *,
        when: str,
        place: str | None = None,
        place_ru: str | None = None,
        people: tuple[str, ...] = (),
        groups: tuple[str, ...] = (),
        **common: Any,
    ) -> None:
        super().__init__(**common)
        self.when = when
        self.place = place
        self.place_ru = place_ru
        self.people = people
        self.groups = groups

    @property
    def date(self) -> str | None:
        return self.when


class Tally:
    """One side of a vote: its label, the group behind it, and its count."""

    __slots__ = ("group", "label", "label_ru", "votes")

    def __init__(
        self, label: str, votes: int, group: str | None = None, label_ru: str | None = None
    ) -> None:
        self.label = label
        self.votes = votes
        self.group = group
        self.label_ru = label_ru


class Vote(Record):
    """A count of votes or seats taken by a body."""

    kind: ClassVar[str] = "vote"
    __slots__ = (
        "body",
        "body_ru",
        "event",
        "notes",
        "notes_ru",
        "people",
        "place",
        "place_ru",
        "tallies",
        "when",
    )

    def __init__(
        self,
        *,
        body: str,
        tallies: tuple[Tally, ...],
        body_ru: str | None = None,
        when: str | None = None,
        event: str | None = None,
        place: str | None = None,
        place_ru: str | None = None,
        people: tuple[str, ...] = (),
        notes: str | None = None,
        notes_ru: str | None = None,
        **common: Any,
    ) -> None:
        super().__init__(**common)
        self.body = body
        self.tallies = tallies
        self.body_ru = body_ru
        self.when = when
        self.event = event
        self.place = place
        self.place_ru = place_ru
        self.people = people
        self.notes = notes
        self.notes_ru = notes_ru

    @property
    def date(self) -> str | None:
        return self.when

    @property
    def total(self) -> int:
        return sum(t.votes for t in self.tallies)

    @property
    def winner(self) -> Tally | None:
        """The side with the most votes, or None on a tie at the top."""
        ranked = sorted(self.tallies, key=lambda t: t.votes, reverse=True)
        if not ranked or (len(ranked) > 1 and ranked[0].votes == ranked[1].votes):
            return None
        return ranked[0]


class Work(Record):
    """A work in the bibliography, held as a CSL-JSON item."""

    kind: ClassVar[str] = "work"
    __slots__ = ("csl",)

    def __init__(self, *, csl: dict[str, Any] | None = None, **common: Any) -> None:
        super().__init__(**common)
        self.csl = {} if csl is None else csl

    @property
    def date(self) -> str | None:
        parts = self.csl.get("issued", {}).get("date-parts") or [[]]
        first = parts[0]
        return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(first)) or None

    @property
    def authors(self) -> list[str]:
        """Family names of authors, else editors."""
        names = self.csl.get("author") or self.csl.get("editor") or []
        return [n.get("family") or n.get("literal", "") for n in names]


class Term(Record):
    """A glossary entry; its summary is its definition."""

    kind: ClassVar[str] = "term"
    __slots__ = ("related",)

    def __init__(self, *, related: tuple[str, ...] = (), **common: Any) -> None:
        super().__init__(**common)
        self.related = related

    @property
    def definition(self) -> str:
        return self.summary

    @property
    def definition_ru(self) -> str | None:
        return self.summary_ru


RECORD_TYPES: dict[str, type[Record]] = {
    "people": Person,
    "groups": Group,
    "events": Event,
    "votes": Vote,
    "works": Work,
    "terms": Term,
}


_WHOLE: dict[tuple[str, str], dict[str, str]] = {}
"""(plural kind, file) -> the provenance of a whole record of that kind from that file."""


def _spelt_out(kind: str, file: str) -> dict[str, str]:
    """Every field of the kind from `file`: one dict, shared by the records it fits."""
    from .overlay import provenance

    found = _WHOLE[kind, file] = provenance(kind, file)
    return found


def could_be_id(text: str) -> bool:
    """Whether `text` has the shape of an id, a lowercase slug (`validate.ID_RE`, without the
    regular expression a lookup would compile for it)."""
    return text.isascii() and all(
        part.isdigit() or (part.isalnum() and part.islower()) for part in text.split("-")
    )


def name_of(kind: str, raw: dict[str, Any]) -> str:
    """The name of a record from its validated table (a work is named by its title)."""
    name: str = raw["csl"]["title"] if kind == "works" else raw["name"]
    return name


Naming = tuple[str, list[str], str, list[str]]
"""What names a record (see `naming`): its name, aliases, Cyrillic name ('' if none) and, for
a work, its titles."""

TITLE_KEYS = ("title", "title-short", "original-title")
"""The CSL fields that give a work's titles."""


def naming(kind: str, raw: dict[str, Any], name: str | None = None) -> Naming:
    """What names a record, from its validated table (`kind` plural) and its `name` if known:
    what an exact-name table is made of (`search.exact_keys`), in a tuple, which costs a
    compile less to make and to send than a dict."""
    titles: list[str] = []
    if kind == "works":
        csl = raw["csl"]
        titles = [v for key in TITLE_KEYS if isinstance(v := csl.get(key), str) and v]
    if name is None:
        name = name_of(kind, raw)
    return name, raw.get("aliases", []), raw.get("name_ru") or "", titles


def build(kind: str, rid: str, raw: dict[str, Any], origin: str) -> Record:
    """A record from its validated table in a fact file (`kind` is the plural table name)."""
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k != "replace"
    }
    if "patch" in values or PROVENANCE in values:  # from an overlay (see overlay.py)
        values.pop("patch", None)
        stored = values.pop(PROVENANCE, {})
        if isinstance(stored, str):  # a whole record from that overlay
            stored = _WHOLE.get((kind, stored)) or _spelt_out(kind, stored)
        values["provenance"] = stored
    values["sources"] = tuple(
        SourceRef(s["work"], s.get("locator"), s.get("note"), s.get("note_ru"))
        for s in raw["sources"]
    )
    values["origin"] = origin
    if kind == "works":
        values["csl"] = {**raw["csl"], "id": rid}
        values["name"] = name_of(kind, raw)
        values.setdefault("summary", "")
    elif kind == "terms":
        values["summary"] = values.pop("definition")
        if "definition_ru" in values:
            values["summary_ru"] = values.pop("definition_ru")
    elif kind == "votes":
        values["tallies"] = tuple(
            Tally(t["label"], t["votes"], t.get("group"), t.get("label_ru")) for t in raw["tallies"]
        )
    if "date" in values:
        values["when"] = values.pop("date")
    return RECORD_TYPES[kind](id=rid, **values)


TEXT_FIELDS = ("name", "summary", "definition", "note", "place", "body", "notes", "label")
"""The text fields that have a Russian counterpart (FIELD_ru): a record's, a tally's "label",
a source's "note"."""

TRANSLATED = ("summary", "definition", "note", "roles", "place", "body", "notes")
"""The fields whose FIELD_ru is the curators' translation of them, which a new value of the
field leaves out of date (a Russian name is a fact of its own, not a translation)."""


def text_for(item: Record | Tally | SourceRef, field: str, lang: str) -> tuple[str, str]:
    """A text field of a record, a tally or a source (see TEXT_FIELDS; a term's "definition"
    is its summary) in `lang` ("en" or "ru", as in i18n.LANGUAGES) if it has it, else in
    English: (text, the language it is in); ("", "en") when the field is not set.

    A renderer shows the language returned beside the text when it is not the one asked
    for, so that Russian and English are never mixed silently.
    """
    if field not in TEXT_FIELDS or not hasattr(item, field):
        kind = item.kind if isinstance(item, Record) else type(item).__name__.lower()
        raise ValueError(f"a {kind} has no {field!r} in two languages")
    if lang == "ru":
        russian = getattr(item, f"{field}_ru", None)
        if russian:
            return russian, "ru"
    return getattr(item, field) or "", "en"


def roles_for(person: Person, lang: str) -> tuple[tuple[str, ...], str]:
    """A person's roles in `lang` if the curators have written them, else in English, as
    (roles, the language they are in); item i translates `person.roles[i]`."""
    if lang == "ru" and person.roles_ru:
        return person.roles_ru, "ru"
    return person.roles, "en"


def shown_name(record: Record) -> str:
    """The name a record is shown and ordered by: its Russian one in a Russian interface."""
    from .i18n import language

    return text_for(record, "name", language())[0]
