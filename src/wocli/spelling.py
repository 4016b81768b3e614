"""How a name or title is spelt, folded so that different spellings meet.

The literal key (:func:`normalize`, :func:`canonical`, :func:`keyform`): Unicode, case, accents,
apostrophes and punctuation folded, numbers written as words or Roman numerals as digits. The
phonetic key (:func:`phonetic`): what romanisation systems and languages spell differently folded
alike. Romanisations of Cyrillic (:func:`romanisations`) come from iuliia, imported only when
needed. The search index (``search``) is built from these keys.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache

SCHEMAS = (
    "ALA_LC_ALT",  # Library of Congress, without diacritics: Shliapnikov, Trotskii
    "BGN_PCGN",  # British/US geographic names: Shlyapnikov, Zinov'yev
    "WIKIPEDIA",  # the English Wikipedia's system: Kiselyov, Trotsky
    "SCIENTIFIC",  # scholarly (ISO/R 9:1968): Šljapnikov, Trockij, Buxarin
    "GOST_779",  # GOST 7.79 A = ISO 9:1995: Šlâpnikov, Mâsnikov
    "MVD_310_FR",  # French: Chliapnikov, Kouznetsov, Boukharine
)
"""iuliia romanisation systems whose output is indexed for every Cyrillic name. Others
(ICAO's Zinovev, GOST 7.79 B's Kuzneczov, ...) differ from these only in ways the phonetic
folding undoes, and each system costs build time on a large base."""
QUERY_SCHEMA = "WIKIPEDIA"
"""System used to romanise a Cyrillic query before phonetic matching."""


def _words(text: str) -> list[str]:
    return text.split()


_NON_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc\u02b9\u02ba`´]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

STOPWORDS = frozenset(
    _words("a an and at by for from in into of on or the to with")
    + _words("de des du et la le les der die das und von zu")
    + _words("в во на с со о об обо у к ко по за из от до для при без под над про и или а но")
)
"""Words that say little on their own; they count only in whole-key comparisons."""


class _Uncombined(dict[int, int | None]):
    """A `str.translate` table that drops combining marks (the accents NFKD splits off): each
    code point looked up once, the rest of the time a lookup in C, not a call per letter."""

    def __missing__(self, code: int) -> int | None:
        kept = self[code] = None if unicodedata.combining(chr(code)) else code
        return kept


_UNCOMBINED = _Uncombined()


def normalize(text: str) -> str:
    """Fold case, accents, apostrophes and punctuation: 'Šljapnikov’s' -> 'sljapnikovs'."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_UNCOMBINED)
        folded = text.casefold()
        # a word of letters (a Cyrillic name, its stem): nothing to strip or split, unless
        # one is an apostrophe (ʼ ʹ ʺ are letters to `isalpha`)
        if folded.isalpha() and _APOSTROPHES.search(folded) is None:
            return folded
    elif text.isalpha():  # a plain word, as most are: nothing to strip or split
        return text.lower()
    else:
        folded = text.casefold()
    text = _APOSTROPHES.sub("", folded)
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
_TENS_DIGITS = frozenset(str(v) for v in _TEN_WORDS.values())
_ROMAN = re.compile(r"^(?=[xvi]{2,}$|x$)(x{0,3})(ix|iv|v?i{0,3})$")
"""Roman numerals up to 39 ("X Congress"), of two letters or more, or X alone: I and V alone
are more often initials ("V. I. Lenin")."""
_ROMAN_VALUE = {"i": 1, "v": 5, "x": 10}
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th|e|er|eme|ieme|te|ter)$")


