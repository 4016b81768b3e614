"""The interface's languages: every user-facing string goes through `_` (or `ngettext`).

English is written in the code and is the fallback; other languages are gettext catalogs,
`locale/LANG/LC_MESSAGES/wocli.po` in the repository, compiled to `.mo` when the package is
built (`pybabel` manages them: see CONTRIBUTING.md). The runner picks the language once, before
the commands are imported, from `--lang`, `WOCLI_LANG`, or the locale as gettext reads it
(`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

LANGUAGES = ("en", "ru")
DEFAULT = "en"
DOMAIN = "wocli"
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")  # not a Path: pathlib costs ~3 ms


if TYPE_CHECKING:  # a Protocol class costs every command its definition, for mypy alone
    from typing import Protocol

    class _Catalog(Protocol):
        def gettext(self, message: str, /) -> str: ...
        def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


class _English:
    """The strings as written: no catalog to read."""

    def gettext(self, message: str, /) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return singular if n == 1 else plural


_catalog: _Catalog = _English()
_language = DEFAULT


def choose(explicit: str | None = None) -> str:
    """The language to use: `explicit` (from --lang), else WOCLI_LANG, else the locale's;
    English when none of them names a language wocli has."""
    if explicit:
        return _supported(explicit) or DEFAULT
    wanted = os.environ.get("WOCLI_LANG")
    if wanted:
        return _supported(wanted) or DEFAULT
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if not value:
            continue
        for item in value.split(":"):  # LANGUAGE is a list of preferences
            found = _supported(item)
            if found:
                return found
        return DEFAULT  # gettext stops at the first variable that is set
    return DEFAULT


def _supported(name: str) -> str | None:
    code = name.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else None


def activate(language: str) -> None:
    """Use `language` for every string asked for from now on."""
    global _catalog, _language
    _language = language if language in LANGUAGES else DEFAULT
    if _language == DEFAULT:
        _catalog = _English()
        return
    import gettext

    _catalog = gettext.translation(
        DOMAIN, LOCALE_DIR, languages=[_language], fallback=True
    )  # a missing catalog means English, never an error


def language() -> str:
    """The language in use: "en" or "ru"."""
    return _language


def _(message: str) -> str:
    """`message` in the interface's language."""
    return _catalog.gettext(message)


def N_(message: str) -> str:
    """Mark `message` for translation where it is defined; `_` translates it where it is used."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the number `n` (Russian has three)."""
    return _catalog.ngettext(singular, plural, n)


def kind_label(kind: str) -> str:
    """A kind of record as the interface names it: "person" is "человек" in Russian."""
    labels = {
        "person": _("person"),
        "group": _("group"),
        "event": _("event"),
        "vote": _("vote"),
        "work": _("work"),
        "term": _("term"),
    }
    return labels.get(kind, kind)
