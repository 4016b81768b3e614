"""Find records by free text, however the reader spells the name.

Keys
----
Every record is described by *sources*: its id, name, aliases, Cyrillic name (romanised by
several systems through iuliia), a work's title, authors, year and "Author year", an event's or
vote's date, place and body, a person's life years and roles. Each source gives two token streams:

* the **literal** form: :func:`normalize` (Unicode, case, accents, apostrophes, punctuation
  folded) then :func:`canonical` (number words and ordinals as digits: "tenth" -> "10");
* the **phonetic** form: :func:`phonetic`, a rule-based folding of what romanisation systems
  and languages spell differently (sh/sch/ch/š, y/j/i, w/v, -ow/-off/-ov, kh/h, ts/c, z/s,
  ou/u, doubled letters, ...), applied alike to keys and queries. Romanisations of Cyrillic
  names are indexed in this form only.

At build time each distinct token gets a sorted *postings* list (record, field) and is filed
under three blocking keys (:func:`_block_keys`), so that fuzzy matching compares a query word
only with words that share its start give or take one typo.

Scoring (0-100)
---------------
1. A query equal, once normalised, to an id, name, alias, Cyrillic name or title is *exact*:
   score 100, ranked first (an id before a name before an alias). No rapidfuzz needed.
2. Each query word is matched in both spaces: exactly (100), as a prefix (PREFIX_FLOOR..100)
   and fuzzily (``rapidfuzz.process.extract``, ``fuzz.ratio``, over the blocked lists); a
   phonetic match counts PHONETIC times as much, and each match is weighted by the field it
   is found in (W_* constants). A record's *token score* is the mean over the query's words
   of the best match each found in it, initials counting INITIAL_WEIGHT; so a query can
   combine fields ("allen 2015", "moscow conference 1921"). Adjacent words are also tried
   joined ("metal workers" -> "metalworkers").
3. The best CANDIDATES records by token score are rescored against their whole keys with one
   batch ``process.extract``: score = TOKEN_SHARE x token score + FULL_SHARE x best whole-key
   ratio (word order, completeness), at most FUZZY_MAX.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import marshal
import re
import sqlite3
import struct
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import russian
from .dates import MONTHS
from .errors import DataError, UsageError
from .model import (
    KIND_PLURAL,
    KIND_SINGULAR,
    KINDS,
    TITLE_KEYS,
    Event,
    Naming,
    Person,
    Record,
    Vote,
    Work,
)
from .spelling import (
    QUERY_SCHEMA,
    STOPWORDS,
    Memo,
    canonical,
    has_cyrillic,
    keyform,
    romanisations,
)

# Here, not in dates: compiling them would cost every lookup that shows a date ~0.3 ms.
DATE_IN_TEXT = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})-(0[1-9]|1[0-2])(?:-([0-3][0-9]))?")
"""A calendar date (year-month, optional day) inside other text; groups: year, month, day."""
YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
"""A year inside other text."""

MAX_QUERY = 200
"""Longer queries are cut: no name is that long, and fuzzy scoring grows with length."""
MAX_TOKENS = 8
"""Words of a query beyond this many are ignored."""

# --- How much a match through each field counts (multiplies a token's 0-100 similarity). ---
W_NAME = 1.0
"""id, name, alias, Cyrillic name, a work's title: what the record is called."""
W_TRANSLIT = 1.0
"""The Cyrillic name romanised by some system: still the record's own name."""
W_AUTHOR = 0.9
"""A work's author: identifies the work with a year or title word, but a bare surname
should find the person of that name before their books."""
W_DATE = 0.9
"""The year (or full date) of an event, vote or work: meant as a qualifier ("... 1921")."""
W_PLACE = 0.8
"""Where an event or vote happened: a qualifier, shared by many records."""
W_BODY = 0.8
"""The body that took a vote: says which vote, but names another record first."""
W_LIFE = 0.7
"""A person's birth or death year: rarely what a reader types, a weak hint when they do."""
W_ROLE = 0.6
"""A person's role ("chairman of the Metalworkers' Union"): tells namesakes apart, but the
record a word names comes first."""

PHONETIC = 0.95
"""A token matched only after phonetic folding is slightly less sure than a literal match,
so that the spelling the reader typed wins a tie."""
STEM = 1.0
"""A Russian word matched through its stem ('Троцкого' as 'троцк') is as sure as one
matched as typed: case and number say nothing about which record is meant."""
PREFIX_FLOOR = 85.0
"""A query token that is a prefix of a key token scores from this (short prefix) to 100
(the whole token): readers type the start of a name."""
FUZZY_CUTOFF = 70.0
"""Token similarity (rapidfuzz ratio) below which two tokens are unrelated."""
TOKEN_SHARE = 0.8
"""Share of the final score from matching the query's words one by one ..."""
FULL_SHARE = 1.0 - TOKEN_SHARE
"""... and from comparing the whole query with a whole key (order, completeness)."""
INITIAL_WEIGHT = 0.3
"""Weight of an initial ("A." in "A. Shlyapnikov") against 1 for a word."""
FUZZY_MAX = 99.0
"""No inexact match scores 100: that is reserved for exact id, name and alias matches."""
SURNAME = 0.97
"""A whole-key match with a person's surname alone, just below their full name."""

PREFIX_CAP = 300
"""At most this many vocabulary tokens are taken as continuations of one prefix."""
PREFIX_CAP_EXACT = 10
"""... and this many when the word itself is in the vocabulary."""
PROBE_COST = 8
"""A binary search in a posting list costs about this many steps of reading one."""
CANDIDATES = 60
"""Records rescored against whole keys, at least (more when a larger limit is asked)."""

