"""Time wocli's search: index build and median query time, bundled base and a synthetic 100,000.

Run from the repository root:

    PYTHONPATH=src python bench/bench_search.py [--n 100000] [--repeat 5] [--seed 1]
        [--namesakes 10000 100000] [--rounds 3] [--no-queries]

Synthetic records are people with random Russian-like Cyrillic names (first name, patronymic,
surname) and an English-style romanisation as their name; the queries of each kind are drawn
from them: exact names, one-letter typos of the surname, Cyrillic surnames, surname prefixes,
German-style spellings, initials with surname, and first names shared by many people.

Each query is run by a fresh reader of the index (as each wocli command is a new process), so
no posting list read by an earlier query is reused.

Namesakes: the first fuzzy search (building the index, then one query) of the same synthetic
people with their own names, with one Russian name for all, and with one name, alias and
Russian name for all, at each of --namesakes sizes; the three are run in turn --rounds times
and the medians compared, so that a busy machine slows them alike. A shared name must cost no
more than distinct ones (within 1.2x).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from wocli.model import Person, Record
from wocli.search import INDEX_SCHEMA, SearchIndex, fill


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Александр Алексей Андрей Борис Василий Виктор Владимир Гавриил Григорий Давид Дмитрий "
    "Евгений Иван Игорь Илья Кирилл Лев Михаил Николай Павел Пётр Сергей Фёдор Юрий Яков "
    "Анна Мария Ольга Зоя Елена Надежда Татьяна Софья"
)
ONSETS = _words("б в г д ж з к л м н п р с т ф х ц ч ш щ бр гр др кр пр тр шл ст сл зв")
VOWELS = _words("а о у е и ы я ю ё")
CODAS = ["", "", "", "н", "р", "л", "в", "й", "к"]
ENDINGS = _words("ов ев ёв ин ын ский цкий енко ич ук ников анов енков")
ROMAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# A quick English-style romanisation for the synthetic *names* only; the index itself
# romanises with iuliia.


def romanise(text: str) -> str:
    out = "".join(ROMAN.get(c.lower(), c) for c in text)
    return " ".join(w.capitalize() for w in out.split())


def surname(rng: random.Random) -> str:
    syllables = rng.randint(1, 3)
    stem = "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
    )
    return (stem + rng.choice(ENDINGS)).capitalize()


def people(n: int, rng: random.Random) -> list[Person]:
    out = []
    for i in range(n):
        first = rng.choice(FIRST)
        father = rng.choice(FIRST).rstrip("йь") + "ович"
        last = surname(rng)
        name_ru = f"{first} {father} {last}"
        out.append(
            Person(
                id=f"p{i}",
                name=f"{romanise(first)} {romanise(last)}",
                name_ru=name_ru,
                aliases=(romanise(last),),
                summary="",
                sources=(),
            )
        )
    return out


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, max(2, len(word) - 1))
    op = rng.choice("drsx")
    if op == "d":
        return word[:i] + word[i + 1 :]
    if op == "r":
        return word[:i] + word[i] + word[i:]
    if op == "s":
        return word[:i] + rng.choice("aeioukrst") + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def german(word: str) -> str:
    w = word.lower().replace("shch", "schtsch").replace("sh", "sch").replace("zh", "sch")
    w = w.replace("kh", "ch").replace("ts", "z").replace("v", "w").replace("y", "j")
    return w.capitalize()


def queries(records: Sequence[Record], rng: random.Random, k: int) -> dict[str, list[str]]:
    persons = [r for r in records if isinstance(r, Person) and r.name_ru]
    sample = rng.sample(persons, min(k, len(persons)))
    lasts = [p.name.split()[-1] for p in sample]
    return {
        "exact name": [p.name for p in sample],
        "typo": [typo(s.lower(), rng) for s in lasts],
        "cyrillic": [(p.name_ru or "").split()[-1] for p in sample],
        "prefix": [s[: max(3, len(s) * 2 // 3)].lower() for s in lasts],
        "german": [german(s) for s in lasts],
        "initial": [f"{p.name[0]}. {s}" for p, s in zip(sample, lasts, strict=True)],
        "first name": [p.name.split()[0] for p in sample],
    }


def median_ms(fn: Callable[[str], object], items: list[str], repeat: int) -> float:
    times = []
    for q in items:
        for _ in range(repeat):
            start = time.perf_counter()
            fn(q)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench(label: str, records: Sequence[Record], repeat: int, rng: random.Random) -> None:
    start = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.executescript(INDEX_SCHEMA)
    fill(db, records)
    built = time.perf_counter() - start
    print(f"\n{label}: {len(records):,} records, index built in {built * 1000:,.0f} ms")
    SearchIndex(db).search("warm up")  # first use imports rapidfuzz
    for kind, items in queries(records, rng, 40).items():
        ms = median_ms(lambda q: SearchIndex(db).search(q), items, repeat)
        print(f"  {kind:<12} median {ms:6.2f} ms  e.g. {items[0]!r}")
    ms = median_ms(lambda q: SearchIndex(db).exact(q), [r.name for r in records[:40]], repeat)
    print(f"  {'exact only':<12} median {ms:6.2f} ms  (SearchIndex.exact, no rapidfuzz)")


NAMESAKE_RU = "Иван Петрович Шляпников"
FIRST_QUERY = "shlapnikov"
"""The fuzzy search that builds the index, as `wocli search shlapnikov` would."""


def namesakes(records: Sequence[Person]) -> dict[str, list[Person]]:
    """The same people with their own names, and made namesakes in two ways."""
    return {
        "unique names": list(records),
        "same name_ru": [replace(p, name_ru=NAMESAKE_RU) for p in records],
        "same name, alias, name_ru": [
            replace(p, name="Ivan Shlyapnikov", aliases=("Shlyapnikov",), name_ru=NAMESAKE_RU)
            for p in records
        ],
    }


def first_search(records: Sequence[Record]) -> float:
    """Seconds to build the index of `records` and answer one fuzzy query with it."""
    start = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.executescript(INDEX_SCHEMA)
    fill(db, records)
    SearchIndex(db).search(FIRST_QUERY)
    return time.perf_counter() - start


def bench_namesakes(n: int, rounds: int, rng: random.Random) -> None:
    cases = namesakes(people(n, rng))
    times: dict[str, list[float]] = {label: [] for label in cases}
    first_search(cases["unique names"][:100])  # imports rapidfuzz and iuliia
    for _ in range(rounds):
        for label, records in cases.items():
            times[label].append(first_search(records))
    base = statistics.median(times["unique names"])
    print(f"\nnamesakes: {n:,} people, first fuzzy search (build + {FIRST_QUERY!r}), "
          f"median of {rounds}")  # fmt: skip
    for label, runs in times.items():
        t = statistics.median(runs)
        print(f"  {label:<26} {t * 1000:8,.0f} ms  {t / base:4.2f}x unique (budget 1.2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic records")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--namesakes", type=int, nargs="*", default=[10_000, 100_000], metavar="N",
        help="sizes of the namesakes comparison (none: skip it)",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="runs of each namesakes case")
    parser.add_argument("--no-queries", action="store_true", help="only the namesakes part")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    if not args.no_queries:
        from wocli.store import load

        bench("bundled base", list(load().all()), args.repeat, rng)
        bench("synthetic", people(args.n, rng), args.repeat, rng)
    for n in args.namesakes:
        bench_namesakes(n, args.rounds, rng)


if __name__ == "__main__":
    main()
