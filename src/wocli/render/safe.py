"""Keep text from data and queries from ever acting on the terminal."""

from __future__ import annotations

import re
from functools import cache

# C0 and C1 controls (tab and newline are layout, not commands), DEL, and the Unicode
# bidirectional marks, overrides and isolates that can make text display in a misleading order.
_CONTROLS = [
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]
# A translation table, not a regular expression: compiling a character class beyond Latin-1
# would cost every command a millisecond.
_SHOWN = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _CONTROLS}


def clean(text: str) -> str:
    """Show control characters and escape sequences as visible escapes ('\\x1b[31m')."""
    if text.isprintable():  # the common case: every control character is unprintable
        return text
    shown = text.translate(_SHOWN)
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (undecodable bytes in an argument): '\udc80'
        shown = shown.encode("utf-8", "backslashreplace").decode("utf-8")
    return shown


@cache
def _json_unsafe() -> re.Pattern[str]:
    # What json.dumps leaves raw of those (it escapes C0 itself): DEL, C1 and the bidi controls.
    # A regular expression here, compiled only for --json: translating a whole export is slower.
    return re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROLS if c >= 0x7F) + "]")


def clean_json(dumped: str) -> str:
    """Escape, in serialised JSON, what json.dumps leaves raw but a terminal would obey.

    The result decodes to exactly the same data: `\\u009b` is JSON for U+009B.
    """
    if dumped.isascii():
        return dumped
    return _json_unsafe().sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
