"""Answer queries against a fact base at the cost each query needs.

Exact names are looked up in the compiled base, one indexed query; the full search index
(romanisations, phonetic keys, fuzzy matching) is built only for a query that needs it, and kept
beside the compiled base in the cache so that it is built once per set of input files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import cache
from .store import FactBase

if TYPE_CHECKING:
    from .search import Hit, SearchIndex

STATE_SUFFIX = ".search.json"


class Finder:
    """Exact and fuzzy search over one fact base, with the index loaded lazily."""

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
        if self._index is None:
            self._index = self._load() or self._build()
        return self._index

    def _load(self) -> SearchIndex | None:
        import json  # here, not at the top: an exact lookup never needs it

        from .search import SearchIndex

        key = self._base.cache_key
        data = cache.read_blob(key, STATE_SUFFIX) if key else None
        if data is None:
            return None
        try:  # JSON: reading it can never run code, and a damaged file just fails to parse
            return SearchIndex.from_state(json.loads(data))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # damaged or of another version: rebuilt and rewritten below

    def _build(self) -> SearchIndex:
        import json

        from .search import SearchIndex

        index = SearchIndex(self._base.all())
        if self._base.cache_key:
            state = json.dumps(index.state(), ensure_ascii=False, separators=(",", ":"))
            cache.write_blob(self._base.cache_key, STATE_SUFFIX, state.encode("utf-8"))
        return index
