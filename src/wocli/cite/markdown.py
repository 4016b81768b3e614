"""A citeproc-py output formatter for Markdown: italics as *...*, bold as **...**.

citeproc-py formatters are namespaces (its own are modules) with `preformat` and one wrapper per
font style; this module is used the same way.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


_ESCAPED_BRACKET = re.compile(r"\\([\[\]])")
_LINK_CLOSE = re.compile(r"\](?=[(\[:])")


def preformat(text: object) -> str:
    """Escape the characters Markdown would read as markup."""
    return _SPECIAL.sub(r"\\\1", str(text))


def tidy(text: str) -> str:
    """A rendered entry without needless escapes: brackets stay plain ("[Memoirs]") unless a
    "]" is followed by "(", "[" or ":", which Markdown would read as a link."""
    return _LINK_CLOSE.sub(r"\\]", _ESCAPED_BRACKET.sub(r"\1", text))


class _Wrapper(str):
    before = ""
    after = ""

    def __new__(cls, text: object) -> _Wrapper:
        return super().__new__(cls, f"{cls.before}{text}{cls.after}")


class Italic(_Wrapper):
    before = after = "*"


class Oblique(Italic):
    pass


class Bold(_Wrapper):
    before = after = "**"


class Superscript(_Wrapper):
    before, after = "<sup>", "</sup>"


class Subscript(_Wrapper):
    before, after = "<sub>", "</sub>"


Light = str
Underline = str
SmallCaps = str
