"""Answer queries against a fact base at the cost each query needs.

Exact names are looked up in the compiled base, one indexed query; the full search index
(romanisations, phonetic keys, fuzzy matching) is built only for a query that needs it, and kept
beside the compiled base in the cache so that it is built once per set of input files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import cache
from .errors import DataError
from .store import FactBase

if TYPE_CHECKING:
    import sqlite3

    from .search import Hit, SearchIndex


class Finder:
    """Exact and fuzzy search over one fact base, with the index opened lazily."""

    def __init__(self, base: FactBase) -> None:
        self._base = base
        self._index: SearchIndex | None = None

    def exact(self, query: str, kind: str | None = None) -> list[Hit]:
        """Records named exactly `query` once normalised (UsageError if nothing is left)."""
        from .search import Hit, order_exact, query_key

        rows = self._base.exact(query_key(query))
        hits = [Hit(k, rid, name, 100.0, field) for k, rid, name, field in rows]
        return order_exact([h for h in hits if kind is None or h.kind == kind])

    def search(self, query: str, kind: str | None = None, limit: int = 10) -> list[Hit]:
        """Records best matching `query`, best first (see `SearchIndex.search`)."""
        return self.index().search(query, kind=kind, limit=limit)

    def index(self) -> SearchIndex:
        """The search index of the base: from the cache, else built (and kept there)."""
        from .search import INDEX_SCHEMA, SearchIndex

        if self._index is None:
            key = self._base.cache_key
            suffix = index_suffix()
            db = cache.open_cached(key, suffix) if key else None
            if db is None:
                db = cache.build(key, self._fill, INDEX_SCHEMA, suffix)
                if key:  # an index of an earlier layout is never read again: as large, let it go
                    cache.remove_beside(key, INDEX_FAMILY, keep=suffix)
            self._index = SearchIndex(db, on_damage=self._damaged)
        return self._index

    def _fill(self, db: sqlite3.Connection) -> None:
        """Index every record of the base into `db`, showing progress if that takes long."""
        from .i18n import _
        from .shards import fill_base

        fill_base(db, self._base, _("Building the search index"))

    def _damaged(self) -> Exception:
        if self._base.cache_key:
            cache.discard(self._base.cache_key)
        return DataError(
            ["wocli's search index was damaged and has been removed: run the command again"]
        )


INDEX_FAMILY = ".search-v"
"""How the suffix of the search index begins, whatever its layout's version."""


def index_suffix() -> str:
    """The suffix of the search index beside the compiled base; its layout's version in it."""
    from .search import STATE_VERSION

    return f"{INDEX_FAMILY}{STATE_VERSION}.sqlite"
