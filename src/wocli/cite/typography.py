"""Text rules that citeproc-js applies and citeproc-py does not, as pure string functions.

The engine layer (`engine_fixes`) makes citeproc-py emit private-use *markers* instead of final
characters wherever the right character depends on context it cannot see:

- ``QUOTE_OPEN``/``QUOTE_CLOSE`` for every quotation (a style's ``quotes="true"`` and quotation
  marks found in the data), resolved by nesting depth to the locale's outer (“ ”) or inner (‘ ’)
  marks, with a period or comma that follows a closing mark moved inside it when the locale sets
  ``punctuation-in-quote`` (US English does);
- ``PAREN_OPEN``/``PAREN_CLOSE`` for parentheses that come from a style's affixes, which in a note
  style's citations alternate with square brackets by depth, "(…; … [1921])".

`prepare_field` turns straight quotes in data into markers (and apostrophes into ’), `title_case`
ports citeproc-js's title-casing rules, and `resolve` turns markers into the final characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

QUOTE_OPEN = "\ue000"
QUOTE_CLOSE = "\ue001"
PAREN_OPEN = "\ue002"
PAREN_CLOSE = "\ue003"
# A quotation typed with curly single marks (‘…’): kept single at the top level, like citeproc-js.
SINGLE_OPEN = "\ue004"
SINGLE_CLOSE = "\ue005"
# A group with display="block": a line of its own.
BLOCK_OPEN = "\ue006"
BLOCK_CLOSE = "\ue007"
MARKERS = (
    BLOCK_OPEN
    + BLOCK_CLOSE
    + QUOTE_OPEN
    + QUOTE_CLOSE
    + PAREN_OPEN
    + PAREN_CLOSE
    + SINGLE_OPEN
    + SINGLE_CLOSE
)
_OPENERS = QUOTE_OPEN + SINGLE_OPEN
_CLOSERS = QUOTE_CLOSE + SINGLE_CLOSE

APOSTROPHE = "\u2019"

# Characters after which a quotation mark opens rather than closes.
_OPENING_CONTEXT = " \t\n([{\u2014\u2013-/" + _OPENERS + "\u201c\u2018"
_LETTER_OR_DIGIT = re.compile(r"\w")


def prepare_field(text: str) -> str:
    """Mark quotations in a data string and make its apostrophes typographic.

    A straight or curly quotation mark opens a quotation at the start of the text or after a space
    or opening punctuation, and closes the innermost open quotation of the same kind when no letter
    or digit follows it. Any other single quote is an apostrophe (’); an unmatched opening mark is
    kept as typed (a single one as an apostrophe).
    """
    out: list[str] = []
    stack: list[tuple[str, int, bool]] = []  # (kind, index in out, typed ‘) of open quotations
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        kind = {"'": "'", "\u2018": "'", "\u2019": "'", '"': '"', "\u201c": '"', "\u201d": '"'}.get(
            ch
        )
        if kind is None:
            out.append(ch)
            continue
        opens = prev in _OPENING_CONTEXT and not nxt.isspace() and ch not in "\u2019\u201d"
        closes = (
            bool(stack)
            and stack[-1][0] == kind
            and not prev.isspace()
            and not _LETTER_OR_DIGIT.match(nxt)
            and ch not in "\u2018\u201c"
        )
        if closes and not (opens and ch in "'\""):
            typed_single = stack.pop()[2]
            out.append(SINGLE_CLOSE if typed_single else QUOTE_CLOSE)
        elif opens:
            stack.append((kind, len(out), ch == "\u2018"))
            out.append(SINGLE_OPEN if ch == "\u2018" else QUOTE_OPEN)
        elif kind == "'":
            out.append(APOSTROPHE if ch in "'\u2019" else ch)
        else:
            out.append(ch)
    for kind, index, typed_single in stack:  # unmatched openers: give the mark back
        out[index] = "\u2018" if typed_single else APOSTROPHE if kind == "'" else '"'
    return "".join(out)


def strip_markers(text: str) -> str:
    """The text with quotation markers dropped and parenthesis markers made plain: for sort keys."""
    for marker in _OPENERS + _CLOSERS:
        text = text.replace(marker, "")
    return text.replace(PAREN_OPEN, "(").replace(PAREN_CLOSE, ")")


@dataclass(frozen=True)
class Quotes:
    """The locale's quotation marks and its punctuation-in-quote option."""

    open: str = "\u201c"
    close: str = "\u201d"
    open_inner: str = "\u2018"
    close_inner: str = "\u2019"
    punctuation_in_quote: bool = True


