"""Check raw fact-file tables against the schema and build records from them.

Every problem is collected, none stops the check: a contributor wants the whole list at once,
each as `FILE: KIND.ID.FIELD: what is wrong`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import Any

from . import dates
from .i18n import N_, _
from .model import KIND_SINGULAR, KINDS, TRANSLATED
from .overlay import is_patch
from .suggest import Near

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GROUP_TYPES = ("faction", "platform", "organisation", "union", "party-body", "state-body")
NOT_GENERAL_REFERENCE = ("sources", "general_reference", "replace", "patch")
"""Fields a `general_reference` mark cannot name: they hold no facts, only where facts come from
and how files merge."""

Problems = list[str]
Check = Callable[[Any], str | None]  # returns what is wrong, or None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return _("must be a string, not {type}").format(type=_type_name(value))
    if not value.strip():
        return _("must not be empty")
    return None


def _texts(value: Any) -> str | None:
    if not isinstance(value, list):
        return _("must be an array of strings, not {type}").format(type=_type_name(value))
    for i, item in enumerate(value):
        if problem := _text(item):
            return _("item {n} {problem}").format(n=i + 1, problem=problem)
    return None


def _date(value: Any) -> str | None:
    if problem := _text(value):
        return problem
    if value in _GOOD_DATES:
        return None
    try:
        dates.parse(value)
    except dates.DateError as exc:
        return str(exc)  # in the interface's language: not kept
    if len(_GOOD_DATES) >= 4096:
        _GOOD_DATES.clear()
    _GOOD_DATES.add(value)
    return None


_GOOD_DATES: set[str] = set()
"""Dates found valid: a large overlay's dates repeat ("1921", "1890-03")."""


def _bool(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    return _("must be true or false, not {type}").format(type=_type_name(value))


def _table(value: Any) -> str | None:
    if isinstance(value, dict):
        return None
    return _("must be a table, not {type}").format(type=_type_name(value))


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        if problem := _text(value):
            return problem
        if value in choices:
            return None
        return _("{value} is not one of {choices}").format(
            value=repr(value), choices=", ".join(choices)
        )

    return check


def _type_name(value: Any) -> str:
    # TRANSLATORS: completes "must be a string, not ..." (Russian: instrumental case)
    return {
        str: _("a string"),
        int: _("an integer"),
        float: _("a number"),
        bool: _("a boolean"),
        list: _("an array"),
        dict: _("a table"),
        date: _("a TOML date"),
        datetime: _("a TOML date-time"),
        time: _("a TOML time"),
    }.get(type(value), type(value).__name__)


# field name -> (check, required); references are checked after merging, see `references`.
COMMON: dict[str, tuple[Check, bool]] = {
    "name": (_text, True),
    "summary": (_text, True),
    "sources": (lambda v: None, True),  # checked by _sources
    "aliases": (_texts, False),
    "note": (_text, False),
    "note_ru": (_text, False),
    "replace": (_bool, False),
    "patch": (_bool, False),  # see overlay.py
    "name_ru": (_text, False),
    "summary_ru": (_text, False),
    "general_reference": (_texts, False),  # checked by _general_reference
}
FIELDS: dict[str, dict[str, tuple[Check, bool]]] = {
    "people": {
        "born": (_date, False),
        "died": (_date, False),
        "roles": (_texts, False),
        "roles_ru": (_texts, False),  # checked against roles by _translations
        "groups": (_texts, False),
    },
    "groups": {"type": (_one_of(GROUP_TYPES), False)},
    "events": {
        "date": (_date, True),
        "place": (_text, False),
        "place_ru": (_text, False),
        "people": (_texts, False),
        "groups": (_texts, False),
    },
    "votes": {
        "body": (_text, True),
        "body_ru": (_text, False),
        "date": (_date, False),
        "event": (_text, False),
        "place": (_text, False),
        "place_ru": (_text, False),
        "people": (_texts, False),
        "tallies": (lambda v: None, True),  # checked by _tallies
        "notes": (_text, False),
        "notes_ru": (_text, False),
    },
    "works": {"csl": (_table, True)},
    "terms": {
        "definition": (_text, True),
        "definition_ru": (_text, False),
        "related": (_texts, False),
    },
}
# Fields of COMMON that a kind does without.
NOT_USED = {"works": {"name", "summary", "name_ru"}, "terms": {"summary", "summary_ru"}}
SOURCE_FIELDS = ("work", "locator", "note", "note_ru")
_SOURCE_FIELDS = frozenset(SOURCE_FIELDS)
TALLY_FIELDS = ("label", "label_ru", "group", "votes")
OPTIONAL_FOR = {"works": {"summary"}}

# Which fields hold ids of which kinds, for the reference check.
REFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "people": {"groups": ("groups",)},
    "events": {"people": ("people",), "groups": ("groups",)},
    "votes": {"event": ("events",), "people": ("people",)},
    "terms": {"related": KINDS},
}


