"""Find records by free text: exact keys first, then fuzzy matching over precomputed keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import UsageError
from .model import Record

MAX_QUERY = 200
"""Longer queries are cut: no name is that long, and fuzzy scoring grows with length."""

_NON_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc\u02b9`´]")


def normalize(text: str) -> str:
    """Fold case, accents, apostrophes and punctuation: 'Šljapnikov’s' -> 'sljapnikovs'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.casefold())
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


@dataclass(frozen=True)
class Hit:
    """One search result: which record, how well (0-100) and through which field."""

    kind: str
    id: str
    name: str
    score: float
    matched: str


@dataclass(frozen=True)
class _Key:
    text: str
    field: str
    record: Record


class SearchIndex:
    """Normalised keys of every record, built once per fact base."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._keys: list[_Key] = []
        self._exact: dict[str, list[_Key]] = {}
        for record in records:
            for field, value in _fields(record):
                key = _Key(normalize(value), field, record)
                if key.text:
                    self._keys.append(key)
                    self._exact.setdefault(key.text, []).append(key)

    def search(self, query: str, kind: str | None = None, limit: int = 10) -> list[Hit]:
        """Records best matching `query`, best first; `kind` is singular ('person')."""
        text = normalize(query[:MAX_QUERY])
        if not text:
            raise UsageError("the query is empty: give a name, id or other words to look for")
        best: dict[str, Hit] = {}
        for key in self._exact.get(text, ()):
            self._offer(best, key, 100.0, kind)
        if len(best) < limit:
            from rapidfuzz import fuzz, process

            keys = [k for k in self._keys if kind is None or k.record.kind == kind]
            matches = process.extract(
                text,
                [k.text for k in keys],
                scorer=fuzz.WRatio,
                processor=None,
                limit=limit * 4,
                score_cutoff=50,
            )
            for _, score, i in matches:
                self._offer(best, keys[i], min(float(score), 99.0), kind)
        ranked = sorted(best.values(), key=lambda h: (-h.score, h.name))
        return ranked[:limit]

    @staticmethod
    def _offer(best: dict[str, Hit], key: _Key, score: float, kind: str | None) -> None:
        record = key.record
        if kind is not None and record.kind != kind:
            return
        if record.id not in best or best[record.id].score < score:
            best[record.id] = Hit(record.kind, record.id, record.name, round(score, 1), key.field)


def _fields(record: Record) -> Iterable[tuple[str, str]]:
    yield "id", record.id.replace("-", " ")
    yield "name", record.name
    for alias in record.aliases:
        yield "alias", alias
    name_ru = getattr(record, "name_ru", None)
    if name_ru:
        yield "name_ru", name_ru
