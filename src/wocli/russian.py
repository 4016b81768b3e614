"""Russian words reduced to their stems, so that a search ignores case and number.

'Троцкого', 'Троцким' and 'Троцкий' all stem to 'троцк'; 'Рабочей оппозиции' and 'Рабочая
оппозиция' to 'рабоч оппозиц'. The stems come from the Snowball stemmer for Russian
(snowballstemmer), chosen over pymorphy3's dictionary forms by measurement: as accurate on
the Russian queries once a name's words also count as written (see `index_forms`), at a small
part of the start-up and build cost (numbers in CHANGELOG.md).

The search index files these stems once per fact base; a query stems only its own Cyrillic
words. snowballstemmer is imported on first use, never by a query without Cyrillic.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from .spelling import canonical, has_cyrillic, normalize

_NON_WORD = re.compile(r"[\W_]+")
_WORDS_CACHED = 1 << 14
"""Words whose stems are kept: names repeat, but an index build of 100,000 people must not keep
every surname's."""


def index_forms(text: str) -> list[str]:
    """What the Cyrillic words of a record's name stand for in search: each word as written
    and its stem, normalised as search keys are (see ``spelling.normalize``); words in other
    scripts are left out.

    The word as written counts too because a stemmer cuts what looks like an ending even
    from a nominative: 'губком' stems to 'губк' but 'губкома' to 'губком', which still meets
    the name as written.
    """
    return index_keys(text)[0]


def stemmed(text: str) -> str:
    """`text` as a search key with each Cyrillic word stemmed: 'Рабочей оппозиции' ->
    'рабоч оппозиц', compared as a whole with names' stems."""
    return index_keys(text)[1]


def index_keys(text: str) -> tuple[list[str], str]:
    """`index_forms(text)` and `stemmed(text)` at once, as an index build needs both of every
    Cyrillic name: each word of `text` is worked out once (and names share words)."""
    forms: dict[str, None] = {}  # in order, each once
    tokens: list[str] = []
    for word in text.split():
        word_forms, word_tokens = _word_keys(word)
        forms.update(word_forms)
        tokens += word_tokens
    return list(forms), " ".join(canonical(tokens))


@lru_cache(maxsize=_WORDS_CACHED)
def _word_keys(word: str) -> tuple[dict[str, None], list[str]]:
    """The index forms of one word between spaces (as `index_forms`) and its stemmed tokens
    before numbers are made digits (as `stemmed`). Words split at spaces first give the same
    pieces as the text split whole: a space is no word character, and no character composes
    with one."""
    forms: dict[str, None] = {}
    tokens: list[str] = []
    for piece in _NON_WORD.split(unicodedata.normalize("NFC", word).casefold()):
        if has_cyrillic(piece):
            # each piece normalised and stemmed once, uncached: this cache of whole words
            # misses only on a word not seen lately, whose pieces are new too (a surname)
            written, stem = normalize(piece), _stem(piece)
            if written:
                forms[written] = None
            if stem:
                forms[stem] = None
            tokens.append(stem or written)
        elif key := normalize(piece):
            tokens.extend(key.split())
    return forms, tokens


def query_stems(text: str) -> dict[str, str]:
    """Each Cyrillic word of a query, normalised as search keys are -> its stem."""
    stems = {}
    for word in _words(text):
        if (key := normalize(word)) and (stem := _stem(word)):
            stems[key] = stem
    return stems


def _words(text: str) -> list[str]:
    """The Cyrillic words of `text` as written (NFC, case folded): й is kept, as the stemmer
    needs it ('-ий' is an ending, '-ии' another) and search keys fold it to и."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return [w for w in _NON_WORD.split(folded) if w and has_cyrillic(w)]


def _stem(word: str) -> str:
    return normalize(_stemmer().stemWord(word))


@cache
def _stemmer() -> Any:
    """Snowball's Russian stemmer: PyStemmer's C build of it where installed (a hundred times
    faster, which a base of many thousand names needs), else snowballstemmer's Python."""
    import snowballstemmer

    return snowballstemmer.stemmer("russian")
