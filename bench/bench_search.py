"""Time wocli's search: index build and median query time, bundled base and a synthetic 100,000.

Run from the repository root:

    PYTHONPATH=src python bench/bench_search.py [--n 100000] [--repeat 5] [--seed 1]

Synthetic records are people with random Russian-like Cyrillic names (first name, patronymic,
surname) and an English-style romanisation as their name; the queries of each kind are drawn
from them: exact names, one-letter typos of the surname, Cyrillic surnames, surname prefixes,
German-style spellings, initials with surname, and first names shared by many people.

Each query is run by a fresh reader of the index (as each wocli command is a new process), so
no posting list read by an earlier query is reused.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic records")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    from wocli.store import load

    bench("bundled base", list(load().all()), args.repeat, rng)
    bench("synthetic", people(args.n, rng), args.repeat, rng)


if __name__ == "__main__":
    main()