_FIELDS = (
    ("id", W_NAME),
    ("name", W_NAME),
    ("alias", W_NAME),
    ("name_ru", W_NAME),
    ("title", W_NAME),
    ("translit", W_TRANSLIT),
    ("surname", SURNAME),
    ("cite", W_NAME),
    ("author", W_AUTHOR),
    ("date", W_DATE),
    ("place", W_PLACE),
    ("body", W_BODY),
    ("life", W_LIFE),
    ("role", W_ROLE),
)
_FIELD_CODE = {name: code for code, (name, _) in enumerate(_FIELDS)}
_SURNAME = _FIELD_CODE["surname"]
_TRANSLIT = _FIELD_CODE["translit"]
_FIELD_WEIGHT = [weight for _, weight in _FIELDS]
_NF = len(_FIELDS)
_EXACT_ORDER = ("id", "name", "alias", "name_ru", "title")
_EXACT_FIELDS = frozenset(_EXACT_ORDER)
"""A query equal to one of these (after normalising) is an exact match: score 100."""
_WHOLE_FIELDS = frozenset(
    ("id", "name", "alias", "name_ru", "title", "translit", "surname", "cite")
)
"""Fields compared as a whole with the whole query when rescoring."""
_NAME_FIELDS = frozenset(("name", "alias", "name_ru", "translit"))
"""Fields whose words' first letters an initial may stand for."""
_FIELD_USE = {
    field: (code, field in _NAME_FIELDS, field in _EXACT_FIELDS, field in _WHOLE_FIELDS)
    for field, code in _FIELD_CODE.items()
}
"""Each field's code, and whether it names a record, gives exact keys and whole keys."""


def _block_keys(token: str) -> tuple[str, str, str]:
    """Blocking keys: two tokens that differ by one edit in their first three letters share one.

    The first two letters, the first and third, the second and third.
    """
    return token[:2], token[:1] + token[2:3], token[1:3]


@dataclass(frozen=True)
class Hit:
    """One search result: which record, how well (0-100) and through which field."""

    kind: str
    id: str
    name: str
    score: float
    matched: str


class _Space:
    """One token vocabulary (literal or phonetic) of the index: postings and blocks."""

    def __init__(self, index: SearchIndex, space: int) -> None:
        self._rows = index._rows
        self.space = space
        self._postings: dict[str, Sequence[int]] = {}

    def postings(self, token: str) -> Sequence[int]:
        """Sorted codes (record * _NF + field) of the records `token` occurs in."""
        found = self._postings.get(token)
        if found is None:
            rows = self._rows(
                "SELECT postings FROM search_tokens WHERE space = ? AND token = ?",
                (self.space, token),
            )
            found = self._postings[token] = array("I", rows[0][0]) if rows else array("I")
        return found

    def matches(self, token: str) -> dict[str, float]:
        """Vocabulary tokens similar to `token`, with their similarity 0-100.

        Exact (100), prefix (PREFIX_FLOOR to 100 by how much of the word it covers) and, for
        words of three letters or more that are not numbers, fuzzy (rapidfuzz ratio).
        """
        found: dict[str, float] = {}
        exact = bool(self.postings(token))
        if exact:
            found[token] = 100.0
        n = len(token)
        # A word that exists as typed is most likely meant as typed: take only a few longer
        # words it begins, and no fuzzy neighbours.
        cap = PREFIX_CAP if not exact else PREFIX_CAP_EXACT
        for (other,) in self._rows(
            "SELECT token FROM search_tokens WHERE space = ? AND token >= ? AND token < ? "
            "ORDER BY token LIMIT ?",
            (self.space, token, token + "\U0010ffff", cap),
        ):
            if not other.startswith(token):
                break
            score = PREFIX_FLOOR + (100.0 - PREFIX_FLOOR) * n / len(other)
            if score > found.get(other, 0.0):
                found[other] = score
        if exact:
            return found
        if n >= 3 and not token.isdigit():
            from rapidfuzz import fuzz, process

            for key in sorted(set(_block_keys(token))):
                rows = self._rows(
                    "SELECT tokens FROM search_blocks WHERE space = ? AND key = ? ORDER BY part",
                    (self.space, key),
                )
                if not rows:
                    continue
                choices = "\n".join(part for (part,) in rows).split("\n")
                for _, score, k in process.extract(
                    token,
                    choices,
                    scorer=fuzz.ratio,
                    processor=None,
                    limit=None,
                    score_cutoff=FUZZY_CUTOFF,
                ):
                    other = choices[k]
                    if score > found.get(other, 0.0):
                        found[other] = float(score)
        return found


STATE_VERSION = 5
"""Bumped whenever the tables of INDEX_SCHEMA or what goes into them change."""

INDEX_SCHEMA = """
CREATE TABLE search_meta (key TEXT PRIMARY KEY, value NOT NULL);
CREATE TABLE search_records (
    rec INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
    initials TEXT NOT NULL, whole BLOB NOT NULL
);
CREATE TABLE search_tokens (
    space INTEGER NOT NULL, token TEXT NOT NULL, postings BLOB NOT NULL,
    PRIMARY KEY (space, token)
) WITHOUT ROWID;
CREATE TABLE search_blocks (
    space INTEGER NOT NULL, key TEXT NOT NULL, part INTEGER NOT NULL, tokens TEXT NOT NULL,
    PRIMARY KEY (space, key, part)
) WITHOUT ROWID;
CREATE TABLE search_exact (key TEXT NOT NULL, rec INTEGER NOT NULL, field INTEGER NOT NULL);
CREATE INDEX search_exact_by_key ON search_exact (key);
"""
"""The index's tables. A query reads only the rows it needs: the tokens it matches, their
postings and its candidates' keys, so that with 100,000 records a search neither loads
nor keeps the whole index (see bench/RESULTS.md)."""

_LITERAL, _PHONETIC, _STEM = 0, 1, 2
_KIND_CODE = {kind: code for code, kind in enumerate(KIND_SINGULAR.values())}
_CHUNK = 500
"""Rows asked for by one query with an IN list (SQLite allows 999 parameters at least)."""
_UPSERT = (
    "ON CONFLICT (space, token) DO UPDATE SET "
    "postings = CAST(postings || excluded.postings AS BLOB)"
)
"""How a run's postings join those written before it: a token seen in an earlier run (or an
earlier shard) has its new postings put after the old ones, which are of earlier records.
SQLite's || copies two blobs' bytes as they are (into a text value, which CAST makes a blob
again, byte for byte in a UTF-8 database); a Python function here would turn Ctrl-C into an
sqlite3.OperationalError, after which the cache builds the index again in memory."""

