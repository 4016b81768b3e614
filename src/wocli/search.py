"""Find records by free text, however the reader spells the name.

How a query is matched
----------------------
Every record is described by *sources*: its id, name, aliases, Cyrillic name (and that name
romanised by every common system, through iuliia), a work's title, authors and year, an
event's or vote's date, place and body. Each source is turned into two token streams:

* the **literal** form: :func:`normalize` (Unicode, case, accents, apostrophes and
  punctuation folded) then :func:`canonical` (number words and ordinals as digits:
  "tenth" -> "10");
* the **phonetic** form: :func:`phonetic`, a rule-based folding of the spelling differences
  between romanisation systems and languages (sh/sch/ch/š, y/j/i, w/v, -ow/-off/-ov, kh/h, ts/c,
  z/s, ou/u, doubled letters, ...), applied alike to the keys and the query.

At build time each distinct token of either form gets a *postings* list (which records, through
which field) and is filed under three short blocking keys, so that a query token is compared
only with tokens sharing its start give or take one typo. At query time each query token is
matched exactly (dictionary), as a prefix (bisection of the sorted vocabulary) and fuzzily
(``rapidfuzz.process.extract`` with ``fuzz.ratio`` over the blocked token lists). A record's
*token score* is the weighted mean, over the query's tokens, of the best match the token found
in that record (so a query may combine fields: "allen 2015", "daniels conscience"). The best
candidates are then rescored against whole keys ("Leon Trotsky", "allen 2015") with one batch
``process.extract``, and a query equal to an id, name or alias scores 100 and ranks first.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import UsageError
from .model import KIND_PLURAL, KINDS, Event, Person, Record, Vote, Work

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

PHONETIC = 0.95
"""A token matched only after phonetic folding is slightly less sure than a literal match,
so that the spelling the reader typed wins a tie."""
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
)
_FIELD_CODE = {name: code for code, (name, _) in enumerate(_FIELDS)}
_FIELD_WEIGHT = [weight for _, weight in _FIELDS]
_NF = len(_FIELDS)
_EXACT_FIELDS = frozenset(("id", "name", "alias", "name_ru", "title"))
"""A query equal to one of these (after normalising) is an exact match: score 100."""
_WHOLE_FIELDS = frozenset(
    ("id", "name", "alias", "name_ru", "title", "translit", "surname", "cite")
)
"""Fields compared as a whole with the whole query when rescoring."""
_NAME_FIELDS = frozenset(("name", "alias", "name_ru", "translit"))
"""Fields whose words' first letters an initial may stand for."""

SCHEMAS = (
    "ALA_LC_ALT",  # Library of Congress, without diacritics: Shliapnikov
    "BGN_PCGN",  # British/US geographic names: Shlyapnikov, Zinov'yev
    "WIKIPEDIA",  # the English Wikipedia's system: Kiselyov, Trotsky
    "ICAO_DOC_9303",  # passports: Zinovev, Trotskii
    "SCIENTIFIC",  # scholarly (ISO R9 style): Šljapnikov, Trockij, Buxarin
    "GOST_779",  # GOST 7.79 / ISO 9: Šlâpnikov, Mâsnikov
    "GOST_779_ALT",  # GOST 7.79 system B: Buxarin, Kuzneczov
    "MVD_310_FR",  # French: Chliapnikov, Kouznetsov, Boukharine
)
"""iuliia romanisation systems whose output is indexed for every Cyrillic name."""
QUERY_SCHEMA = "WIKIPEDIA"
"""System used to romanise a Cyrillic query before phonetic matching."""


def _words(text: str) -> list[str]:
    return text.split()


