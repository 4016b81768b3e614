"""Write realistic overlays for the benchmarks: people shaped like a reader's own notes.

    python bench/overlay.py OUT.toml [--n 100000] [--full] [--json]

The default record is what a reader's overlay of 100,000 people holds (about 490 bytes each,
49 MB for 100,000): a name, a Russian name, aliases, life dates, roles, groups of the bundled
base, a one-sentence summary and a source. `--full` writes records as large as the bundled
ones (many aliases, roles and sources, a long summary and a note: 100,000 of them are about
220 MB). `--json` writes the same records in the shape of `wocli export --format json`.
Names come from bench_search's generator of Russian-like names, so every run is the same.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_search import FIRST, romanise, surname

GROUPS = [
    "workers-opposition", "democratic-centralists", "metalworkers-union", "miners-union",
    "textileworkers-union", "rcp", "central-committee", "moscow-committee", "vtsps", "mgsps",
]  # fmt: skip
ROLES = [
    "delegate to the 10th Congress", "trade-union organiser", "factory committee member",
    "signatory of the Letter of the Twenty-Two", "party secretary", "metalworker",
    "member of the Moscow Committee", "people's commissar", "memoirist", "Red Army commissar",
]  # fmt: skip
PLACES = ["Moscow", "Petrograd", "Samara", "Tula", "Kharkov", "Nizhny Novgorod", "Donbass"]


def record(i: int, rng: random.Random, full: bool) -> dict[str, Any]:
    first = rng.choice(FIRST)
    father = rng.choice(FIRST).rstrip("йь") + "ович"
    last = surname(rng)
    latin_first, latin_last = romanise(first), romanise(last)
    born = rng.randint(1860, 1905)
    raw: dict[str, Any] = {
        "name": f"{latin_first} {latin_last}",
        "name_ru": f"{first} {father} {last}",
        "aliases": [latin_last, f"{latin_first[0]}. {latin_last}"],
        "born": str(born),
        "died": f"{born + rng.randint(30, 70)}-{rng.randint(1, 12):02d}",
        "roles": rng.sample(ROLES, 2),
        "groups": rng.sample(GROUPS, 2),
        "summary": (
            f"A {rng.choice(ROLES)} from {rng.choice(PLACES)} who joined the "
            f"{rng.choice(GROUPS).replace('-', ' ')} in {rng.randint(1917, 1921)}."
        ),
        "sources": [
            {"work": "wikipedia-workers-opposition", "locator": f"para. {rng.randint(1, 20)}"}
        ],
    }
    if full:  # as large as a bundled record: ~2,200 bytes
        raw["aliases"] += [
            f"{latin_first} {romanise(father)} {latin_last}",
            f"{latin_first[0]}. {romanise(father)[0]}. {latin_last}",
            latin_last.replace("y", "i"),
            latin_last.replace("kh", "ch").replace("v", "w"),
            f"{latin_first} {latin_last.replace('y', 'i')}",
            f"{latin_first} {latin_last.replace('sh', 'sch')}",
        ]
        raw["general_reference"] = ["name_ru", "born", "died"]
        raw["roles"] = rng.sample(ROLES, 5)
        raw["groups"] = rng.sample(GROUPS, 4)
        raw["summary"] = " ".join(
            f"In {rng.randint(1917, 1922)} a {rng.choice(ROLES)} in {rng.choice(PLACES)}, "
            f"working with the {rng.choice(GROUPS).replace('-', ' ')}."
            for _ in range(6)
        )
        raw["note"] = (
            "The spelling of the surname varies between the sources; the month of death is "
            "given by one of them only and the others give the year alone. The roles are "
            "those the party press of the time gives; the groups are the curator's reading."
        )
        raw["sources"] = [
            {"work": "wikipedia-workers-opposition", "locator": f"para. {p}"}
            for p in sorted(rng.sample(range(1, 21), 12))
        ] + [{"work": "allen2015", "note": "dates of birth and death from the biography"}]
    return raw


def records(n: int, full: bool = False, seed: int = 1) -> Iterator[tuple[str, dict[str, Any]]]:
    rng = random.Random(seed)
    for i in range(n):
        yield f"reader-{i}", record(i, rng, full)


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def write_toml(path: Path, n: int, full: bool = False) -> None:
    with path.open("w", encoding="utf-8") as out:
        for rid, raw in records(n, full):
            out.write(f"[people.{rid}]\n")
            for key, value in raw.items():
                out.write(f"{key} = {_toml_value(value)}\n")
            out.write("\n")


def write_json(path: Path, n: int, full: bool = False) -> None:
    """The shape of `wocli export --format json`: {"people": [{"id": ..., ...}, ...]}."""
    people = [{"id": rid, **raw} for rid, raw in records(n, full)]
    path.write_text(json.dumps({"people": people}, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--full", action="store_true", help="records as large as bundled ones")
    parser.add_argument("--json", action="store_true", help="the shape of export --format json")
    args = parser.parse_args()
    (write_json if args.json else write_toml)(args.out, args.n, args.full)
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