@functools.cache  # once per kind, not once per record of a large overlay
def _fields_of(kind: str) -> dict[str, tuple[Check, bool]]:
    fields = {k: v for k, v in COMMON.items() if k not in NOT_USED.get(kind, set())}
    if kind == "works":
        fields["summary"] = (_text, False)
    fields.update(FIELDS[kind])
    return fields


def field_names(kind: str) -> list[str]:
    """Every field a record of a plural kind may set."""
    return list(_fields_of(kind))


def _sources(where: str, value: Any, problems: Problems) -> None:
    if not isinstance(value, list) or not value:
        problems.append(
            _("{where}: must be a non-empty array of {shape}").format(
                where=where, shape="{work = ..., locator = ...}"
            )
        )
        return
    for i, item in enumerate(value):
        at = f"{where}[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(
                _("{where}: must be a table like {shape}").format(
                    where=at, shape='{work = "allen2015"}'
                )
            )
            continue
        if not item.keys() <= _SOURCE_FIELDS:
            for key in sorted(item.keys() - _SOURCE_FIELDS):
                problems.append(_unknown_field(f"{at}.{key}", SOURCE_FIELDS))
        for key in SOURCE_FIELDS:
            if key in item:
                if problem := _text(item[key]):
                    problems.append(f"{at}.{key}: {problem}")
            elif key == "work":
                problems.append(_missing(f"{at}.{key}"))
        _translations(at, item, ("note",), problems)


def _tallies(where: str, value: Any, problems: Problems) -> None:
    if not isinstance(value, list) or not value:
        problems.append(
            _("{where}: must be a non-empty array of {shape}").format(
                where=where, shape="{label = ..., votes = ...}"
            )
        )
        return
    for i, item in enumerate(value):
        at = f"{where}[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(
                _("{where}: must be a table like {shape}").format(
                    where=at, shape='{label = "For", votes = 12}'
                )
            )
            continue
        for key in item.keys() - set(TALLY_FIELDS):
            problems.append(_unknown_field(f"{at}.{key}", TALLY_FIELDS))
        if "label" not in item:
            problems.append(_missing(f"{at}.label"))
        elif problem := _text(item["label"]):
            problems.append(f"{at}.label: {problem}")
        for key in ("label_ru", "group"):
            if key in item and (problem := _text(item[key])):
                problems.append(f"{at}.{key}: {problem}")
        votes = item.get("votes")
        if "votes" not in item:
            problems.append(_missing(f"{at}.votes"))
        elif not isinstance(votes, int) or isinstance(votes, bool) or votes < 0:
            problems.append(
                _("{where}: {value} is not a non-negative integer").format(
                    where=f"{at}.votes", value=repr(votes)
                )
            )
        elif votes > MAX_VOTES:
            problems.append(
                _("{where}: {value} is more than any count ({most} at most)").format(
                    where=f"{at}.votes", value=votes, most=f"{MAX_VOTES:,}"
                )
            )


MAX_VOTES = 10**12
"""No vote was ever counted in more: a larger figure is a typing slip, and would overflow
SQLite's integers in the cache and the exports."""


MAX_DEPTH = 16
"""CSL items nest a few levels (names, dates); deeper is a broken or hostile file."""


def _plain(value: Any) -> str | None:
    """What stops a value being JSON-like (TOML dates, absurd nesting), or None."""
    stack = [(value, 0)]
    while stack:  # iterative: a hostile file must not exhaust the interpreter's stack
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return _("is nested more than {depth} levels deep").format(depth=MAX_DEPTH)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif not isinstance(item, str | int | float | bool):
            return _(
                "holds a TOML date or time; CSL-JSON wants strings, numbers and {shape}"
            ).format(shape="{date-parts = [[YEAR, MONTH, DAY]]}")
    return None