_CLOSE_RUN_THEN_PUNCT = re.compile(f"([{_CLOSERS}]+)([.,])")


def resolve(text: str, quotes: Quotes, flip_parens: bool = False) -> str:
    """Turn the markers in rendered output into final characters.

    Quotations alternate between outer and inner marks by depth. With `quotes.punctuation_in_quote`
    a period or comma right after closing marks moves inside them (dropped if the quotation already
    ends in terminal punctuation). With `flip_parens` (a note style's citation) affix parentheses
    nested in affix parentheses become square brackets, alternating by depth, as citeproc-js does.
    """
    if quotes.punctuation_in_quote:

        def _move(m: re.Match[str]) -> str:
            closes, punct = m.group(1), m.group(2)
            before = text[: m.start()].rstrip(_CLOSERS)
            if before and (before[-1] in ".?!" or (punct == "," and before[-1] == ",")):
                return closes
            return punct + closes

        text = _CLOSE_RUN_THEN_PUNCT.sub(_move, text)
    out: list[str] = []
    quote_depth = 0
    paren_depth = 0
    for ch in text:
        if ch == SINGLE_OPEN and quote_depth == 0:
            out.append("\u2018")  # typed ‘…’ at the top: kept as typed, in every locale
            quote_depth += 1
        elif ch in _OPENERS:
            out.append(quotes.open if quote_depth % 2 == 0 else quotes.open_inner)
            quote_depth += 1
        elif ch == SINGLE_CLOSE and quote_depth == 1:
            quote_depth = 0
            out.append("\u2019")
        elif ch in _CLOSERS:
            quote_depth = max(quote_depth - 1, 0)
            out.append(quotes.close if quote_depth % 2 == 0 else quotes.close_inner)
        elif ch == PAREN_OPEN:
            out.append("[" if flip_parens and paren_depth % 2 == 1 else "(")
            paren_depth += 1
        elif ch == PAREN_CLOSE:
            paren_depth = max(paren_depth - 1, 0)
            out.append("]" if flip_parens and paren_depth % 2 == 1 else ")")
        else:
            out.append(ch)
    return "".join(out)


_BLOCK_RUN = re.compile(f"[{BLOCK_OPEN}{BLOCK_CLOSE}]+")


def blocks(text: str, html: bool = False) -> str:
    """Blocks as citeproc-js sets them: on lines of their own in text, ``csl-block`` in HTML."""
    if html:
        text = text.replace(BLOCK_OPEN, '<div class="csl-block">')
        return text.replace(BLOCK_CLOSE, "</div>")
    return _BLOCK_RUN.sub("\n", text).strip("\n")


# citeproc-js's CSL.SKIP_WORDS (single words only: its multi-word entries never match one word).
_SKIP = """
    about above across afore after against al along alongside amid amidst among amongst anenst
    apropos apud around as aside astride at athwart atop barring before behind below beneath
    beside besides between beyond but by circa despite down during et except for forenenst
    from given in inside into lest like modulo near next notwithstanding of off on onto out
    over per plus pro qua sans since than through throughout thruout till to toward towards
    under underneath until unto up upon versus vs. v. vs v via vis-à-vis with within without
    or yet so and nor a an the de d' von van c ca"""
SKIP_WORDS = frozenset(_SKIP.split())