def canonical(tokens: Iterable[str]) -> list[str]:
    """Numbers as digits: 'tenth' -> '10', '10th' -> '10', 'twenty two' -> '22'.

    Works on normalised tokens, so that 'Tenth Congress' and '10th congress' meet.
    """
    out: list[str] = []
    for token in tokens:
        if token[0].isdigit():
            m = _ORDINAL_DIGITS.match(token)
            out.append(str(int(m[1])) if m else token)
        elif token in _TEN_WORDS:
            out.append(str(_TEN_WORDS[token]))
        elif token[0] in _ROMAN_VALUE and _ROMAN.match(token):
            out.append(str(_roman(token)))
        elif token in _NUMBER_WORDS:
            value = _NUMBER_WORDS[token]
            if out and 0 < value < 10 and out[-1] in _TENS_DIGITS:
                out[-1] = str(int(out[-1]) + value)
            else:
                out.append(str(value))
        else:
            out.append(token)
    return out


def _unit(tokens: list[str]) -> bool:
    """Whether normalised tokens start with a unit written as a word, which `canonical` adds
    to a ten before it ("twenty two")."""
    return bool(tokens) and 0 < _NUMBER_WORDS.get(tokens[0], 0) < 10


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUE[c] for c in numeral]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


def keyform(text: str) -> str:
    """The literal key of a text: normalised, numbers as digits ('Tenth Congress' -> '10
    congress')."""
    return " ".join(Memo().literal(text))


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

_FOLD_GROUPS = (
    ("tsch", "s"),  # German ч: Tschitscherin
    ("shch", "s"),  # щ
    ("sch", "s"),  # German ш: Schljapnikow
    ("tch", "s"),  # French ч: Tchitcherine
    ("kh", "h"),  # х: Bukharin / Buharin
    ("ph", "f"),
    ("ts", "c"),  # ц: Kuznetsov / Kuznecov
    ("tz", "c"),  # German ц: Trotzki
    ("ch", "s"),  # ч, and French ш: Chliapnikov
    ("zh", "s"),  # ж
    ("sh", "s"),  # ш
    ("ou", "u"),  # French ou: Boukharine, Kouznetsov (after -our, see _fold)
)
"""Letter groups spelling one Russian sound in different systems, in the order they are
replaced. The sibilants ч ш щ ж з (ch, sh, sch, zh, z) fold together: the systems disagree on
them most (French ch is ш, English ch is ч, German s is з and z is ц)."""
_FOLD_GROUPS_NO_H = tuple((group, by) for group, by in _FOLD_GROUPS if "h" not in group)
"""The groups that can apply to a token without an h: no replacement makes an h but kh's."""
_FOLD_LETTERS = (
    ("q", "k"),
    ("x", "ks"),  # Alexander / Aleksandr
    ("z", "s"),  # з, and German s for з: Sinowjew
    ("w", "v"),  # German w: Sinowjew, -ow
    ("y", "i"),  # й, ы and the y of я/ю/ё: Kollontay / Kollontai, Myasnikov / Miasnikov
    ("j", "i"),  # scholarly and German j: Kollontaj, Mjasnikow
)
"""Single letters, replaced after the groups. No replacement holds a letter replaced after
it, so replacing them one after another is replacing them all at once (and a few `replace`
calls take a third of the time of `str.translate`, whose table maps x to two letters)."""
_IO_AFTER_CONSONANT = re.compile(r"(?<=[^aeiou])io")
"""ё after a consonant: Kiselyov / Kiselev (once y has become i)."""
_DOUBLED = re.compile(r"(.)\1+")
"""Doubled letters count once: Kollontai / Kolontai, -off / -of."""
_FIRST = operator.itemgetter(1)
"""The letter a run of _DOUBLED stands for (a C callable: no template parsed per call)."""


def _fold(token: str) -> str:
    """The phonetic folding of one normalised Latin token (see :func:`phonetic`)."""
    if token.isdigit():
        return token
    if token.endswith("our"):  # British labour / American labor
        token = token[:-3] + "or"
    for group, replacement in _FOLD_GROUPS if "h" in token else _FOLD_GROUPS_NO_H:
        if group in token:
            token = token.replace(group, replacement)
    for letter, replacement in _FOLD_LETTERS:
        if letter in token:
            token = token.replace(letter, replacement)
    if "io" in token:
        token = _IO_AFTER_CONSONANT.sub("e", token)
    token = token.replace("ie", "e")  # е after ь: Zinoviev / Zinovev
    if token.endswith("ine"):  # French -ine: Lénine, Boukharine
        token = token[:-1]
    token = _DOUBLED.sub(_FIRST, token)
    if token.endswith("f"):  # German and French -off, -ow: Rjasanoff, Lutowinow
        token = token[:-1] + "v"
    return token