def _csl(where: str, value: dict[str, Any], problems: Problems) -> None:
    for key, item in value.items():
        if problem := _plain(item):
            problems.append(f"{where}.{key}: {problem}")
    for key in ("type", "title"):
        if key not in value:
            problems.append(_missing(f"{where}.{key}"))
        elif problem := _text(value[key]):
            problems.append(f"{where}.{key}: {problem}")
    for role in ("author", "editor", "translator", "container-author", "collection-editor"):
        names = value.get(role)
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(n, dict) for n in names):
            problems.append(
                _("{where}: must be an array of {shape}").format(
                    where=f"{where}.{role}", shape="{family = ..., given = ...}"
                )
            )
            continue
        for i, name in enumerate(names):
            if not ({"family", "literal"} & name.keys()):
                problems.append(
                    _("{where}: needs family (or literal)").format(where=f"{where}.{role}[{i + 1}]")
                )
    for key in ("issued", "original-date", "accessed"):
        if key in value and (problem := _date_parts(value[key])):
            problems.append(f"{where}.{key}: {problem}")


def _date_parts(value: Any) -> str | None:
    """What is wrong with a CSL date ({date-parts = [[1921, 3, 8]]}, or a range of two), or None."""
    parts = value.get("date-parts") if isinstance(value, dict) else None
    shape = _("must be {shape} (month and day optional)").format(
        shape="{date-parts = [[YEAR, MONTH, DAY]]}"
    )
    if not (isinstance(parts, list) and 1 <= len(parts) <= 2):
        return shape
    for part in parts:
        if not (
            isinstance(part, list)
            and 1 <= len(part) <= 3
            and all(isinstance(n, int) and not isinstance(n, bool) for n in part)
        ):
            return shape
        year, month, day = (*part, 1, 1)[:3]
        try:
            date(year, month, day)
        except ValueError:
            return _("{value} is not a real date").format(value=part)
    return None


def _general_reference(
    where: str,
    kind: str,
    raw: dict[str, Any],
    fields: dict[str, tuple[Check, bool]],
    problems: Problems,
) -> None:
    """Each mark names a field that is set ("name_ru") or one item of a list field that is
    there ("aliases:Alexander Gavrilovich Shlyapnikov")."""
    for mark in raw["general_reference"]:
        if not isinstance(mark, str):
            continue  # reported by _texts
        field, per_item, item = mark.partition(":")
        if field in NOT_GENERAL_REFERENCE:
            problems.append(
                _mark(where, mark, _("{field} holds no facts to mark").format(field=repr(field)))
            )
        elif field not in fields:
            problems.append(_mark(where, mark, _no_field(kind, field)))
        elif field not in raw:
            problems.append(
                _mark(where, mark, _("{field} is not set on this record").format(field=repr(field)))
            )
        elif per_item and not isinstance(raw[field], list):
            problems.append(
                _mark(
                    where,
                    mark,
                    _("{field} is not a list (mark it as {field})").format(field=repr(field)),
                )
            )
        elif per_item and item not in raw[field]:
            problems.append(
                _mark(
                    where,
                    mark,
                    _("{item} is not one of this record's {field}").format(
                        item=repr(item), field=field
                    ),
                )
            )


def check_file(origin: str, data: Any) -> Problems:
    """Every problem in one parsed fact file, references to other records aside."""
    problems = check_tables(origin, data)
    for kind, rid, raw in entries(data):
        problems.extend(check_record(f"{origin}: {kind}.{rid}", kind, rid, raw))
    return problems


def check_tables(origin: str, data: Any) -> Problems:
    """The problems of a parsed file's top level: what is not a table of records."""
    if not isinstance(data, dict):
        return [_("{where}: the file must hold tables").format(where=origin)]
    problems: Problems = []
    for kind in data.keys() - set(KINDS):
        problems.append(
            _("{where}: unknown table (allowed: {allowed})").format(
                where=f"{origin}: {kind}", allowed=", ".join(KINDS)
            )
        )
    for kind in KINDS:
        if kind in data and not isinstance(data[kind], dict):
            problems.append(
                _("{where}: must be a table of records like {shape}").format(
                    where=f"{origin}: {kind}", shape=f"[{kind}.some-id]"
                )
            )
    return problems


_UNSET = object()


