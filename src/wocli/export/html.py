"""Text from the data as HTML, for the formats whose text is HTML (TimelineJS, Anki)."""

from __future__ import annotations

from html import escape as _escape


def escape(text: str) -> str:
    """`text` shown as written: `<`, `>` and `&` escaped (quotes need it only in attributes)."""
    return _escape(text, quote=False)
