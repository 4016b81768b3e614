"""Measure wocli's performance budgets (the Performance issue) and write bench/RESULTS.md.

Run from the repository root, in a venv where wocli is installed (`pip install .`):

    python bench/bench_cli.py [--runs 7] [--n 100000] [--cold-runs 3]

Every budget is a ratio of medians measured side by side in one run, so a busy machine slows
both sides alike: wocli's command against the floor no typer + rich program can beat. Each
command runs once to warm up, then --runs times; output is piped, as in a script. The cache
lives in a private temporary folder. The 100,000-person overlay is generated into bench/out/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from bench_search import people  # noqa: E402  (the same synthetic names as the search bench)

PY = sys.executable
WOCLI = (
    [str(Path(PY).with_name("wocli"))]
    if Path(PY).with_name("wocli").exists()
    else [PY, "-m", "wocli"]
)


Row = tuple[str, float, float, float | None, str]
"""What was measured, its median (s), the floor's median (s), the budget ratio, the floor."""


def wall(cmd: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, env=env, check=True)
    return time.perf_counter() - start


def median(cmd: Sequence[str], env: dict[str, str], runs: int) -> float:
    wall(cmd, env)  # warm-up: page cache, .pyc files, wocli's compiled fact base
    return statistics.median(wall(cmd, env) for _ in range(runs))


def side_by_side(
    a: Sequence[str], b: Sequence[str], env: dict[str, str], runs: int
) -> tuple[float, float]:
    """Medians of two commands, interleaved so that drift in machine load hits both."""
    wall(a, env)
    wall(b, env)
    ta, tb = [], []
    for _ in range(runs):
        ta.append(wall(a, env))
        tb.append(wall(b, env))
    return statistics.median(ta), statistics.median(tb)