def check_record(where: str, kind: str, rid: str, raw: Any) -> Problems:
    """Every problem with one record's own fields."""
    if is_patch(raw):  # checked once merged into the record it corrects: overlay.patched
        return []
    if _plainly_valid(kind, rid, raw):
        return []
    problems: Problems = []
    if not ID_RE.match(rid):
        problems.append(
            _("{where}: id must be a lowercase slug (a-z, 0-9, single hyphens)").format(where=where)
        )
    if not isinstance(raw, dict):
        problems.append(
            _("{where}: must be a table of fields, not {type}").format(
                where=where, type=_type_name(raw)
            )
        )
        return problems
    fields = _fields_of(kind)
    if not raw.keys() <= fields.keys():
        for key in sorted(raw.keys() - fields.keys()):
            problems.append(_unknown_field(f"{where}.{key}"))
    for key, (check, required) in fields.items():
        value = raw.get(key, _UNSET)
        if value is _UNSET:
            if required and key not in OPTIONAL_FOR.get(kind, ()):
                problems.append(_missing(f"{where}.{key}"))
        elif problem := check(value):
            problems.append(f"{where}.{key}: {problem}")
    _translations(where, raw, TRANSLATED, problems)
    if "sources" in raw:  # a missing one was reported above
        _sources(f"{where}.sources", raw["sources"], problems)
    if kind == "votes" and "tallies" in raw:
        _tallies(f"{where}.tallies", raw["tallies"], problems)
    if kind == "works" and isinstance(raw.get("csl"), dict):
        _csl(f"{where}.csl", raw["csl"], problems)
    if isinstance(raw.get("general_reference"), list):
        _general_reference(f"{where}.general_reference", KIND_SINGULAR[kind], raw, fields, problems)
    return problems


def _plainly_valid(kind: str, rid: str, raw: Any) -> bool:
    """Whether a record is valid for certain by a quick look: its fields are all strings,
    lists of strings, dates, booleans and plain sources. Anything else (a work's csl, a vote's
    tallies, marks of general reference...) is left to the full check, which also says what is
    wrong: this only spares most records of a large overlay its cost."""
    shapes, required, translated = _plain_shapes(kind)
    if not (type(raw) is dict and required <= raw.keys() and ID_RE.match(rid)):
        return False
    for key, value in raw.items():
        shape = shapes.get(key)
        if shape is _text:
            if type(value) is not str or not value.strip():
                return False
        elif shape is _texts:
            if type(value) is not list:
                return False
            for item in value:
                if type(item) is not str or not item.strip():
                    return False
        elif shape is _date:
            if not (type(value) is str and value in _GOOD_DATES) and _date(value) is not None:
                return False
        elif shape is _sources:
            if type(value) is not list or not value:
                return False
            for source in value:
                if not _plain_source(source):
                    return False
        elif shape is _general_reference:
            if type(value) is not list:
                return False
            for mark in value:
                if type(mark) is not str or not _plain_mark(mark, raw):
                    return False
        elif shape is not _bool or type(value) is not bool:
            return False
    for english, russian in translated:
        if russian in raw:
            value = raw.get(english)
            if value is None or (type(value) is list and len(value) != len(raw[russian])):
                return False
    return True


def _plain_source(source: Any) -> bool:
    if not (type(source) is dict and "work" in source and source.keys() <= _SOURCE_FIELDS):
        return False
    if "note_ru" in source and "note" not in source:
        return False
    return all(type(value) is str and value.strip() for value in source.values())


def _plain_mark(mark: str, raw: dict[str, Any]) -> bool:
    """Whether a general_reference mark names a field that is set or an item that is there
    (that the field may be set at all, the check of the record's own keys says)."""
    field, per_item, item = mark.partition(":")
    if field in NOT_GENERAL_REFERENCE or field not in raw:
        return False
    return not per_item or (type(raw[field]) is list and item in raw[field])


@functools.cache
def _plain_shapes(kind: str) -> tuple[dict[str, Any], frozenset[str], list[tuple[str, str]]]:
    """For `_plainly_valid`: the check of each field it can vouch for, the fields a record
    must have, and the (field, translation) pairs of the kind."""
    fields = _fields_of(kind)
    plain = (_text, _texts, _date, _bool)
    shapes: dict[str, Any] = {k: c for k, (c, _r) in fields.items() if c in plain}
    if "general_reference" in shapes:  # its marks are checked against the other fields
        shapes["general_reference"] = _general_reference
    if "sources" in fields:
        shapes["sources"] = _sources
    optional = OPTIONAL_FOR.get(kind, ())
    required = frozenset(k for k, (_c, r) in fields.items() if r and k not in optional)
    translated = [(f, f"{f}_ru") for f in TRANSLATED if f"{f}_ru" in fields]
    return shapes, required, translated


def _translations(
    where: str, raw: dict[str, Any], fields: tuple[str, ...], problems: Problems
) -> None:
    """A Russian counterpart (FIELD_ru) translates a value that is there, and a list one item
    for each of its items (a person's roles_ru, in the order of roles)."""
    for field in fields:
        english, russian = raw.get(field), raw.get(f"{field}_ru")
        at = f"{where}.{field}_ru"
        if russian is None:
            continue
        if english is None:
            message = _("{where}: translates {field}, which is not set")
            problems.append(message.format(where=at, field=field))
        elif (
            isinstance(english, list) and isinstance(russian, list) and len(russian) != len(english)
        ):
            message = _(
                "{where}: must have one item for each of the {total} in {field}, in order, "
                "not {count}"
            )
            problems.append(
                message.format(where=at, count=len(russian), total=len(english), field=field)
            )