_NON_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc\u02b9\u02ba`´]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")

STOPWORDS = frozenset(
    _words("a an and at by for from in into of on or the to with")
    + _words("de des du et la le les der die das und von zu")
)
"""Words that say little on their own; they count only in whole-key comparisons."""


def normalize(text: str) -> str:
    """Fold case, accents, apostrophes and punctuation: 'Šljapnikov’s' -> 'sljapnikovs'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.casefold())
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


# --- Numbers written as words ------------------------------------------------------------

_UNITS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_ORDINAL_UNITS = _words(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
)
_TENS = _words("twenty thirty forty fifty sixty seventy eighty ninety")
_ORDINAL_TENS = _words(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
)
_NUMBER_WORDS = {w: n for n, w in enumerate(_UNITS)} | {w: n for n, w in enumerate(_ORDINAL_UNITS)}
_TEN_WORDS = {w: 20 + 10 * n for n, w in enumerate(_TENS)} | {
    w: 20 + 10 * n for n, w in enumerate(_ORDINAL_TENS)
}
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th|e|er|eme|ieme|te|ter)$")


def canonical(tokens: Iterable[str]) -> list[str]:
    """Numbers as digits: 'tenth' -> '10', '10th' -> '10', 'twenty two' -> '22'.

    Works on normalised tokens, so that 'Tenth Congress' and '10th congress' meet.
    """
    out: list[str] = []
    for token in tokens:
        m = _ORDINAL_DIGITS.match(token)
        if m:
            out.append(str(int(m[1])))
        elif token in _TEN_WORDS:
            out.append(str(_TEN_WORDS[token]))
        elif token in _NUMBER_WORDS:
            value = _NUMBER_WORDS[token]
            if out and 0 < value < 10 and out[-1] in _TENS_DIGITS:
                out[-1] = str(int(out[-1]) + value)
            else:
                out.append(str(value))
        else:
            out.append(token)
    return out


_TENS_DIGITS = frozenset(str(v) for v in _TEN_WORDS.values())


def keyform(text: str) -> str:
    """The literal key of a text: normalised, numbers as digits."""
    return " ".join(canonical(normalize(text).split()))


# --- Phonetic folding --------------------------------------------------------------------

_PREMAP = str.maketrans(
    {
        "š": "sh",
        "ž": "zh",
        "č": "ch",
        "ŝ": "shch",
        "â": "ia",
        "û": "iu",
        "ä": "a",
        "ö": "o",
        "ü": "u",
        "ß": "ss",
        "ʹ": "",
        "ʺ": "",
    }
)
"""Letters whose diacritic carries a sound (š = sh, â = ya): spelled out before accents
are stripped, so 'Šljapnikov' folds like 'Shlyapnikov', not like 'Sljapnikov'."""

_PHONETIC_RULES = [
    (re.compile(p), r)
    for p, r in (
        (r"tsch", "ch"),  # German ч: Tschitscherin
        (r"shch|sch", "sh"),  # щ, German ш: Schljapnikow
        (r"tch", "ch"),  # French ч: Tchitcherine
        (r"kh", "h"),  # х: Bukharin / Buharin
        (r"ck|q", "k"),
        (r"x", "ks"),  # Alexander / Aleksandr
        (r"ph", "f"),
        (r"ts|tz", "c"),  # ц: Kuznetsov / Kuznecov / Kusnezow
        (r"ch|zh|sh|z", "s"),  # ч, ж, ш (French ch), з (German s): one sibilant class
        (r"w", "v"),  # German w: Sinowjew
        (r"our\b", "or"),  # British labour / American labor
        (r"ou", "u"),  # French ou: Boukharine
        (r"[yj]", "i"),  # й, ы and the i of я/ю/ё: Kollontay / Kollontaj / Kollontai
        (r"(?<=[^aeiou])io", "e"),  # ё after a consonant: Kiselyov / Kiselev
        (r"ie", "e"),  # е after ь: Zinoviev / Zinovev
        (r"ine\b", "in"),  # French -ine: Lénine, Boukharine
        (r"(.)\1+", r"\1"),  # doubled letters: Kollontai / Kolontai, -off
        (r"f\b", "v"),  # -off / -ov
    )
]


def phonetic(text: str) -> str:
    """A folding of spelling variants of the same sound, for keys and queries alike.

    'Schljapnikow', 'Chliapnikov', 'Šljapnikov' and 'Shlyapnikov' all give 'sliapnikov'.
    Cyrillic is kept as it is (romanise it first to compare it with Latin keys).
    """
    text = normalize(text.casefold().translate(_PREMAP))
    words = []
    for word in canonical(text.split()):
        if not word.isdigit():
            for pattern, replacement in _PHONETIC_RULES:
                word = pattern.sub(replacement, word)
        words.append(word)
    return " ".join(words)


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def romanisations(text: str, schemas: Sequence[str] = SCHEMAS) -> list[str]:
    """`text` romanised by each of `schemas` (iuliia attribute names), one per schema."""
    import iuliia

    return [getattr(iuliia, name).translate(text) for name in schemas]


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
    """One token vocabulary (literal or phonetic) with its postings and blocks."""

    def __init__(self, vocab: list[str], postings: list[list[int]], blocks: dict[str, list[int]]):
        self.vocab = vocab
        self.postings = postings
        self.blocks = blocks
        self.position = {token: i for i, token in enumerate(vocab)}
        self.block_tokens = {k: [vocab[i] for i in ids] for k, ids in blocks.items()}

    @classmethod
    def build(cls, occurrences: dict[str, dict[int, int]]) -> _Space:
        """From token -> {record: best field code}."""
        vocab = sorted(occurrences)
        postings = []
        blocks: dict[str, list[int]] = {}
        for i, token in enumerate(vocab):
            fields = occurrences[token]
            postings.append([rec * _NF + code for rec, code in fields.items()])
            for key in set(_block_keys(token)):
                blocks.setdefault(key, []).append(i)
        return cls(vocab, postings, blocks)

    def state(self) -> dict[str, Any]:
        return {"vocab": self.vocab, "postings": self.postings, "blocks": self.blocks}

    def matches(self, token: str, fuzzy: bool) -> dict[int, float]:
        """Vocabulary positions similar to `token`, with their similarity 0-100."""
        found: dict[int, float] = {}
        exact = self.position.get(token)
        if exact is not None:
            found[exact] = 100.0
        n = len(token)
        if n >= 2 or not fuzzy:
            start = bisect_left(self.vocab, token)
            for i in range(start, min(start + PREFIX_CAP, len(self.vocab))):
                other = self.vocab[i]
                if not other.startswith(token):
                    break
                score = PREFIX_FLOOR + (100.0 - PREFIX_FLOOR) * n / len(other)
                if score > found.get(i, 0.0):
                    found[i] = score
        if fuzzy and n >= 3:
            from rapidfuzz import fuzz, process

            for key in set(_block_keys(token)):
                choices = self.block_tokens.get(key)
                if not choices:
                    continue
                ids = self.blocks[key]
                for _, score, k in process.extract(
                    token,
                    choices,
                    scorer=fuzz.ratio,
                    processor=None,
                    limit=None,
                    score_cutoff=FUZZY_CUTOFF,
                ):
                    i = ids[k]
                    if score > found.get(i, 0.0):
                        found[i] = float(score)
        return found


class SearchIndex:
    """Normalised and phonetic keys of every record, built once per fact base.

    Its whole state is plain lists and dicts of str and int (see :meth:`state`), so that it
    can be written to disk and read back with :meth:`from_state`.
    """

    def __init__(self, records: Iterable[Record]) -> None:
        self._init_state(_build(records))

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SearchIndex:
        """An index from what :meth:`state` returned (e.g. after a JSON round trip)."""
        index = cls.__new__(cls)
        index._init_state(state)
        return index

    def state(self) -> dict[str, Any]:
        """Everything precomputed, as JSON-compatible lists and dicts."""
        return {
            "version": STATE_VERSION,
            "records": self._records,
            "keys": self._keys,
            "key_phon": self._key_phon,
            "key_field": self._key_field,
            "rec_keys": self._rec_keys,
            "initials": self._initials,
            "exact": self._exact,
            "literal": self._literal.state(),
            "phon": self._phon.state(),
        }

    def _init_state(self, state: dict[str, Any]) -> None:
        if state.get("version") != STATE_VERSION:
            raise ValueError("search index state of another version")
        self._records: list[list[str]] = state["records"]  # [kind, id, name]
        self._keys: list[str] = state["keys"]
        self._key_phon: list[str] = state["key_phon"]
        self._key_field: list[int] = state["key_field"]
        self._rec_keys: list[list[int]] = state["rec_keys"]
        self._key_rec = [0] * len(self._keys)
        for rec, own in enumerate(self._rec_keys):
            for k in own:
                self._key_rec[k] = rec
        self._initials: list[str] = state["initials"]
        self._exact: dict[str, list[int]] = state["exact"]
        lit, phon = state["literal"], state["phon"]
        self._literal = _Space(lit["vocab"], lit["postings"], lit["blocks"])
        self._phon = _Space(phon["vocab"], phon["postings"], phon["blocks"])
        self._kind_rank = [KINDS.index(KIND_PLURAL[r[0]]) for r in self._records]

    def __len__(self) -> int:
        return len(self._records)

    def exact(self, query: str, kind: str | None = None) -> list[Hit]:
        """Records whose id, name or alias is `query` once normalised; no fuzzy matching."""
        text = keyform(query[:MAX_QUERY])
        if not text:
            raise UsageError("the query is empty: give a name, id or other words to look for")
        return self._exact_hits(text, kind)

    def _exact_hits(self, text: str, kind: str | None) -> list[Hit]:
        hits = []
        for rec in self._exact.get(text, ()):
            rkind, rid, name = self._records[rec]
            if kind is None or rkind == kind:
                field = _FIELDS[self._exact_field(rec, text)][0]
                hits.append(Hit(rkind, rid, name, 100.0, field))
        hits.sort(key=lambda h: (KINDS.index(KIND_PLURAL[h.kind]), h.name))
        return hits

    def _exact_field(self, rec: int, text: str) -> int:
        for k in self._rec_keys[rec]:
            if self._keys[k] == text:
                return self._key_field[k]
        return _FIELD_CODE["name"]

    def search(self, query: str, kind: str | None = None, limit: int = 10) -> list[Hit]:
        """Records best matching `query`, best first; `kind` is singular ('person')."""
        text = keyform(query[:MAX_QUERY])
        if not text:
            raise UsageError("the query is empty: give a name, id or other words to look for")
        if limit <= 0:
            return []
        exact = self._exact_hits(text, kind)
        fuzzy = self._fuzzy(query[:MAX_QUERY], text, kind, max(CANDIDATES, limit * 4))
        seen = {h.id for h in exact}
        rest = [h for h in fuzzy if h.id not in seen]
        rest.sort(key=lambda h: (-h.score, KINDS.index(KIND_PLURAL[h.kind]), h.name))
        return (exact + rest)[:limit]

    # --- fuzzy matching ---

    def _fuzzy(self, raw: str, text: str, kind: str | None, shortlist: int) -> list[Hit]:
        words = text.split()[:MAX_TOKENS]
        phon_words = _query_phonetic(words)
        content = [
            i for i, w in enumerate(words) if (len(w) > 1 and w not in STOPWORDS) or w.isdigit()
        ]
        initials = [w for w in words if len(w) == 1 and w.isalpha()]
        if not content:  # "the", "x": match what there is
            content, initials = list(range(len(words))), []
        weights = [1.0] * len(content)

        bests: list[dict[int, tuple[float, int]]] = [
            self._token_best(words[i], phon_words[i], kind) for i in content
        ]
        # Two adjacent words may be one key word: "metal workers" -> "metalworkers".
        for a in range(len(content) - 1):
            i, j = content[a], content[a + 1]
            if j != i + 1:
                continue
            merged = self._token_best(words[i] + words[j], phon_words[i] + phon_words[j], kind)
            for b in (a, a + 1):
                target = bests[b]
                for rec, value in merged.items():
                    if value[0] > target.get(rec, (0.0, 0))[0]:
                        target[rec] = value

        total = sum(weights) + INITIAL_WEIGHT * len(initials)
        token_scores: dict[int, float] = {}
        for weight, best in zip(weights, bests, strict=True):
            for rec, (score, _) in best.items():
                token_scores[rec] = token_scores.get(rec, 0.0) + weight * score
        top = heapq.nlargest(shortlist, token_scores.items(), key=lambda kv: kv[1])
        if not top:
            return []

        whole = self._whole_scores([rec for rec, _ in top], text, " ".join(phon_words))
        hits = []
        for rec, summed in top:
            initial_part = sum(100.0 for ch in initials if ch in self._initials[rec])
            token_score = (summed + INITIAL_WEIGHT * initial_part) / total
            whole_score, whole_field = whole.get(rec, (0.0, -1))
            score = TOKEN_SHARE * token_score + FULL_SHARE * whole_score
            if whole_score > token_score:
                field = whole_field
            else:
                field = max(bests, key=lambda b: b.get(rec, (0.0, 0))[0]).get(rec, (0.0, 1))[1]
            rkind, rid, name = self._records[rec]
            final = round(min(FUZZY_MAX, max(0.0, score)), 1)
            hits.append(Hit(rkind, rid, name, final, _FIELDS[field][0]))
        return hits

    def _token_best(
        self, word: str, phon_word: str, kind: str | None
    ) -> dict[int, tuple[float, int]]:
        """Record -> (best weighted similarity of one query word in it, field code)."""
        best: dict[int, tuple[float, int]] = {}
        records = self._records
        for space, token, factor in ((self._literal, word, 1.0), (self._phon, phon_word, PHONETIC)):
            if not token:
                continue
            postings = space.postings
            for position, similarity in space.matches(token, fuzzy=True).items():
                for code in postings[position]:
                    rec, field = divmod(code, _NF)
                    score = similarity * factor * _FIELD_WEIGHT[field]
                    if score > best.get(rec, (0.0, 0))[0] and (
                        kind is None or records[rec][0] == kind
                    ):
                        best[rec] = (score, field)
        return best

    def _whole_scores(self, recs: list[int], text: str, phon: str) -> dict[int, tuple[float, int]]:
        """Record -> (best similarity of the whole query with one whole key, its field)."""
        from rapidfuzz import fuzz, process

        owners: list[int] = []
        literal: list[str] = []
        phonetic_keys: list[str] = []
        for rec in recs:
            for k in self._rec_keys[rec]:
                owners.append(k)
                literal.append(self._keys[k])
                phonetic_keys.append(self._key_phon[k])
        best: dict[int, tuple[float, int]] = {}
        for choices, query, factor in ((literal, text, 1.0), (phonetic_keys, phon, PHONETIC)):
            for _, score, i in process.extract(
                query, choices, scorer=fuzz.ratio, processor=None, limit=None, score_cutoff=1
            ):
                k = owners[i]
                field = self._key_field[k]
                value = score * factor * _FIELD_WEIGHT[field]
                rec = self._key_rec[k]
                if value > best.get(rec, (0.0, 0))[0]:
                    best[rec] = (value, field)
        return best


STATE_VERSION = 1


def _query_phonetic(words: list[str]) -> list[str]:
    """The phonetic form of each literal query word (Cyrillic words romanised first)."""
    out = []
    for word in words:
        if has_cyrillic(word):
            word = romanisations(word, (QUERY_SCHEMA,))[0]
        out.append(phonetic(word).replace(" ", ""))
    return out


# --- Building ----------------------------------------------------------------------------


def _sources(record: Record) -> Iterator[tuple[str, str]]:
    """(field, text) for every field that identifies `record`."""
    yield "id", record.id
    yield "name", record.name
    for alias in record.aliases:
        yield "alias", alias
    if isinstance(record, Person):
        if record.name_ru:
            yield "name_ru", record.name_ru
        for lived in (record.born, record.died):
            for y in _YEAR.findall(lived or ""):
                yield "life", y
    if isinstance(record, Work):
        for key in ("title", "title-short", "original-title"):
            value = record.csl.get(key)
            if isinstance(value, str) and value:
                yield "title", value
        years = _YEAR.findall(record.date or "")
        for author in record.authors:
            if author:
                yield "author", author
                if years:
                    yield "cite", f"{author} {years[0]}"
    if record.date:
        yield "date", record.date
        for y in _YEAR.findall(record.date):
            yield "date", y
    if isinstance(record, (Event, Vote)) and record.place:
        yield "place", record.place
    if isinstance(record, Vote) and record.body:
        yield "body", record.body


def _surnames(record: Record, texts: Iterable[str]) -> Iterator[str]:
    if isinstance(record, Person):
        for text in texts:
            words = normalize(text).split()
            if len(words) > 1:
                yield words[-1]


def _build(records: Iterable[Record]) -> dict[str, Any]:
    recs: list[list[str]] = []
    keys: list[str] = []
    key_phon: list[str] = []
    key_field: list[int] = []
    rec_keys: list[list[int]] = []
    initials: list[str] = []
    exact: dict[str, list[int]] = {}
    literal: dict[str, dict[int, int]] = {}
    phon: dict[str, dict[int, int]] = {}
    translit_cache: dict[str, list[str]] = {}

    def post(occ: dict[str, dict[int, int]], token: str, rec: int, code: int) -> None:
        fields = occ.setdefault(token, {})
        old = fields.get(rec)
        if old is None or _FIELD_WEIGHT[code] > _FIELD_WEIGHT[old]:
            fields[rec] = code

    for rec, record in enumerate(records):
        recs.append([record.kind, record.id, record.name])
        mine: list[int] = []
        seen: set[tuple[str, int]] = set()
        letters: set[str] = set()
        items = list(_sources(record))
        cyrillic = [(f, t) for f, t in items if has_cyrillic(t)]
        for _, text in cyrillic:
            words = text.split()
            for word in words:
                if word not in translit_cache:
                    translit_cache[word] = romanisations(word)
            forms = [[translit_cache[w][n] for w in words] for n in range(len(SCHEMAS))]
            if isinstance(record, Person) and len(words) == 3:  # first name and surname only
                forms += [[f[0], f[2]] for f in forms]
                items.append(("name_ru", f"{words[0]} {words[2]}"))
            items.extend(("translit", t) for t in dict.fromkeys(" ".join(f) for f in forms))
        names = [t for f, t in items if f in _NAME_FIELDS]
        items.extend(("surname", s) for s in _surnames(record, names))
        for field, text in items:
            code = _FIELD_CODE[field]
            lit = keyform(text)
            if not lit:
                continue
            ph = phonetic(text) if not has_cyrillic(text) else lit
            for token in lit.split():
                post(literal, token, rec, code)
                if field in _NAME_FIELDS:
                    letters.add(token[0])
            for token in ph.split():
                post(phon, token, rec, code)
            if field in _EXACT_FIELDS:
                owners = exact.setdefault(lit, [])
                if rec not in owners:
                    owners.append(rec)
            if field in _WHOLE_FIELDS and (lit, code) not in seen:
                seen.add((lit, code))
                mine.append(len(keys))
                keys.append(lit)
                key_phon.append(ph)
                key_field.append(code)
        rec_keys.append(mine)
        initials.append("".join(sorted(letters)))
    return {
        "version": STATE_VERSION,
        "records": recs,
        "keys": keys,
        "key_phon": key_phon,
        "key_field": key_field,
        "rec_keys": rec_keys,
        "initials": initials,
        "exact": exact,
        "literal": _Space.build(literal).state(),
        "phon": _Space.build(phon).state(),
    }
