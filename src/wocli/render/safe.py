"""Keep text from data and queries from ever acting on the terminal."""

from __future__ import annotations

import re

# C0 and C1 controls (tab and newline are layout, not commands), DEL, and the Unicode
# bidirectional overrides and isolates that can make text display in a misleading order.
# Lone surrogates (undecodable bytes in arguments) are shown too: no stream can encode them.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Show control characters and escape sequences as visible escapes ('\\x1b[31m')."""
    return _UNSAFE.sub(_visible, text)


def clean_json(dumped: str) -> str:
    """Escape, in serialised JSON, what json.dumps leaves raw but a terminal would obey.

    The result decodes to exactly the same data: `\\u009b` is JSON for U+009B.
    """
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