# The "tags" citeproc-js splits a string at before casing its words: quotation marks, some
# punctuation, brackets, HTML-ish formatting tags, and our markers.
_TAG = re.compile(
    "(\u2018|\u2019|\u201c|\u201d|\"|'|[-\u2013\u2014/.,;?!:]|\\[|\\]|\\(|\\)|<[^>]*>|["
    + MARKERS
    + "])"
)
_SPACE = re.compile(r"([\u00a0\u0020\u2000-\u200b\u205f\u3000]+)")


def _capitalise(word: str) -> str:
    upper = word[:1].upper()
    if len(upper) != 1:  # e.g. "ß" -> "SS" would shift the characters that follow
        return word
    return upper + word[1:]


def title_case(text: str, locked: Callable[[int], bool] | None = None) -> str:
    """Title-case `text` as citeproc-js does.

    A word is capitalised when it is all lower case and either longer than one letter and not a
    stop word, or the first word, or the first after "!", "?" or ":", or a word before a hyphen.
    A final stop word is capitalised too. Words are what lies between spaces and the punctuation
    citeproc-js splits at. `locked(i)` says whether the character at index i must keep its case
    (a ``nocase`` span); the result has the same length as `text`.
    """
    chars = list(text)
    words: list[tuple[int, str, bool]] = []  # (start, word, followed by "-")
    pos = 0
    after_punct_at: set[int] = set()
    pieces = _TAG.split(text)
    for n, piece in enumerate(pieces):
        if n % 2 == 1:  # a tag
            if piece[-1:] in "!?:":
                after_punct_at.add(len(words))
            pos += len(piece)
            continue
        following = pieces[n + 1] if n + 1 < len(pieces) else ""
        parts = _SPACE.split(piece)
        offset = pos
        last_word_index = max((k for k in range(0, len(parts), 2) if parts[k]), default=-1)
        for k, part in enumerate(parts):
            if k % 2 == 0 and part:
                words.append((offset, part, k == last_word_index and following == "-"))
            offset += len(part)
        pos += len(piece)

    def capitalise_at(start: int, word: str) -> None:
        if locked is not None and locked(start):
            return
        new = _capitalise(word)
        chars[start : start + len(word)] = list(new)

    for index, (start, word, before_hyphen) in enumerate(words):
        lower = word.lower()
        capitalise = (
            (len(word) > 1 and lower not in SKIP_WORDS)
            or before_hyphen
            or index == 0
            or index in after_punct_at
        )
        if capitalise and word == lower:
            capitalise_at(start, word)
    if words:
        start, word, _ = words[-1]
        if len(word) > 1 and word.lower() in SKIP_WORDS:
            capitalise_at(start, word)
    return "".join(chars)


def capitalize_first(text: str, locked: Callable[[int], bool] | None = None) -> str:
    """Capitalise the first word if it is all lower case (skipping leading quotation marks)."""
    for m in re.finditer(r"[^\s" + re.escape("\u2018\u201c\"'([" + MARKERS) + r"]+", text):
        word = m.group(0)
        if word == word.lower() and not (locked is not None and locked(m.start())):
            return text[: m.start()] + _capitalise(word) + text[m.end() :]
        return text
    return text


_DIGITS = re.compile(r"(\d+)")


def sort_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A collation key that orders as citeproc-js compares sort keys.

    citeproc-js joins a key's words with "|" and compares with ICU at base strength, ignoring
    punctuation, numbers compared by value: so case, accents, quotation marks and brackets do not
    count ("[Memoirs]" sorts under M), and a word boundary sorts before any letter ("Ma Vie"
    before "Machine").
    """
    import unicodedata

    words = strip_markers(text).lower().split()
    flat = "|".join(words) + "|" if words else ""
    key: list[tuple[int, int | str]] = []
    for n, run in enumerate(_DIGITS.split(flat)):
        if n % 2 == 1:
            key.append((1, int(run)))
            continue
        for ch in unicodedata.normalize("NFD", run):
            category = unicodedata.category(ch)
            if category.startswith(("P", "M")) or category == "Zs":
                continue  # punctuation, combining accents: ignored
            key.append((2, ch) if ch.isalpha() else (0, ch))
    return tuple(key)
