"""`wocli site DIR`: the whole fact base as a static website, and a local preview server.

    build(base, Path("public"), force=False)   # pages, charts, JSON, search index; a Report
    serve(Path("public"), port=8000)           # http://127.0.0.1:8000/ until Ctrl-C

Pages come from Jinja2 templates (autoescaped) in `templates/`, charts from `wocli.chart`,
full-text search from Pagefind (its binary ships in the `pagefind` package). Every link is
relative, so the site works from any folder of any static host.
"""

from __future__ import annotations

from .build import Report, build
from .serve import serve

__all__ = ["Report", "build", "serve"]