def peak_mib(cmd: Sequence[str], env: dict[str, str]) -> float:
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PY, "-c", probe, *cmd], capture_output=True, text=True, env=env)
    return int(out.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


def write_overlay(path: Path, n: int) -> None:
    """n synthetic people, each citing the bundled article, as a TOML overlay."""
    lines = []
    for i, person in enumerate(people(n, random.Random(1))):
        lines += [
            f"[people.synthetic-{i}]",
            f'name = "{person.name}"',
            f'name_ru = "{person.name_ru}"',
            f'aliases = ["{person.name.split()[-1]}"]',
            'summary = "A synthetic person for benchmarks."',
            'sources = [{ work = "wikipedia-workers-opposition", locator = "para. 1" }]',
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--no-scale", action="store_true", help="Skip the 100,000-person part.")
    args = parser.parse_args()

    cache = Path(tempfile.mkdtemp(prefix="wocli-bench-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "NO_COLOR": "1"}
    env.pop("WOCLI_DATA", None)
    floor_rich = [PY, "-c", "import typer, rich.console, rich.table"]
    floor_typer = [PY, "-c", "import typer"]
    complete = {**env, "_WOCLI_COMPLETE": "complete_bash", "COMP_WORDS": "wocli person shl",
                "COMP_CWORD": "2"}  # fmt: skip
    rows: list[Row] = []

    def ratio(label: str, cmd: Sequence[str], floor: Sequence[str], budget: float | None,
              e: dict[str, str] = env) -> None:  # fmt: skip
        t, f = side_by_side(cmd, floor, e, args.runs)
        rows.append((label, t, f, budget, " ".join(floor[2:]) if floor[0] == PY else floor[0]))
        print(f"{label:<48} {t * 1000:7.0f} ms  floor {f * 1000:5.0f} ms  "
              f"ratio {t / f:4.2f}  budget {budget or '-'}", flush=True)  # fmt: skip

    ratio("wocli person shlyapnikov (piped)", [*WOCLI, "person", "shlyapnikov"], floor_rich, 1.25)
    ratio("wocli person shlyapnikov --json", [*WOCLI, "person", "shlyapnikov", "--json"],
          floor_typer, 1.25)  # fmt: skip
    ratio("wocli --help", [*WOCLI, "--help"], floor_rich, 1.25)
    ratio('wocli search "democratic centralists"', [*WOCLI, "search", "democratic centralists"],
          floor_rich, 1.25)  # fmt: skip
    ratio("wocli search shlapnikov (fuzzy)", [*WOCLI, "search", "shlapnikov"], floor_rich, 1.25)
    ratio("completion of `wocli person shl`", WOCLI, floor_typer, 1.25, complete)
    # wocli skips the cyclic garbage collector (src/wocli/entry.py), which the floors above
    # pay for: the same two lookups against floors that skip it too show what is left. For
    # comparison only: the budgets are the rows above.
    no_gc = "import gc; gc.disable(); {}; gc.freeze()"
    ratio("(comparison) wocli person shlyapnikov, floor without gc",
          [*WOCLI, "person", "shlyapnikov"],
          [PY, "-c", no_gc.format("import typer, rich.console, rich.table")], None)  # fmt: skip
    ratio("(comparison) wocli person shlyapnikov --json, floor without gc",
          [*WOCLI, "person", "shlyapnikov", "--json"],
          [PY, "-c", no_gc.format("import typer")], None)  # fmt: skip

    peak = None
    if not args.no_scale:
        peak = scale(args, env, cache, rows)
    write_results(args, rows, peak)
    shutil.rmtree(cache, ignore_errors=True)


def scale(args: argparse.Namespace, env: dict[str, str], cache: Path, rows: list[Row]) -> float:
    """The budgets with a large overlay; returns the peak memory of a later lookup, in MiB."""
    overlay = HERE / "out" / f"people-{args.n}.toml"
    overlay.parent.mkdir(exist_ok=True)
    if not overlay.exists():
        print(f"writing {overlay} ...", flush=True)
        write_overlay(overlay, args.n)
    size = overlay.stat().st_size / 2**20
    big = [*WOCLI, "--data", str(overlay), "person", "shlyapnikov"]
    parse = [PY, "-c", f"import tomllib; tomllib.load(open({str(overlay)!r}, 'rb'))"]
    lookup = [*WOCLI, "person", "shlyapnikov"]

    def cold() -> float:
        shutil.rmtree(cache, ignore_errors=True)
        return wall(big, env)

    t_parse = statistics.median(wall(parse, env) for _ in range(args.cold_runs))
    t_lookup = median(lookup, env, args.runs)
    t_cold = statistics.median(cold() for _ in range(args.cold_runs))
    floor = t_parse + t_lookup
    rows.append((f"first lookup, {args.n:,}-person overlay ({size:.0f} MiB)", t_cold, floor, 2.0,
                 "tomllib parse + one lookup"))  # fmt: skip
    print(f"first lookup with overlay: {t_cold:.2f} s vs parse+lookup {floor:.2f} s "
          f"ratio {t_cold / floor:.2f} budget 2.0", flush=True)  # fmt: skip
    t_big, t_small = side_by_side(big, lookup, env, args.runs)
    rows.append(("later lookup, with the overlay", t_big, t_small, 1.5, "lookup, bundled base"))
    print(f"later lookup with overlay: ratio {t_big / t_small:.2f} budget 1.5", flush=True)
    # A fuzzy search builds the search index once (not timed here: a one-off, like the cache),
    # then reads only the rows each query needs.
    fuzzy = [*WOCLI, "search", "shlapnikov"]
    big_fuzzy = [*WOCLI, "--data", str(overlay), "search", "shlapnikov"]
    start = time.perf_counter()
    subprocess.run(big_fuzzy, capture_output=True, env=env, check=True)
    print(f"search index of the overlay built in {time.perf_counter() - start:.1f} s", flush=True)
    t_big, t_small = side_by_side(big_fuzzy, fuzzy, env, args.runs)
    rows.append(("later fuzzy search, with the overlay", t_big, t_small, 1.5,
                 "fuzzy search, bundled base"))  # fmt: skip
    print(f"later fuzzy search with overlay: ratio {t_big / t_small:.2f} budget 1.5", flush=True)
    peak = max(peak_mib(big, env), peak_mib(big_fuzzy, env))
    print(f"peak memory of a later lookup or search: {peak:.0f} MiB (budget 300)", flush=True)
    return peak


def write_results(args: argparse.Namespace, rows: list[Row], peak: float | None) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} by `python bench/bench_cli.py --runs {args.runs}"
        f" --n {args.n}` on {machine()}. Medians of {args.runs} runs after a warm-up "
        f"({args.cold_runs} for cold runs); output piped; commands and floors interleaved.",
        "",
        "| measure | wocli | floor | ratio | budget | floor command | within |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for label, t, f, budget, floor_name in rows:
        ok = "" if budget is None else "yes" if t / f <= budget else "**no**"
        lines.append(
            f"| {label} | {t * 1000:.0f} ms | {f * 1000:.0f} ms | {t / f:.2f} | {budget or ''} | "
            f"`{floor_name}` | {ok} |"
        )
    if peak is not None:
        within = "yes" if peak < 300 else "**no**"
        lines += [
            f"| peak memory, later lookup or search with the overlay | {peak:.0f} MiB | | | "
            "300 MiB | "
            f"| {within} |",
        ]
    lines.append("")
    (HERE / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