def phonetic(text: str) -> str:
    """A folding of spelling variants of the same sound, for keys and queries alike.

    'Schljapnikow', 'Chliapnikov', 'Šljapnikov' and 'Shlyapnikov' all give 'sliapnikov'.
    Cyrillic is kept as it is (romanise it first to compare it with Latin keys).
    """
    return " ".join(Memo().phonetic(text))


MEMO_WORDS = 2**15
"""Words a Memo keeps the literal tokens of: the common ones recur within a few thousand
records, and the cache of a 100,000-record base would otherwise hold every surname."""


class Memo:
    """Word-level caches for normalising and folding many texts (a whole index build)."""

    def __init__(self) -> None:
        self._literal: dict[str, tuple[list[str], bool]] = {}  # word -> (tokens, _unit)
        self._premapped: dict[str, list[str]] = {}
        self._folded: dict[str, str] = {}
        # word -> (literal tokens, _unit, phonetic tokens or None if Cyrillic, has digits)
        self._keys: dict[str, tuple[list[str], bool, list[str] | None, bool]] = {}

    def literal(self, text: str) -> list[str]:
        """Tokens of the literal key of `text` (see :func:`keyform`).

        Each word's tokens are worked out once, numbers written as digits: a word's digits
        depend on the word before it only in "twenty two", which is worked out whole.
        """
        out: list[str] = []
        cache = self._literal
        for word in text.split():
            found = cache.get(word)
            if found is None:
                if len(cache) >= MEMO_WORDS:  # a large base's rare words: start afresh
                    cache.clear()
                tokens = normalize(word).split()
                found = cache[word] = (canonical(tokens) if tokens else tokens, _unit(tokens))
            if found[1] and out and out[-1] in _TENS_DIGITS:  # "twenty two", "20 two": 22
                return canonical([t for w in text.split() for t in normalize(w).split()])
            out.extend(found[0])
        return out

    def phonetic(self, text: str) -> list[str]:
        """Tokens of the phonetic key of `text` (see :func:`phonetic`)."""
        folded = self._folded
        if text.isascii() and text.isalpha():  # one plain word (a romanised name): one token
            token = text.lower()
            if token[0] in _ROMAN_VALUE or token in _NUMBER_WORDS or token in _TEN_WORDS:
                token = canonical([token])[0]  # what else it leaves as it is
            f = folded.get(token)
            if f is None:
                f = folded[token] = _fold(token)
            return [f]
        tokens = []
        cache = self._premapped
        for word in text.split():
            found = cache.get(word)
            if found is None:
                lower = word.casefold()
                if not lower.isascii():  # _PREMAP maps no ASCII letter: skip its lookups
                    lower = lower.translate(_PREMAP)
                found = cache[word] = normalize(lower).split()
            tokens.extend(found)
        out = []
        for token in canonical(tokens) if tokens else tokens:
            f = folded.get(token)
            if f is None:
                f = folded[token] = _fold(token)
            out.append(f)
        return out

    def keys(self, text: str) -> tuple[list[str], list[str] | None]:
        """The literal and phonetic tokens of `text` (:meth:`literal`, :meth:`phonetic`), or
        None for the phonetic ones if it has Cyrillic letters (romanise it first), or nothing
        literal: as an index build needs them, with one cache lookup per word for both.

        A text with numbers is folded whole, as a number's digits may take in the next word
        ("twenty two"); any other is folded word by word.
        """
        lit: list[str] = []
        phon: list[str] | None = []
        digits = False
        words = text.split()
        cache = self._keys
        for word in words:
            found = cache.get(word)
            if found is None:
                if len(cache) >= MEMO_WORDS:  # as in `literal`
                    cache.clear()
                tokens = normalize(word).split()
                literal = canonical(tokens) if tokens else tokens
                if has_cyrillic(word):  # no phonetic tokens, so numbers do not matter
                    found = cache[word] = (literal, _unit(tokens), None, False)
                else:
                    digits_in = any(token[0].isdigit() for token in literal)
                    found = cache[word] = (literal, _unit(tokens), self.phonetic(word), digits_in)
            if found[1] and lit and lit[-1] in _TENS_DIGITS:  # "twenty two": see `literal`
                lit = self.literal(text)
                if not lit or has_cyrillic(text):
                    return lit, None
                return lit, self.phonetic(text)
            lit += found[0]
            if found[2] is None:
                phon = None
            elif phon is not None:
                phon += found[2]
            digits = digits or found[3]
        if not lit or phon is None:
            return lit, None
        if digits and len(words) > 1:  # one word's tokens are the text's
            return lit, self.phonetic(text)
        return lit, phon


