"""Measure wocli's performance budgets (the Performance issue) and write bench/RESULTS.md.

Run from the repository root, in a venv where wocli is installed (`pip install .`):

    python bench/bench_cli.py [--runs 7] [--n 100000] [--cold-runs 3] [--full]

Every budget is a ratio of medians measured side by side in one run, so a busy machine slows
both sides alike: wocli's command against the floor no typer + rich program can beat. Each
command runs once to warm up, then --runs times; output is piped, as in a script. The cache
lives in a private temporary folder. The overlays (bench/overlay.py: 100,000 people as a reader
would write them, ~46 MB; with --full also 100,000 records as large as the bundled ones, ~210 MB)
are generated into bench/out/. Builds (first lookup, first fuzzy search) are compared with a
tomllib parse of the same file, run alternately with them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from overlay import write_json, write_toml  # noqa: E402  (a reader's realistic overlay)

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
    """The peak memory of a command and every process it starts (the search index is built by
    one per core): their proportional set sizes (PSS: pages shared after a fork count once in
    all), summed, sampled every 20 ms."""
    run = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    while run.poll() is None:
        peak = max(peak, sum(_pss_kib(pid) for pid in _tree(run.pid)))
        time.sleep(0.02)
    return peak / 1024


def _tree(pid: int) -> list[int]:
    """A process and its descendants, from /proc."""
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
            for child in children:
                found += _tree(int(child))
    except OSError:  # gone meanwhile
        pass
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


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
    parser.add_argument("--full", action="store_true", help="Also the ~210 MB overlay.")
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
        name = " ".join(floor[2:]) if floor[0] == PY else " ".join(["wocli", *floor[len(WOCLI) :]])
        rows.append((label, t, f, budget, name))
        print(f"{label:<48} {t * 1000:7.0f} ms  floor {f * 1000:5.0f} ms  "
              f"ratio {t / f:4.2f}  budget {budget or '-'}", flush=True)  # fmt: skip

    ratio("wocli person shlyapnikov (piped)", [*WOCLI, "person", "shlyapnikov"], floor_rich, 0.7)
    ratio("wocli person shlyapnikov --json", [*WOCLI, "person", "shlyapnikov", "--json"],
          floor_typer, 1.25)  # fmt: skip
    ratio("wocli --help", [*WOCLI, "--help"], floor_rich, 1.25)
    ratio('wocli search "democratic centralists"', [*WOCLI, "search", "democratic centralists"],
          floor_rich, 1.25)  # fmt: skip
    ratio("wocli search shlapnikov (fuzzy)", [*WOCLI, "search", "shlapnikov"], floor_rich, 1.25)
    ratio("completion of `wocli person shl`", WOCLI, floor_typer, 0.5, complete)
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

    cite = [*WOCLI, "cite", "allen2015", "--style", "chicago"]
    t_cold, t_floor = alternately(lambda: cold(cite, env, cache), lambda: wall(floor_rich, env),
                                  args.cold_runs)  # fmt: skip
    rows.append(("first `cite allen2015 --style chicago` (no cache)", t_cold, t_floor, None,
                 "import typer, rich.console, rich.table"))  # fmt: skip

    def first_rendering() -> float:  # the compiled base kept: the citation engine's part alone
        for rendered in (cache / "wocli").glob("cite-*.json"):
            rendered.unlink()
        return wall(cite, env)

    t_render, t_floor = alternately(first_rendering, lambda: wall(floor_rich, env), args.runs)
    rows.append(("first `cite allen2015 --style chicago` (base compiled, no citation cached)",
                 t_render, t_floor, None, "import typer, rich.console, rich.table"))  # fmt: skip
    ratio("later `cite allen2015 --style chicago`", cite, floor_rich, None)

    peaks: list[tuple[str, float, float]] = []
    if not args.no_scale:
        scale(args, env, cache, rows, peaks, ratio)
    write_results(args, rows, peaks)
    shutil.rmtree(cache, ignore_errors=True)


def cold(cmd: Sequence[str], env: dict[str, str], cache: Path) -> float:
    """One run with an empty cache: what the first command after a new overlay costs."""
    shutil.rmtree(cache, ignore_errors=True)
    return wall(cmd, env)


def alternately(a: Callable[[], float], b: Callable[[], float], runs: int) -> tuple[float, float]:
    ta, tb = [], []
    for _ in range(runs):
        ta.append(a())
        tb.append(b())
    return statistics.median(ta), statistics.median(tb)


def scale(
    args: argparse.Namespace,
    env: dict[str, str],
    cache: Path,
    rows: list[Row],
    peaks: list[tuple[str, float, float]],
    ratio: Callable[[str, Sequence[str], Sequence[str], float | None], None],
) -> None:
    """The targets with a reader's 100,000-person overlay (and, with --full, a 210 MB one)."""
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    overlay = out / f"real-{args.n}.toml"
    if not overlay.exists():
        print(f"writing {overlay} ...", flush=True)
        write_toml(overlay, args.n)
    size = overlay.stat().st_size / 2**20
    parse_cmd = [PY, "-c", f"import tomllib; tomllib.load(open({str(overlay)!r}, 'rb'))"]
    lookup = [*WOCLI, "person", "shlyapnikov"]
    big = [*WOCLI, "--data", str(overlay), "person", "shlyapnikov"]
    fuzzy = [*WOCLI, "search", "shlapnikov"]
    big_fuzzy = [*WOCLI, "--data", str(overlay), "search", "shlapnikov"]

    def parse() -> float:
        return wall(parse_cmd, env)

    def first_fuzzy() -> float:  # the compiled base exists; the search index is built
        cold(big, env, cache)
        return wall(big_fuzzy, env)

    t_cold, t_parse = alternately(lambda: cold(big, env, cache), parse, args.cold_runs)
    label = f"{args.n:,} people ({size:.0f} MiB)"
    rows.append((f"first lookup, {label}", t_cold, t_parse, 0.25, "tomllib parse of the file"))
    print(f"first lookup: {t_cold:.2f} s, tomllib parse {t_parse:.2f} s", flush=True)
    # a name, not an id: the exact-name table is needed too (worked out alongside the compile
    # where there are two cores, else at the first query by name)
    big_name = [*WOCLI, "--data", str(overlay), "person", "Alexander Shlyapnikov"]
    t_name, t_parse_name = alternately(lambda: cold(big_name, env, cache), parse, args.cold_runs)
    rows.append((f"first lookup by name, {label}", t_name, t_parse_name, 0.25,
                 "tomllib parse of the file"))  # fmt: skip
    print(f"first lookup by name: {t_name:.2f} s", flush=True)
    t_index, t_parse2 = alternately(first_fuzzy, parse, args.cold_runs)
    rows.append((f"first fuzzy search (index build), {label}", t_index, t_parse2, 0.2,
                 "tomllib parse of the file"))  # fmt: skip
    print(f"first fuzzy search: {t_index:.2f} s", flush=True)
    if shutil.which("taskset"):  # one core: the index is built by one process (see shards)

        def first_fuzzy_one_core() -> float:
            cold(big, env, cache)
            return wall(["taskset", "-c", "0", *big_fuzzy], env)

        t_one, t_parse4 = alternately(first_fuzzy_one_core, parse, args.cold_runs)
        rows.append(("(comparison) the same on one core (`taskset -c 0`)", t_one, t_parse4, None,
                     "tomllib parse of the file"))  # fmt: skip
        print(f"first fuzzy search, one core: {t_one:.2f} s", flush=True)
    shutil.rmtree(cache, ignore_errors=True)
    peaks.append(("first lookup (compiling the base)", peak_mib(big, env), 250))
    peaks.append(("first fuzzy search (building the index)", peak_mib(big_fuzzy, env), 250))
    peaks.append(("later lookup or search", max(peak_mib(big, env), peak_mib(big_fuzzy, env)),
                  300))  # fmt: skip
    shutil.rmtree(cache, ignore_errors=True)
    peaks.append(("first lookup by name (the base and its exact names)", peak_mib(big_name, env),
                  250))  # fmt: skip
    ratio("later lookup, with the overlay", big, lookup, 1.1)
    ratio("later fuzzy search, with the overlay", big_fuzzy, fuzzy, 1.5)

    as_json = out / f"real-{args.n}.json"
    if not as_json.exists():
        write_json(as_json, args.n)
    big_json = [*WOCLI, "--data", str(as_json), "person", "shlyapnikov"]
    t_json, t_parse3 = alternately(lambda: cold(big_json, env, cache), parse, args.cold_runs)
    rows.append((f"first lookup, the same as JSON ({as_json.stat().st_size / 2**20:.0f} MiB)",
                 t_json, t_parse3, None, "tomllib parse of the TOML file"))  # fmt: skip
    shutil.rmtree(cache, ignore_errors=True)
    peaks.append(("first lookup, JSON overlay", peak_mib(big_json, env), 250))

    if args.full:
        full = out / f"full-{args.n}.toml"
        if not full.exists():
            print(f"writing {full} ...", flush=True)
            write_toml(full, args.n, full=True)
        big_full = [*WOCLI, "--data", str(full), "person", "shlyapnikov"]
        t_full = cold(big_full, env, cache)
        t_parse_full = wall([PY, "-c", f"import tomllib; tomllib.load(open({str(full)!r}, 'rb'))"],
                            env)  # fmt: skip
        mib = full.stat().st_size / 2**20
        rows.append((f"first lookup, {args.n:,} full records ({mib:.0f} MiB), one run", t_full,
                     t_parse_full, None, "tomllib parse of the file"))  # fmt: skip
        shutil.rmtree(cache, ignore_errors=True)
        peaks.append(("first lookup, full records", peak_mib(big_full, env), 250))
        shutil.rmtree(cache, ignore_errors=True)
        full_name = [*WOCLI, "--data", str(full), "person", "Alexander Shlyapnikov"]
        peaks.append(("first lookup by name, full records", peak_mib(full_name, env), 250))


def write_results(
    args: argparse.Namespace, rows: list[Row], peaks: list[tuple[str, float, float]]
) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} by `python bench/bench_cli.py --runs {args.runs}"
        f" --n {args.n}{' --full' if args.full else ''}` on {machine()}. Medians of {args.runs}"
        f" runs after a warm-up ({args.cold_runs} for cold runs); output piped; commands and "
        "floors interleaved.",
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
    for label, mib, budget in peaks:
        within = "yes" if mib <= budget else "**no**"
        lines.append(f"| peak memory, {label} | {mib:.0f} MiB | | | {budget} MiB | | {within} |")
    lines.append("")
    (HERE / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