BATCH = 2000
"""Records whose rows a build writes at once (and tokens it merges at once)."""
CACHE_RECORDS = 10_000
"""Records after which a build lets its word caches go (and starts them again)."""
RUN_TOKENS = 250_000
"""Distinct tokens whose postings a build holds before writing them out as a run."""
BLOCK_TOKENS = 500_000
"""Tokens filed under blocking keys that a build holds before writing them out."""


def _damaged() -> Exception:
    from .i18n import _

    return DataError([_("wocli's search index could not be read: run the command again")])


class SearchIndex:
    """Literal and phonetic keys of every record, built once per fact base.

    The index lives in an SQLite database (see INDEX_SCHEMA): `fill` writes it, in the cache
    or in memory, and a SearchIndex reads it. `on_damage` makes the error raised when the
    database cannot be read, after doing whatever cleaning up its owner needs.
    """

    def __init__(
        self, db: sqlite3.Connection, on_damage: Callable[[], Exception] = _damaged
    ) -> None:
        self._db = db
        self._on_damage = on_damage
        meta = dict(self._rows("SELECT key, value FROM search_meta"))
        if meta.get("version") != STATE_VERSION or not isinstance(meta.get("kinds"), bytes):
            raise on_damage()
        self._kinds: bytes = meta["kinds"]  # the kind code of each record, by number
        self._literal = _Space(self, _LITERAL)
        self._phon = _Space(self, _PHONETIC)
        self._stems = _Space(self, _STEM)  # Russian words' stems (see russian)

    @classmethod
    def of(cls, records: Iterable[Record]) -> SearchIndex:
        """An index of `records` built in memory."""
        db = sqlite3.connect(":memory:")
        db.executescript(INDEX_SCHEMA)
        fill(db, records)
        return cls(db)

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError:
            raise self._on_damage() from None

    def _described(self, recs: list[int]) -> dict[int, tuple[str, str, str, str, list[Any]]]:
        """Record -> (kind, id, name, initials, whole keys) for the records asked for."""
        out = {}
        for at in range(0, len(recs), _CHUNK):
            chunk = recs[at : at + _CHUNK]
            rows = self._rows(
                "SELECT rec, kind, id, name, initials, whole FROM search_records "
                f"WHERE rec IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for rec, kind, rid, name, initials, whole in rows:
                try:
                    out[rec] = (kind, rid, name, initials, marshal.loads(whole))
                except (ValueError, EOFError, TypeError):
                    raise self._on_damage() from None
        if len(out) != len(set(recs)):
            raise self._on_damage()
        return out

    def __len__(self) -> int:
        return len(self._kinds)

    def exact(self, query: str, kind: str | None = None) -> list[Hit]:
        """Records whose id, name or alias is `query` once normalised; no fuzzy matching."""
        return self._exact_hits(_query_key(query), kind)

    def _exact_hits(self, text: str, kind: str | None) -> list[Hit]:
        rows = self._rows(
            "SELECT r.kind, r.id, r.name, e.field FROM search_exact e "
            "JOIN search_records r ON r.rec = e.rec WHERE e.key = ? ORDER BY e.rowid",
            (text,),
        )
        hits = [
            Hit(rkind, rid, name, 100.0, _FIELDS[field][0])
            for rkind, rid, name, field in rows
            if kind is None or rkind == kind
        ]
        return order_exact(hits)

    def search(self, query: str, kind: str | None = None, limit: int = 10) -> list[Hit]:
        """Records best matching `query`, best first; `kind` is singular ('person')."""
        text = _query_key(query)
        if limit <= 0:
            return []
        exact = self._exact_hits(text, kind)
        seen = {h.id for h in exact}
        shortlist = max(CANDIDATES, limit * 3)
        fuzzy = self._fuzzy(query[:MAX_QUERY], text, kind, shortlist)
        fuzzy = [h for h in fuzzy if h.id not in seen]
        fuzzy.sort(key=_hit_order)
        return (exact + fuzzy)[:limit]

    # --- fuzzy matching ---

    def _fuzzy(self, raw: str, text: str, kind: str | None, shortlist: int) -> list[Hit]:
        """Records matching the words of `text` (the key of `raw`), the best `shortlist` of
        them rescored with their whole keys; unordered."""
        query = _Query.of(raw, text)
        found = [
            self._word_matches(query.words[i], query.phonetic[i], query.stems.get(query.words[i]))
            for i in query.content
        ]
        bests = self._word_scores(found, kind)
        self._add_joined_words(query, found, bests, kind)
        top = _top_sums(bests, shortlist)
        return self._rescored(query, top, bests) if top else []

    def _word_scores(self, found: list[_Matches], kind: str | None) -> list[_Scores]:
        """Each query word's scores, from its matching vocabulary (`found`).

        The postings of the rarest words are read in full, and a common word ("Nikolai" among
        100,000 people) is only looked up in the records the rarer words found, when that is
        cheaper.
        """
        costs = [_cost(matches) for matches in found]
        bests: list[_Scores] = [({}, {})] * len(found)
        candidates: set[int] = set()
        for a in sorted(range(len(found)), key=costs.__getitem__):
            lookups = sum(len(similar) for _, similar, _ in found[a])
            if candidates and len(candidates) * lookups * PROBE_COST < costs[a]:
                bests[a] = self._probe(found[a], kind, candidates)
            else:
                bests[a] = self._scan(found[a], kind)
                candidates.update(bests[a][0])
        return bests

    def _add_joined_words(
        self, query: _Query, found: list[_Matches], bests: list[_Scores], kind: str | None
    ) -> None:
        """Two adjacent words may be one key word ("metal workers" -> "metalworkers"): the
        joined word's scores count for each of the two where they are better.

        A key word that one of the two matches as well alone is no match of the joined word:
        "shlyapnikov railway" is close enough to "shlyapnikov" to match it, but that would
        credit "railway" for a record that has only the name.
        """
        words, phon, content = query.words, query.phonetic, query.content
        for a in range(len(content) - 1):
            i, j = content[a], content[a + 1]
            if j != i + 1 or words[i].isdigit() or words[j].isdigit():
                continue
            matches = self._word_matches(words[i] + words[j], phon[i] + phon[j])
            joined, joined_fields = self._scan(_beyond(matches, found[a] + found[a + 1]), kind)
            for scores, fields in (bests[a], bests[a + 1]):
                for rec, score in joined.items():
                    if score > scores.get(rec, 0.0):
                        scores[rec] = score
                        fields[rec] = joined_fields[rec]

    def _rescored(
        self, query: _Query, top: list[tuple[int, float]], bests: list[_Scores]
    ) -> list[Hit]:
        """The shortlisted records (`top`: record, sum of its words' scores) as hits: scored
        TOKEN_SHARE by their words (initials counting INITIAL_WEIGHT) and FULL_SHARE by their
        best whole key; matched through the field that gave the larger part."""
        initials = query.initials
        total = len(query.content) + INITIAL_WEIGHT * len(initials)
        described = self._described([rec for rec, _ in top])
        whole = self._whole_scores(
            described, " ".join(query.words), " ".join(query.phonetic), query.stem_text
        )
        hits = []
        for rec, score_sum in top:
            rkind, rid, name, letters, _ = described[rec]
            initial_part = sum(100.0 for ch in initials if ch in letters)
            token_score = (score_sum + INITIAL_WEIGHT * initial_part) / total
            whole_score, whole_field = whole.get(rec, (0.0, 0))
            score = TOKEN_SHARE * token_score + FULL_SHARE * whole_score
            if whole_score >= token_score:
                field = whole_field
            else:  # the field through which the query's best-matched word was found
                field = max(
                    (b[1][rec] for b in bests if rec in b[1]),
                    key=_FIELD_WEIGHT.__getitem__,
                    default=whole_field,
                )
            final = round(min(FUZZY_MAX, max(0.0, score)), 1)
            hits.append(Hit(rkind, rid, name, final, _FIELDS[field][0]))
        return hits

    def _word_matches(self, word: str, phon_word: str, stem: str | None = None) -> _Matches:
        """For one query word, in each space: (space, token -> similarity, factor).

        `stem` is a Russian word's stem, matched with the stems of records' names (STEM).
        """
        if len(phon_word) < 2 <= len(word) or (len(phon_word) < 3 and len(word) >= 5):
            # "aaaa" folds to "a" (doubled letters count once): not an initial; "zzzzqqqq" to
            # "sk", which would begin half the romanised Russian vocabulary.
            phon_word = ""
        found = []
        for space, token, factor in ((self._literal, word, 1.0), (self._phon, phon_word, PHONETIC)):
            if token:
                found.append((space, space.matches(token), factor))
        if stem and self._stems.postings(stem):  # as typed only: stems are too short to guess
            found.append((self._stems, {stem: 100.0}, STEM))
        return found

    def _scan(self, found: _Matches, kind: str | None) -> _Scores:
        """Record -> best weighted similarity of one query word, and the field it came from;
        reading every posting of every matching token."""
        scores: dict[int, float] = {}
        fields: dict[int, int] = {}
        kinds, want = self._kinds, _kind_code(kind)
        weights = _FIELD_WEIGHT
        for space, similar, factor in found:
            for token, similarity in similar.items():
                similarity *= factor
                for code in space.postings(token):
                    rec, field = divmod(code, _NF)
                    score = similarity * weights[field]
                    if score > scores.get(rec, 0.0) and (want is None or kinds[rec] == want):
                        scores[rec] = score
                        fields[rec] = field
        return scores, fields

    def _probe(self, found: _Matches, kind: str | None, candidates: set[int]) -> _Scores:
        """As :meth:`_scan`, for the `candidates` only: a binary search in each posting list
        (sorted, as records are added in order) instead of reading it."""
        scores: dict[int, float] = {}
        fields: dict[int, int] = {}
        kinds, want = self._kinds, _kind_code(kind)
        weights = _FIELD_WEIGHT
        wanted = sorted(r for r in candidates if want is None or kinds[r] == want)
        for space, similar, factor in found:
            for token, similarity in similar.items():
                similarity *= factor
                codes = space.postings(token)
                end = len(codes)
                for rec in wanted:
                    low = rec * _NF
                    i = bisect_left(codes, low)
                    if i < end and codes[i] < low + _NF:
                        field = codes[i] - low
                        score = similarity * weights[field]
                        if score > scores.get(rec, 0.0):
                            scores[rec] = score
                            fields[rec] = field
        return scores, fields

    @staticmethod
    def _whole_scores(
        described: dict[int, tuple[str, str, str, str, list[Any]]],
        text: str,
        phon: str,
        stem_text: str = "",
    ) -> dict[int, tuple[float, int]]:
        """Record -> (best similarity of the whole query with one whole key, its field).

        `stem_text` is a Russian query with its words stemmed, compared with the literal
        keys, among which are names' stems (see _RecordKeys.add_russian).
        """
        from rapidfuzz import fuzz, process

        best: dict[int, tuple[float, int]] = {}
        sides = [(0, text, 1.0), (2, phon, PHONETIC)]
        if stem_text and stem_text != text:
            sides.append((0, stem_text, STEM))
        for side, query, factor in sides:
            owners: list[int] = []
            codes: list[int] = []
            keys: list[str] = []
            for rec, (*_, entry) in described.items():
                keys += entry[side]
                codes += entry[side + 1]
                owners += [rec] * len(entry[side])
            for _, score, i in process.extract(
                query, keys, scorer=fuzz.ratio, processor=None, limit=None, score_cutoff=1
            ):
                field = codes[i]
                value = score * factor * _FIELD_WEIGHT[field]
                rec = owners[i]
                if value > best.get(rec, (0.0, 0))[0]:
                    best[rec] = (value, field)
        return best


_Matches = list[tuple[_Space, dict[str, float], float]]
_Scores = tuple[dict[int, float], dict[int, int]]


@dataclass
class _Query:
    """A query's words, as fuzzy matching uses them."""

    words: list[str]
    """The literal words, at most MAX_TOKENS."""
    phonetic: list[str]
    """The phonetic form of each word."""
    content: list[int]
    """Which words are matched one by one: all but stopwords and initials."""
    initials: list[str]
    """One-letter words, matched with the first letters of a record's names."""
    stems: dict[str, str]
    """A Russian word's stem, by the word (see russian)."""
    stem_text: str
    """A Russian query with its words stemmed; "" for others."""

    @classmethod
    def of(cls, raw: str, text: str) -> _Query:
        """The query as typed (`raw`) and its literal key (`text`)."""
        words = text.split()[:MAX_TOKENS]
        content = [
            i for i, w in enumerate(words) if (len(w) > 1 and w not in STOPWORDS) or w.isdigit()
        ]
        initials = [w for w in words if len(w) == 1 and w.isalpha()]
        if not content:  # "the", "x": match what there is
            content, initials = list(range(len(words))), []
        stems: dict[str, str] = {}
        stem_text = ""
        if has_cyrillic(raw):
            stems = russian.query_stems(raw)
            stem_text = " ".join(stems.get(w, w) for w in words)
        phonetic = _query_phonetic(raw, words)
        return cls(words, phonetic, content, initials, stems, stem_text)


def _beyond(joined: _Matches, parts: _Matches) -> _Matches:
    """The matches of a joined word without the key words that one of its parts matches at
    least as well (`parts`: their matches)."""
    out = []
    for space, similar, factor in joined:
        alone = [other for in_space, other, _ in parts if in_space is space]
        kept = {t: s for t, s in similar.items() if all(other.get(t, 0.0) < s for other in alone)}
        out.append((space, kept, factor))
    return out


def _top_sums(bests: list[_Scores], shortlist: int) -> list[tuple[int, float]]:
    """The `shortlist` records whose words' scores add up to most, with that sum, best first."""
    summed: dict[int, float] = {}
    for scores, _ in bests:
        for rec, score in scores.items():
            summed[rec] = summed.get(rec, 0.0) + score
    return heapq.nlargest(shortlist, summed.items(), key=lambda kv: kv[1])


def _cost(found: _Matches) -> int:
    """How many postings reading a word's matches in full would take."""
    return sum(len(space.postings(token)) for space, similar, _ in found for token in similar)


def _kind_code(kind: str | None) -> int | None:
    """The code of a singular kind in the index; one that matches nothing if it is unknown."""
    return None if kind is None else _KIND_CODE.get(kind, -1)


def exact_keys(rid: str, named: Naming, memo: Memo) -> list[tuple[str, str]]:
    """(key, field) for each way of naming a record that counts as an exact match, from its id
    and `naming`, without building the record: a compile of 100,000 records does this for
    each, with one `memo` (names share words).

    The same keys the index's exact table holds (from `_sources`: its id, name, aliases,
    Cyrillic name and a work's titles), so that a compiled fact base can answer exact queries
    (see `query_key`) without building the index.
    """
    # a valid id is a slug of [a-z0-9] words joined by single hyphens: those are its tokens
    keys = {" ".join(canonical(rid.split("-"))): "id"}
    name, aliases, name_ru, titles = named
    texts = [(name, "name"), *((alias, "alias") for alias in aliases)]
    if name_ru:
        texts.append((name_ru, "name_ru"))
    texts += [(title, "title") for title in titles]
    for text, field in texts:
        # a key named twice counts through its first field, as in the index
        if (key := " ".join(memo.literal(text))) and key not in keys:
            keys[key] = field
    return list(keys.items())


def order_exact(hits: list[Hit]) -> list[Hit]:
    """Exact matches in order: an id is the most deliberate thing to type, then a name, then
    an alias; ties in the display order of kinds."""
    return sorted(hits, key=lambda h: (_EXACT_ORDER.index(h.matched), *_hit_order(h)))


def query_key(query: str) -> str:
    """The exact-match key of a query; UsageError when nothing of it is left."""
    return _query_key(query)


def _hit_order(hit: Hit) -> tuple[float, int, str]:
    """Best score first; ties in the display order of kinds, then by name."""
    return (-hit.score, KINDS.index(KIND_PLURAL[hit.kind]), hit.name)


def _query_key(query: str) -> str:
    text = keyform(query[:MAX_QUERY])
    if not text:
        from .errors import quoted
        from .i18n import _

        if query.strip():
            raise UsageError(
                _("{query} has no words to search for: give a name, id or other words").format(
                    query=quoted(query)
                )
            )
        raise UsageError(_("the query is empty: give a name, id or other words to look for"))
    return text


def _query_phonetic(raw: str, words: list[str]) -> list[str]:
    """The phonetic form of each literal query word, one for one.

    Folded from the raw query, so that letters whose diacritic carries a sound count
    ('Mâsnikov' is 'Myasnikov', not 'Masnikov'); Cyrillic words are romanised first.
    """
    memo = Memo()
    folded = memo.phonetic(raw)[: len(words)]
    if len(folded) != len(words):  # cannot happen, as folding keeps word boundaries
        folded = ["".join(memo.phonetic(word)) for word in words]
    out = []
    for word in folded:
        if has_cyrillic(word):
            word = "".join(memo.phonetic(romanisations(word, (QUERY_SCHEMA,))[0]))
        out.append(word)
    return out


# --- Building ----------------------------------------------------------------------------


def _sources(record: Record) -> Iterator[tuple[str, str]]:
    """(field, text) for every field that identifies `record`."""
    yield "id", record.id
    yield "name", record.name
    for alias in record.aliases:
        yield "alias", alias
    if record.name_ru:
        yield "name_ru", record.name_ru
    if isinstance(record, Person):
        for lived in (record.born, record.died):
            for y in YEAR_IN_TEXT.findall(lived or ""):
                yield "life", y
        for role in record.roles:
            yield "role", role
    if isinstance(record, Work):
        for key in TITLE_KEYS:
            value = record.csl.get(key)
            if isinstance(value, str) and value:
                yield "title", value
        years = YEAR_IN_TEXT.findall(record.date or "")
        for author in record.authors:
            if author:
                yield "author", author
                if years:
                    yield "cite", f"{author} {years[0]}"
    if record.date:
        yield "date", record.date
        for y in YEAR_IN_TEXT.findall(record.date):
            yield "date", y
        for year, month, day in DATE_IN_TEXT.findall(record.date):  # "24 December 1920"
            yield "date", f"{int(day) if day else ''} {MONTHS[int(month) - 1]} {year}"
    if isinstance(record, (Event, Vote)) and record.place:
        yield "place", record.place
    if isinstance(record, Vote) and record.body:
        yield "body", record.body


class _RecordKeys:
    """The keys of one record, gathered source by source before they are filed in the index."""

    # one a record, its fields reached for every source: slots make both quicker
    __slots__ = (
        "exact",
        "letters",
        "literal",
        "person",
        "phonetic",
        "stems",
        "whole_lit",
        "whole_phon",
    )

    def __init__(self, person: bool) -> None:
        self.person = person
        self.literal: dict[str, int] = {}  # token -> best field code
        self.phonetic: dict[str, int] = {}
        self.stems: dict[str, int] = {}  # Russian words as written and stemmed (see russian)
        self.whole_lit: dict[str, int] = {}  # whole key -> best field code
        self.whole_phon: dict[str, int] = {}
        self.exact: dict[str, int] = {}  # exact key -> the first field that gives it
        self.letters: set[str] = set()  # first letters of the words of its names

    def add(self, field: str, lit: list[str], phon: list[str]) -> None:
        """One source's words, literal and phonetic, found through `field`."""
        code, named, exact, whole = _FIELD_USE[field]
        # _keep_best written out: this runs for every source of every record, and the calls
        # cost more than the loops
        weights = _FIELD_WEIGHT
        weight = weights[code]
        keys = self.literal
        for token in lit:
            old = keys.get(token)
            if old is None or weight > weights[old]:
                keys[token] = code
        keys = self.phonetic
        for token in phon:
            old = keys.get(token)
            if old is None or weight > weights[old]:
                keys[token] = code
        if named:
            self.letters.update([token[0] for token in lit])
        if exact or whole:
            joined = " ".join(lit)
            if exact:
                self.exact.setdefault(joined, code)
            if whole and lit:
                old = self.whole_lit.get(joined)
                if old is None or weight > weights[old]:
                    self.whole_lit[joined] = code
            if whole and phon:
                key = " ".join(phon)
                old = self.whole_phon.get(key)
                if old is None or weight > weights[old]:
                    self.whole_phon[key] = code
        if named and self.person and len(lit) > 1:  # the surname alone
            _keep_best(self.whole_lit, lit[-1], _SURNAME)
            if phon:
                _keep_best(self.whole_phon, phon[-1], _SURNAME)

    def add_russian(self, field: str, text: str) -> None:
        """A Cyrillic source's words as written and stemmed; stemmed, it is also a whole key
        (and its last word a surname)."""
        code = _FIELD_CODE[field]
        forms, form = russian.index_keys(text)
        _keep_best_tokens(self.stems, forms, code)
        if field in _WHOLE_FIELDS and form:
            _keep_best(self.whole_lit, form, code)
            if self.person and field in _NAME_FIELDS and " " in form:
                _keep_best(self.whole_lit, form.rsplit(" ", 1)[1], _SURNAME)

    def add_romanised(self, tokens: list[str]) -> None:
        """Phonetic tokens of a romanised Cyrillic word: they count as a transliteration unless
        another field gave them."""
        for token in tokens:
            self.phonetic.setdefault(token, _TRANSLIT)

    def add_romanised_wholes(self, spellings: list[tuple[str, str | None]]) -> None:
        """Each system's romanisation of a whole Cyrillic text, in phonetic form, and its last
        word if it has more than one (see _system_spellings), all at once: a call each cost
        more than keeping it."""
        whole_phon, weights = self.whole_phon, _FIELD_WEIGHT
        translit, surnamed = weights[_TRANSLIT], weights[_SURNAME]
        for whole, surname in spellings:
            old = whole_phon.get(whole)
            if old is None or translit > weights[old]:
                whole_phon[whole] = _TRANSLIT
            if surname is not None and self.person:
                old = whole_phon.get(surname)
                if old is None or surnamed > weights[old]:
                    whole_phon[surname] = _SURNAME


_Romanised = tuple[list[list[str]], tuple[int, ...], list[str] | None]
"""A Cyrillic word's romanisations (see Builder.romanise)."""


class Builder:
    """Builds the index record by record into the tables of INDEX_SCHEMA, in bounded memory.

    A record's rows (search_records, search_exact) are written in batches as records come;
    postings are gathered in memory up to RUN_TOKENS distinct tokens and then written out as
    a *run* straight into search_tokens, each token's new postings joined after those of
    earlier runs (_UPSERT): so once every record is in there is nothing left to merge (a
    temporary table of runs grouped by token at the end took as long again as writing them).
    Word caches are let go every CACHE_RECORDS records. So nothing the build keeps grows
    with the number of records but the kind of each (a byte).
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        first: int = 0,
        share: int = 1,
    ) -> None:
        self.db = db
        self.first = first  # the number of the first record (a shard's, see shards)
        # One of `share` processes building at once (see shards) holds that much less.
        self.run_tokens = max(RUN_TOKENS // share, 1)  # tokens held before a run is written out
        self.cache_records = max(CACHE_RECORDS // share, 1)  # records between clearing caches
        self.memo = Memo()
        self.romanised: dict[str, _Romanised] = {}
        self.texts: dict[str, tuple[list[str], list[str] | None]] = {}  # see Memo.keys
        self.kinds = bytearray()  # the kind code of each record, by number
        self.rows: list[tuple[int, str, str, str, str, bytes]] = []  # search_records, to write
        self.exact: list[tuple[str, int, int]] = []  # search_exact, to write
        # token -> postings (record * _NF + field) of the current run, by space; a token
        # found once (most are) holds its one code as an int.
        self.postings: tuple[dict[str, Any], ...] = ({}, {}, {})
        self.runs = 0

    def romanise(self, word: str) -> _Romanised:
        """A Cyrillic word romanised by every system of SCHEMAS: its distinct phonetic forms,
        which of them each system gives, and, if each form is one token (most are), those
        tokens; no forms for a word without Cyrillic letters."""
        found = self.romanised.get(word)
        if found is None and not has_cyrillic(word):
            found = self.romanised[word] = ([], (), None)
        elif found is None:
            forms: dict[str, int] = {}  # phonetic form -> its number
            spelt: dict[str, int] = {}  # a system's spelling -> the number of its form
            distinct: list[list[str]] = []
            which = []
            for latin in romanisations(word):
                form = spelt.get(latin)  # systems often agree: fold each spelling once
                if form is None:
                    phon = self.memo.phonetic(latin)
                    text = " ".join(phon)
                    form = forms.get(text)
                    if form is None:
                        form = forms[text] = len(distinct)
                        distinct.append(phon)
                    spelt[latin] = form
                which.append(form)
            single = [phon[0] for phon in distinct if len(phon) == 1]
            found = self.romanised[word] = (
                distinct,
                tuple(which),
                single if len(single) == len(distinct) else None,
            )
        return found

    def add(self, record: Record) -> None:
        """Gather the keys of `record`, source by source, and file them under its number."""
        keys = _RecordKeys(isinstance(record, Person))
        texts = self.texts
        keys_of = self.memo.keys
        for field, text in _sources(record):
            if field in _EXACT_FIELDS:  # a record's own names: a cache of them only misses
                found = keys_of(text)
            elif (cached := texts.get(text)) is not None:  # roles, years, places repeat
                found = cached
            else:
                found = texts[text] = keys_of(text)
            lit, phon = found
            if not lit:
                continue
            if phon is None:
                self._add_cyrillic(keys, field, text, lit)
            else:
                keys.add(field, lit, phon)
        self._file(record, keys)

    def _add_cyrillic(self, keys: _RecordKeys, field: str, text: str, lit: list[str]) -> None:
        """A Cyrillic source: as written, stemmed, and romanised by every system, word by word
        (a word's forms are computed once). Romanisations are indexed in phonetic form only: it
        is what they differ in, and the name and aliases give the literal spellings."""
        keys.add(field, lit, [])
        keys.add_russian(field, text)
        per_word = []
        for word in lit:
            romanised = self.romanise(word)
            if not romanised[0]:  # mixed scripts: leave as is
                return
            per_word.append(romanised)
        for forms, _, single in per_word:
            if single is not None:
                keys.add_romanised(single)
            else:
                for phon in forms:
                    keys.add_romanised(phon)
        shapes = [list(range(len(lit)))]
        if keys.person and len(lit) == 3:  # first name, patronymic, surname: also without
            shapes.append([0, 2])  # the patronymic, as names are usually given
            keys.add("name_ru", [lit[0], lit[2]], [])
        for shape in shapes:
            keys.add_romanised_wholes(_system_spellings(per_word, shape))

    def _file(self, record: Record, keys: _RecordKeys) -> None:
        """File a record's keys under its number: each a dict lookup, however many records
        share the key (a scan of a key's owners made namesakes cost the square of their
        number)."""
        rec = self.first + len(self.kinds)
        self.kinds.append(_KIND_CODE[record.kind])
        base = rec * _NF
        spaces = (keys.literal, keys.phonetic, keys.stems)
        for held, tokens in zip(self.postings, spaces, strict=True):
            get = held.get
            for token, code in tokens.items():
                postings = get(token)
                if type(postings) is array:  # most tokens are in many records: first
                    postings.append(base + code)
                elif postings is None:
                    held[token] = base + code
                else:
                    held[token] = array("I", (postings, base + code))
        self.exact.extend([(text, rec, code) for text, code in keys.exact.items()])
        whole_lit, whole_phon = keys.whole_lit, keys.whole_phon
        whole = [list(whole_lit), list(whole_lit.values())]
        whole += [list(whole_phon), list(whole_phon.values())]
        initials = "".join(sorted(keys.letters))
        self.rows.append((rec, record.kind, record.id, record.name, initials, marshal.dumps(whole)))
        if len(self.rows) >= BATCH:
            self._write_records()
        if len(self.kinds) % self.cache_records == 0:  # names repeat: cache a while, not for ever
            self.memo, self.romanised, self.texts = Memo(), {}, {}
        if sum(map(len, self.postings)) > self.run_tokens:
            self._spill()

    def _write_records(self) -> None:
        self.db.executemany("INSERT INTO search_records VALUES (?, ?, ?, ?, ?, ?)", self.rows)
        self.db.executemany("INSERT INTO search_exact VALUES (?, ?, ?)", self.exact)
        self.rows, self.exact = [], []

    def _spill(self) -> None:
        """Write the postings gathered so far as one run, and start another."""
        if not self.runs:
            self._start_runs()
        for space, held in enumerate(self.postings):
            self.db.executemany(
                f"INSERT INTO search_tokens VALUES (?, ?, ?) {_UPSERT}",
                ((space, token, _posting_bytes(p)) for token, p in held.items()),
            )
            held.clear()
        self.runs += 1

    def _start_runs(self) -> None:
        from .cache import file_of

        if not file_of(self.db):  # an index in memory (no usable cache folder): its sorts too
            self.db.execute("PRAGMA temp_store = MEMORY")

    def flush(self) -> None:
        """Write out the rows and postings held: in a parent that has indexed its shard, while
        the other processes still index theirs (see shards)."""
        self._write_records()
        self._spill()

    def save_shard(self) -> None:
        """End a shard's build (see shards): its rows written, every posting in search_tokens,
        and the record kinds kept in the shard's own file for `add_shard` to read."""
        self.flush()
        self.db.execute("INSERT INTO search_meta VALUES ('kinds', ?)", (bytes(self.kinds),))
        self.db.commit()

    def add_shard(self, path: str) -> None:
        """Take in the shard that another process built into the file at `path` (see
        save_shard), whose records come after every record added so far: its rows as they
        are, its tokens in token order, joined after this build's for tokens found in both
        (few: most are one record's name, and words common to all are in every shard)."""
        db = self.db
        self.flush()  # this build's postings come first: they are of earlier records
        db.execute("ATTACH DATABASE ? AS shard", (path,))
        try:
            self._copy_shard()
        except BaseException:  # Ctrl-C, say: the shard may still be locked by the statement,
            with contextlib.suppress(sqlite3.Error):  # and that error is not to hide this one
                db.execute("DETACH DATABASE shard")
            raise
        db.execute("DETACH DATABASE shard")

    def _copy_shard(self) -> None:
        """Copy in the rows of the attached shard (see add_shard)."""
        db = self.db
        db.execute("INSERT INTO search_records SELECT * FROM shard.search_records ORDER BY rec")
        db.execute(
            "INSERT INTO search_exact SELECT key, rec, field FROM shard.search_exact ORDER BY rowid"
        )
        db.execute(  # WHERE: so that ON is not read as a join's
            "INSERT INTO search_tokens SELECT space, token, postings "
            f"FROM shard.search_tokens WHERE true {_UPSERT}"
        )
        kinds = "SELECT value FROM shard.search_meta WHERE key = 'kinds'"
        self.kinds += db.execute(kinds).fetchone()[0]
        db.commit()

    def finish(self, filed: Callable[[], None] = lambda: None) -> None:
        """Write what is left and file each token under its blocking keys, calling `filed` once
        each space's tokens are (a step of the progress shown, see shards)."""
        db = self.db
        self._write_records()
        if self.runs:
            self._spill()
        for space in (_LITERAL, _PHONETIC, _STEM):
            blocks = _Blocks(db, space)
            if self.runs:
                tokens = db.execute(
                    "SELECT token FROM search_tokens WHERE space = ? ORDER BY token", (space,)
                )
                while batch := tokens.fetchmany(BATCH):
                    blocks.add(token for (token,) in batch)
            else:  # all in memory
                held = self.postings[space]
                ordered = sorted(held)
                db.executemany(
                    "INSERT INTO search_tokens VALUES (?, ?, ?)",
                    ((space, token, _posting_bytes(held[token])) for token in ordered),
                )
                blocks.add(ordered)
                held.clear()
            blocks.write()
            filed()
        db.executemany(
            "INSERT INTO search_meta VALUES (?, ?)",
            [("version", STATE_VERSION), ("kinds", bytes(self.kinds))],
        )


class _Blocks:
    """The tokens of one space filed under their blocking keys (see _block_keys), in token
    order; written out in parts whenever BLOCK_TOKENS are held, read back in part order."""

    def __init__(self, db: sqlite3.Connection, space: int) -> None:
        self.db = db
        self.space = space
        self.part = 0
        self.held = 0
        self.tokens: dict[str, list[str]] = {}

    def add(self, tokens: Iterable[str]) -> None:
        """File `tokens`, which come after every token filed so far."""
        filed = self.tokens
        for token in tokens:
            if not token.isdigit():
                for key in set(_block_keys(token)):
                    found = filed.get(key)
                    if found is None:
                        filed[key] = [token]
                    else:
                        found.append(token)
                    self.held += 1
        if self.held > BLOCK_TOKENS:
            self.write()

    def write(self) -> None:
        space, part = self.space, self.part
        self.db.executemany(
            "INSERT INTO search_blocks VALUES (?, ?, ?, ?)",
            ((space, key, part, "\n".join(tokens)) for key, tokens in self.tokens.items()),
        )
        self.tokens.clear()
        self.part += 1
        self.held = 0


def _posting_bytes(postings: int | array[int]) -> bytes:
    """A posting list as stored: array('I') bytes (for one code, struct's native 'I' is the
    same C unsigned int)."""
    if type(postings) is int:
        return _ONE_CODE(postings)
    return postings.tobytes()  # type: ignore[union-attr]


_ONE_CODE = struct.Struct("@I").pack


def _keep_best(keys: dict[str, int], key: str, code: int) -> None:
    """File `key` under the field `code` unless a field that weighs more already gave it."""
    old = keys.get(key)
    if old is None or _FIELD_WEIGHT[code] > _FIELD_WEIGHT[old]:
        keys[key] = code


def _keep_best_tokens(keys: dict[str, int], tokens: Iterable[str], code: int) -> None:
    """:func:`_keep_best` for each of `tokens`, the field's weight looked up once."""
    weight = _FIELD_WEIGHT[code]
    for token in tokens:
        old = keys.get(token)
        if old is None or weight > _FIELD_WEIGHT[old]:
            keys[token] = code


def _system_spellings(per_word: list[_Romanised], shape: list[int]) -> list[tuple[str, str | None]]:
    """The words of `shape` (indexes into `per_word`, each word's romanisations) as each
    system of SCHEMAS spells them, in phonetic form, each distinct spelling once: its tokens
    joined, and its last token if it has more than one (a person's surname)."""
    combos = _combinations(tuple(per_word[i][1] for i in shape))
    words = [per_word[i] for i in shape]
    singles = [single for _, _, single in words]
    out = []
    if None not in singles:  # each word's forms one token each: no lists to flatten
        for combo in combos:
            tokens = [single[form] for single, form in zip(singles, combo, strict=True)]  # type: ignore[index]
            out.append((" ".join(tokens), tokens[-1] if len(tokens) > 1 else None))
        return out
    for combo in combos:
        phon = [token for w, form in zip(words, combo, strict=True) for token in w[0][form]]
        if phon:
            out.append((" ".join(phon), phon[-1] if len(phon) > 1 else None))
    return out


@lru_cache(maxsize=1024)
def _combinations(which: tuple[tuple[int, ...], ...]) -> list[tuple[int, ...]]:
    """The distinct combinations of forms that the systems give, each system's one, in order;
    `which` holds, for each word, the number of the form each system gives it. Words that
    the systems spell alike in the same way (most of them) give the same combinations."""
    return sorted(set(zip(*which, strict=True)))


def fill(db: sqlite3.Connection, records: Iterable[Record]) -> None:
    """Index `records` into `db`, whose tables INDEX_SCHEMA created (see also shards)."""
    with gc_paused():
        builder = Builder(db)
        for record in records:
            builder.add(record)
        builder.finish()


@contextmanager
def gc_paused() -> Iterator[None]:
    """A build makes millions of small objects and no cycles: don't rescan them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
