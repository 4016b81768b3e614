"""Rendered citations kept on disk, so citing again needs neither citeproc-py nor lxml.

One small JSON file per (wocli version and citation code, citeproc-py's code, style file's path,
modification time and size, output format, digest of the items' CSL-JSON), in the user's cache
folder (`wocli.cache.folder()`, i.e. $XDG_CACHE_HOME/wocli). It holds the whole bibliography (as
listed, and with each entry's names written out for citing one work alone) and every citation
rendered so far for that combination. Any change to the items, the style file or the code means
another file; a file is written under a temporary name and renamed into place; a damaged or
foreign file is ignored (and replaced by the next write); a folder that cannot be used means no
caching, never a failure. Only successful renderings are kept: errors are raised anew.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from .errors import CiteError
from .styles import FORMATS, resolve_style

FORMAT = 1
"""Bump when the file layout below changes."""
KEEP = 64
"""How many cache files to keep; the oldest are removed when a new one is written."""
PREFIX = "cite-"

try:  # hashlib's import loads OpenSSL (~6 ms, a tenth of a cached cite); blake2 alone is cheap
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b


def _digest(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _code_stamp() -> str:
    """The citation code's files (name, size, mtime): an edited engine must not reuse output."""
    parts = []
    try:
        with os.scandir(Path(__file__).parent) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return "?"
    return ",".join(parts)


def _engine_stamp() -> str:
    """citeproc-py's installed code (path, size, mtime), found without importing it: another
    release of the engine must not reuse what this one rendered."""
    from importlib.util import find_spec

    try:
        spec = find_spec("citeproc")
        origin = spec.origin if spec else None
        st = os.stat(origin) if origin else None
    except (ImportError, ValueError, OSError):
        return "citeproc ?"
    return f"citeproc {origin}:{st.st_size}:{st.st_mtime_ns}" if st else "citeproc ?"


def cache_key(items: list[dict[str, Any]], style_path: Path, fmt: str) -> str | None:
    """The key of a rendering, or None when it cannot be cached (unreadable style, odd items)."""
    from .. import __version__

    try:
        st = style_path.stat()
        items_json = json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        path = str(style_path.resolve())
    except (OSError, TypeError, ValueError):
        return None
    return "\n".join(
        [
            f"wocli {__version__} cite-cache {FORMAT}",
            _code_stamp(),
            _engine_stamp(),
            f"{path}\0{st.st_mtime_ns}\0{st.st_size}",
            fmt,
            _digest(items_json),
        ]
    )


def _file(key: str) -> Path:
    from ..cache import folder

    return folder() / f"{PREFIX}{_digest(key)}.json"


def _read(path: Path, key: str) -> dict[str, Any] | None:
    """The cached renderings for `key`, or None when missing, unreadable, damaged or foreign."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):  # nested too deep
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    for field in ("bibliography", "standalone"):
        entries = data.get(field)
        if entries is not None and not (
            isinstance(entries, list)
            and all(
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
                for pair in entries
            )
        ):
            return None
    citations = data.get("citations")
    if not isinstance(citations, dict) or not all(isinstance(v, str) for v in citations.values()):
        return None
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write atomically (temporary file, then rename); any problem just means no caching."""
    import tempfile

    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".cite-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent, keep=path)
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(folder: Path, keep: Path) -> None:
    files = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(PREFIX) and entry.name.endswith(".json"):
                try:
                    files.append((entry.stat().st_mtime_ns, entry.path))
                except OSError:
                    continue
    files.sort(reverse=True)
    for _, name in files[KEEP:]:
        if name != str(keep):
            with contextlib.suppress(OSError):
                os.unlink(name)


def _citation_key(item_id: str, locator: str | None) -> str:
    return json.dumps([item_id, locator], ensure_ascii=False)


class Renderings:
    """Everything one (items, style, format) renders: read from the cache, else from the engine.

    The engine (and with it citeproc-py) is loaded only for something the cache lacks; what it
    renders is written back by `save`.
    """

    def __init__(self, items: list[dict[str, Any]], style: str, fmt: str) -> None:
        if fmt not in FORMATS:
            raise CiteError(f"unknown output format '{fmt}' (choose from {', '.join(FORMATS)})")
        self.items = items
        self.fmt = fmt
        self.style_path = resolve_style(style)
        self._run: Any = None
        self._changed = False
        key = cache_key(items, self.style_path, fmt)
        self._key = key
        self._path = _file(key) if key is not None else None
        cached = _read(self._path, key) if self._path is not None and key is not None else None
        self._data: dict[str, Any] = cached or {
            "key": key,
            "bibliography": None,
            "standalone": None,
            "citations": {},
        }

    def _engine(self) -> Any:
        if self._run is None:
            from .engine import Run

            self._run = Run(self.items, self.style_path)
        return self._run

    def bibliography(self, standalone: bool = False) -> list[tuple[str, str]]:
        """(item id, entry) pairs in the style's order; items with an empty entry are left out.

        `standalone` entries keep their names where the list would print the style's
        subsequent-author-substitute ("———"), so each can be read on its own.
        """
        field = "standalone" if standalone else "bibliography"
        if self._data.get(field) is None:
            run = self._engine()
            by_key = {key: item_id for item_id, key in run.ids.items()}
            entries = run.bibliography(self.fmt, substitute_authors=not standalone)
            self._data[field] = [[by_key[key], text] for key, text in entries]
            self._changed = True
        return [(item_id, text) for item_id, text in self._data[field]]

    def entry(self, item_id: str, standalone: bool = False) -> str:
        """One item's entry; "" when the style prints none for it."""
        if item_id not in {str(item.get("id")) for item in self.items}:
            raise CiteError(f"no item with id '{item_id}' to cite")
        for entry_id, text in self.bibliography(standalone):
            if entry_id == item_id:
                return text
        return ""

    def citation(self, item_id: str, locator: str | None = None) -> str:
        """The first citation (or first note) of one item, with an optional locator."""
        key = _citation_key(item_id, locator)
        citations: dict[str, str] = self._data["citations"]
        if key not in citations:
            citations[key] = self._engine().citation(item_id, self.fmt, locator)
            self._changed = True
        return citations[key]

    def save(self) -> None:
        """Write what the engine rendered to the cache (nothing when all came from it)."""
        if self._changed and self._path is not None:
            _write(self._path, self._data)
            self._changed = False