def has_cyrillic(text: str) -> bool:
    # isascii reads a flag the string keeps: most texts need no search
    return not text.isascii() and _CYRILLIC.search(text) is not None


def romanisations(text: str, schemas: Sequence[str] = SCHEMAS) -> list[str]:
    """`text` romanised by each of `schemas` (iuliia attribute names), one per schema."""
    return [romanise(text) for romanise in _romanisers(tuple(schemas))]


@cache
def _romanisers(schemas: tuple[str, ...]) -> list[Callable[[str], str]]:
    """The translations of `schemas`, looked up once: a build romanises many words."""
    return [_romaniser(name) for name in schemas]


@cache
def _romaniser(name: str) -> Callable[[str], str]:
    """iuliia's translation by the system `name`, with a shortcut an index build needs (it
    romanises every Cyrillic word by six systems): where none of the system's rules that look
    at a letter's neighbour or at a word's ending can apply, iuliia translates letter by
    letter, which `str.translate` does with the system's own table in a fraction of the time.
    Anything else, and any iuliia whose tables are not where this expects, goes to iuliia."""
    import iuliia

    schema = getattr(iuliia, name)
    try:
        schema.translate("")  # iuliia reads a system's tables on first use
        rules = schema._schema
        letters, before, after, endings = (
            rules.map,
            rules.prev_map,
            rules.next_map,
            rules.ending_map,
        )
    except AttributeError:
        return schema.translate  # type: ignore[no-any-return]
    if not all(isinstance(k, str) and len(k) == 1 for k in letters):
        return schema.translate  # type: ignore[no-any-return]
    table = str.maketrans(letters)
    # A rule for a letter after another (a key of two letters, or of one: at a word's start),
    # before another, or at a word's end. Pairs are grouped by the letters that may follow,
    # which keeps the pattern short and quick to search.
    pairs: dict[str, set[str]] = {}
    for key in (*before, *after):
        if len(key) == 2:
            pairs.setdefault(key[0], set()).add(key[1])
    groups: dict[str, list[str]] = {}
    for first, then in pairs.items():
        groups.setdefault(_one_of(*then), []).append(first)
    rules_in_context = [_one_of(*firsts) + then for then, firsts in groups.items()]
    rules_in_context += [re.escape(key) for key in (*before, *after) if len(key) > 2]
    if starts := [key for key in before if len(key) == 1]:
        rules_in_context.append(r"\b" + _one_of(*starts))
    rules_in_context += [re.escape(key) + r"\b" for key in endings]
    if not rules_in_context:
        return lambda text: text.translate(table)
    in_context = re.compile("|".join(rules_in_context)).search

    def translate(text: str) -> str:
        return schema.translate(text) if in_context(text) else text.translate(table)

    return translate


def _one_of(*letters: str) -> str:
    """A regular expression matching any one of `letters`."""
    return "[" + "".join(sorted(re.escape(letter) for letter in letters)) + "]"


def surname_key(name: str) -> tuple[str, str]:
    """Sort people as a reader's index does: by the last word of the name, then the rest."""
    words = name.split()
    return (normalize(words[-1]) if words else "", normalize(name))