Link = tuple[str, str, tuple[str, ...]]
"""(field, the id it names, the plural kinds it may name) of one reference in a raw record."""


def links(kind: str, raw: Any) -> list[Link]:
    """The ids a raw record points at, its sources first.

    Works on raw tables so that a record with other problems still has its links checked;
    values of the wrong type were reported already and are skipped here.
    """
    found: list[Link] = []
    if not isinstance(raw, dict):
        return found
    for i, src in enumerate(_list(raw.get("sources"))):
        if isinstance(src, dict) and isinstance(work := src.get("work"), str):
            found.append((f"sources[{i + 1}].work", work, _WORKS))
    for field, kinds in REFERENCES.get(kind, {}).items():
        value = raw.get(field)
        for rid in [value] if isinstance(value, str) else _list(value):
            if isinstance(rid, str):
                found.append((field, rid, kinds))
    if kind == "votes":
        for i, tally in enumerate(_list(raw.get("tallies"))):
            if isinstance(tally, dict) and isinstance(group := tally.get("group"), str):
                found.append((f"tallies[{i + 1}].group", group, _GROUPS))
    return found


_WORKS = ("works",)
_GROUPS = ("groups",)


def link_problem(where: str, link: Link, found: str | None, near: Near | None = None) -> str | None:
    """What is wrong with one link, given the plural kind of the record it names (if any), and
    a finder of the known id a missing one probably meant (see suggest.py)."""
    field, rid, kinds = link
    if found is None:
        return f"{where}.{field}: {unknown(rid, kinds, near)}"
    if found not in kinds:
        wanted = _(" or ").join(_(_A_KIND[KIND_SINGULAR[k]]) for k in kinds)
        return _("{where}: {id} is {kind}, not {wanted}").format(
            where=f"{where}.{field}",
            id=repr(rid),
            kind=_(_A_KIND[KIND_SINGULAR[found]]),
            wanted=wanted,
        )
    return None


def references(where: str, kind: str, raw: Any, kind_of: Callable[[str], str | None]) -> Problems:
    """Problems with the ids a raw record points at, given a lookup from id to plural kind."""
    found = (link_problem(where, link, kind_of(link[1])) for link in links(kind, raw))
    return [problem for problem in found if problem]


def unknown(rid: str, kinds: tuple[str, ...], near: Near | None = None) -> str:
    """'unknown group 'workers-oposition' (did you mean workers-opposition?)'."""
    meant = near(rid, kinds) if near else None
    message = _UNKNOWN[KIND_SINGULAR[kinds[0]]] if len(kinds) == 1 else N_("unknown record {id}")
    text = _(message).format(id=repr(rid))
    return text + (_(" (did you mean {id}?)").format(id=meant) if meant else "")


_UNKNOWN = {  # one message per kind: Russian nouns have genders
    "person": N_("unknown person {id}"),
    "group": N_("unknown group {id}"),
    "event": N_("unknown event {id}"),
    "vote": N_("unknown vote {id}"),
    "work": N_("unknown work {id}"),
    "term": N_("unknown term {id}"),
}


_A_KIND = {
    "person": N_("a person"),
    "group": N_("a group"),
    "event": N_("an event"),
    "vote": N_("a vote"),
    "work": N_("a work"),
    "term": N_("a term"),
}


def _missing(where: str) -> str:
    return _("{where}: missing").format(where=where)


def _unknown_field(where: str, allowed: tuple[str, ...] = ()) -> str:
    if allowed:
        return _("{where}: unknown field (allowed: {allowed})").format(
            where=where, allowed=", ".join(allowed)
        )
    return _("{where}: unknown field").format(where=where)


def _no_field(kind: str, field: str) -> str:
    return _("{kind} has no field {field}").format(kind=_(_A_KIND[kind]), field=repr(field))


def _mark(where: str, mark: str, problem: str) -> str:
    """One problem of a general_reference mark: 'WHERE: 'aliases:X': PROBLEM'."""
    return f"{where}: {mark!r}: {problem}"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def entries(data: Any) -> Iterator[tuple[str, str, Any]]:
    """(plural kind, id, raw table) for every record in a parsed file, valid or not."""
    if not isinstance(data, dict):
        return
    for kind in KINDS:
        table = data.get(kind)
        if isinstance(table, dict):
            yield from ((kind, rid, raw) for rid, raw in table.items())
