"""The plain lookups and searches run without typer (runner.plain_lookup), and say exactly
what typer says.

Each command line below runs twice as a process: as the console script runs it, and with
the shortcut switched off so that the typer app answers. stdout, stderr and the exit code
must be the same bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wocli.runner import global_first, plain_lookup

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = str(FIXTURES / "hostile.toml")
CLASHING = str(FIXTURES / "mini.toml")
NOT_TOML = str(FIXTURES / "broken" / "not-toml.toml")

PLAIN = "import sys; from wocli import entry; entry.main()"
VIA_TYPER = (
    "import sys; from wocli import entry, runner; runner.plain_lookup = lambda argv: None; "
    "entry.main()"
)


def imported(*modules: str) -> str:
    """Code that runs the console script, then prints which of `modules` it imported."""
    return (  # a lookup ends with os._exit: made SystemExit here, to look at the modules
        "import os, sys; from wocli import entry\nos._exit = sys.exit\n"
        "try:\n    entry.main()\nexcept SystemExit as done:\n    code = done.code\n"
        f"print(sorted({set(modules)!r} & set(sys.modules)), file=sys.stderr)\n"
        "sys.exit(code)"
    )


WITHOUT_TYPER = imported("typer", "click", "gettext")

CASES: list[tuple[list[str], dict[str, str], int]] = [
    # the command line, the environment's changes ("" unsets), the exit code it must give
    (["person", "shlyapnikov"], {}, 0),
    (["person", "shlyapnikov", "--json"], {}, 0),
    (["person", "shlyapnokov"], {}, 0),  # a typo, found by fuzzy matching
    (["person", "alexander"], {}, 1),  # ambiguous: the candidates on stderr
    (["person", "alexander", "--json"], {}, 1),  # ... and as JSON on stdout
    (["person", "tenth congress"], {}, 1),  # not found; it names an event
    (["person", "tenth congress", "--json"], {}, 1),
    (["person", "zzzqqq"], {}, 1),  # nothing close
    (["person", ""], {}, 2),  # an empty query is a usage error
    (["group", "workers"], {}, 1),
    (["event", "tenth congress"], {}, 0),
    (["vote", "moscow conference 1921", "--json"], {}, 0),
    (["term", "militarization of labor"], {}, 0),
    (["work", "allen2015"], {}, 0),
    (["person", "[bold]x\x1b[31m"], {}, 1),  # markup and escapes in a query, shown harmless
    (["--lang", "ru", "person", "Шляпникова"], {}, 0),
    (["person", "Троцкого", "--lang=ru"], {}, 0),
    (["person", "несуществующий"], {"WOCLI_LANG": "ru"}, 1),
    (["person", "alexander"], {"LANG": "ru_RU.UTF-8"}, 1),
    (["--data", HOSTILE, "person", "hostile"], {}, 0),  # an overlay with hostile text
    (["person", "hostile", f"--data={HOSTILE}", "--json"], {}, 0),
    (["--data", CLASHING, "person", "kollontai"], {}, 2),  # an invalid overlay
    (["--data", NOT_TOML, "person", "kollontai", "--json"], {}, 2),
    (["--data", "no-such-file.toml", "person", "kollontai"], {}, 2),
    (["person", "kollontai"], {"WOCLI_DATA": HOSTILE}, 0),
    (["person", "shlyapnikov"], {"NO_COLOR": ""}, 0),  # piped, without NO_COLOR: still plain
    (["person", "alexander"], {"FORCE_COLOR": "1", "NO_COLOR": "", "COLUMNS": "60"}, 1),
    (["person", "shlyapnikov"], {"FORCE_COLOR": "1", "NO_COLOR": "", "PAGER": "cat"}, 0),
    (["person", "Шляпников"], {"PYTHONIOENCODING": "ascii"}, 0),
    (["search", "democratic centralists"], {}, 0),
    (["search", "shlapnikov", "--json"], {}, 0),  # fuzzy
    (["search", "zzzqqq"], {}, 1),
    (["search", "zzzqqq", "--json"], {}, 1),  # an empty list a script can read
    (["search", " "], {}, 2),
    (["search", "Шляпникова", "--lang", "ru"], {}, 0),
    (["--data", HOSTILE, "search", "hostile"], {}, 0),
    (["--data", NOT_TOML, "search", "hostile"], {}, 2),
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def environ(cache: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "80", "LINES": "40"}
    env.update({"NO_COLOR": "1", "LANG": "en_GB.UTF-8", "PYTHONIOENCODING": "utf-8"})
    for name in ("WOCLI_DATA", "WOCLI_LANG", "FORCE_COLOR", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    env.update(extra)
    return {name: value for name, value in env.items() if value}  # "" means unset


def wocli(code: str, args: list[str], env: dict[str, str]) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, env=env, timeout=120
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(("args", "extra", "exit_code"), CASES)
def test_a_plain_lookup_says_what_typer_says(
    args: list[str], extra: dict[str, str], exit_code: int, cache: Path
) -> None:
    assert plain_lookup(global_first(args)) is not None  # or this compares typer with itself
    env = environ(cache, extra)
    plain = wocli(PLAIN, args, env)
    assert plain == wocli(VIA_TYPER, args, env)
    assert plain[0] == exit_code
    assert plain[2 if exit_code else 1]  # the record, or what went wrong


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["person", "shlyapnikov"], 0),
        (["person", "shlyapnikov", "--json"], 0),
        (["--lang", "ru", "person", "Шляпников"], 0),
        (["--data", HOSTILE, "person", "nobody-at-all"], 1),
        (["search", "democratic centralists"], 0),
    ],
)
def test_a_plain_lookup_imports_neither_typer_nor_click(
    args: list[str], exit_code: int, cache: Path
) -> None:
    """Nor, in English, gettext: an English lookup pays nothing for the translations."""
    code, out, err = wocli(WITHOUT_TYPER, args, environ(cache, {}))
    assert (code, bool(out)) == (exit_code, exit_code == 0)  # the lookup ran to its end
    russian = "--lang" in args
    assert err.decode().splitlines()[-1] == ("['gettext']" if russian else "[]")


def test_a_person_lookup_imports_neither_pathlib_nor_rich_table(cache: Path) -> None:
    """Neither is needed for a panel the cache serves, and each cost it some 3 ms."""
    code, out, err = wocli(
        imported("pathlib", "rich.table"), ["person", "kollontai"], environ(cache, {})
    )
    assert (code, bool(out)) == (0, True)
    assert err.decode().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    "args",
    [
        ["person", "--help"],
        ["person", "shlyapnikov", "--help"],
        ["person", "-h", "shlyapnikov"],
        ["person"],
        ["person", "shlyapnikov", "extra"],
        ["person", "shlyapnikov", "--format", "json"],
        ["person", "shlyapnikov", "--no-pager"],
        ["person", "shlyapnikov", "--json", "--json"],
        ["person", "-shlyapnikov"],
        ["person", "--", "shlyapnikov"],
        ["--json", "person", "shlyapnikov"],
        ["--lang", "fr", "person", "shlyapnikov"],
        ["--lang=", "person", "shlyapnikov"],
        ["--version", "person", "shlyapnikov"],
        ["--database", "x", "person", "shlyapnikov"],
        ["people"],
        ["search", "shlyapnikov", "--kind", "person"],
        ["search", "shlyapnikov", "--limit=3"],
        ["search", "--help"],
        ["browse", "shlyapnikov"],
        ["cite", "allen2015"],
        ["vote", "tula", "--chart", "tula.svg"],
        ["persons", "shlyapnikov"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert plain_lookup(global_first(args)) is None


def test_global_options_anywhere_are_read() -> None:
    found = plain_lookup(global_first(["person", "x", "--data", "a.toml", "--lang=ru", "--json"]))
    assert found is not None
    assert (found.command, found.query, found.json, found.data) == (
        "person",
        "x",
        True,
        ("a.toml",),
    )
    twice = plain_lookup(["--data=a.toml", "--data", "b.json", "search", "allen"])
    assert twice is not None and twice.data == ("a.toml", "b.json")
    assert twice.json is False


def test_a_completion_request_is_never_taken_for_a_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_WOCLI_COMPLETE", "complete_bash")
    assert plain_lookup(["person", "shlyapnikov"]) is None


def test_plain_kinds_are_the_singular_commands() -> None:
    from wocli.cli import SINGULAR, app, command_name
    from wocli.model import KIND_PLURAL

    singular = {kind for kind, *_ in SINGULAR}
    assert set(KIND_PLURAL) == singular
    assert singular <= {command_name(c) for c in app.registered_commands}


@pytest.mark.parametrize("code", [PLAIN, VIA_TYPER])
@pytest.mark.parametrize("unbuffered", ["1", ""])
def test_a_closed_pipe_ends_the_same_quiet_way(code: str, unbuffered: str, cache: Path) -> None:
    """A reader that left before anything was written (`| true`): as typer ends a command
    when a write fails, exit 1; when only the last flush fails, 0. Never a word on stderr."""
    env = environ(cache, {"PYTHONUNBUFFERED": unbuffered})
    wocli(PLAIN, ["person", "shlyapnikov"], env)  # the base compiled: the next run is quick
    read, write = os.pipe()
    os.close(read)  # nobody will read
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, "person", "shlyapnikov"],
            stdout=write,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1 if unbuffered else 0, b"")


@pytest.mark.parametrize("code", [PLAIN, VIA_TYPER])
def test_ctrl_c_exits_130_quietly_either_way(code: str, cache: Path) -> None:
    interrupted = (
        "from wocli import store\n"
        "def load(*args, **kwargs): raise KeyboardInterrupt\n"
        f"store.load = load\n{code}"
    )
    done = wocli(interrupted, ["person", "shlyapnikov"], environ(cache, {}))
    assert done == (130, b"", b"Interrupted.\n")
