"""Hostile files and input: a clear message and the right exit code, never a traceback or an escape."""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, Result, write

Cli = Callable[..., Result]
BROKEN = FIXTURES / "broken"
HOSTILE = FIXTURES / "hostile.toml"
# What a terminal could obey: C0 controls but tab and newline, DEL, C1 controls, bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

BROKEN_CASES = {
    # tomllib's own wording varies between Python versions: the start is ours.
    "not-toml.toml": ["line 1, column 6: not valid TOML: "],
    "not-utf8.toml": ["line 2: not UTF-8 text (byte 19)"],
    "wrong-shape-kind.toml": ["people: must be a table of records like [people.some-id]"],
    "wrong-shape-record.toml": ["people.x: must be a table of fields, not an integer"],
    "array-of-tables.toml": ["people: must be a table of records like [people.some-id]"],
    "nested-csl.toml": ["works.deep.csl.note: is nested more than 16 levels deep"],
    "nested-too-deep.toml": ["nested too deeply to read"],
    "dates-out-of-range.toml": [
        "people.y.born: '99999' is not a valid date (expected EDTF such as 1921-03-08)",
        "people.y.died: '1921-02-29' is not a valid date (no day 29 in that month)",
        "works.z.csl.issued: [1921, 13] is not a real date",
    ],
    "toml-datetime.toml": ["people.t.born: must be a string, not a TOML date"],
    "negative-tally.toml": [
        "votes.v.tallies[1].votes: -1 is not a non-negative integer",
        "votes.v.tallies[2].votes: 'many' is not a non-negative integer",
    ],
}


def test_every_broken_fixture_has_an_expected_message() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.toml")) == sorted(BROKEN_CASES)


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_broken_overlay_gives_one_line_per_problem_and_exit_2(cli: Cli, name: str) -> None:
    path = BROKEN / name
    for args in (("check", str(path)), ("--data", str(path), "person", "shlyapnikov")):
        result = cli(*args)
        assert result.code == 2
        assert result.out == ""
        lines = result.err.splitlines()
        assert len(lines) == len(BROKEN_CASES[name])
        for line, expected in zip(lines, BROKEN_CASES[name], strict=True):
            assert line.startswith(f"{path}: {expected}")
            assert expected.endswith(": ") or line == f"{path}: {expected}"


def test_missing_file_and_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli("--data", str(tmp_path / "nope.toml"), "--data", str(tmp_path), "people")
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{tmp_path / 'nope.toml'}: no such file",
        f"{tmp_path}: is a folder, not a TOML file",
    ]


def test_unreadable_file(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "")
    real = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)  # chmod would not stop root, who runs CI
    result = cli("check", str(path))
    assert (result.code, result.err) == (2, f"{path}: permission denied\n")


def test_absurdly_large_file(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WOCLI_MAX_OVERLAY", "2M")
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# padding\n" * (300 * 1024))  # 3 MiB
    result = cli("check", str(path))
    assert (result.code, result.err) == (
        2,
        f"{path}: 3 MiB is over the 2 MiB limit "
        "(set WOCLI_MAX_OVERLAY to a larger size in bytes, such as WOCLI_MAX_OVERLAY=4G)\n",
    )
    monkeypatch.setenv("WOCLI_MAX_OVERLAY", str(4 * 2**20))
    assert cli("check", str(path)).code == 0


def test_bundled_data_is_unaffected_by_a_broken_overlay(cli: Cli) -> None:
    assert cli("--data", str(BROKEN / "not-toml.toml"), "people").code == 2
    assert cli("person", "shlyapnikov").code == 0


def assert_harmless(text: str) -> None:
    found = UNSAFE.findall(text)
    assert not found, f"raw control characters reached the output: {found!r}"


@pytest.mark.parametrize(
    "args",
    [
        ("person", "hostile"),
        ("people",),
        ("event", "hostile-event"),
        ("vote", "hostile-vote"),
        ("votes",),
        ("timeline", "--from", "1921-03", "--to", "1921-03"),
        ("search", "evil red"),
        ("group", "workers-opposition"),
    ],
)
def test_text_from_data_never_acts_on_the_terminal(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli("--data", str(HOSTILE), *args)
    assert result.code == 0, result.err
    assert_harmless(result.out)
    assert_harmless(result.err)


def test_markup_in_data_is_shown_literally_and_escapes_visibly(cli: Cli) -> None:
    out = cli("--data", str(HOSTILE), "person", "hostile").out
    assert "[bold red]Evil[/bold red]" in out
    assert "\\x1b[31mRed" in out
    assert "\\u202e" in out
    assert ":skull: [blink]role[/blink]" in out
    vote = cli("--data", str(HOSTILE), "vote", "hostile-vote").out
    assert "[red]Against" in vote
    assert "\\x1b[32mFor" in vote


def test_json_stays_exact(cli: Cli) -> None:
    result = cli("--data", str(HOSTILE), "person", "hostile", "--json")
    assert_harmless(result.out)
    data = json.loads(result.out)
    assert data["name"].startswith("[bold red]Evil[/bold red] \x1b[31mRed")
    assert data["name_ru"] == "\u202eвоклаз\u202c \x9b31m"


def test_query_text_in_messages_is_harmless_and_short(cli: Cli) -> None:
    result = cli("person", "\x1b]0;title\x07\u202e" + "z" * 500)
    assert result.code == 1
    assert_harmless(result.err)
    assert len(result.err.splitlines()[0]) < 120


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "a" * 100_000,
        "\x00\x1b[31m",
        "😀🚩",
        ".*[(?",
        "%s{0}%n",
        "\udcff",
        "'; DROP TABLE records; --",
    ],
)
def test_bad_queries_get_an_answer_or_a_usage_error(cli: Cli, query: str) -> None:
    for command in ("search", "person", "vote", "work"):
        result = cli(command, query)
        assert result.code in (0, 1, 2), (command, query)
        assert_harmless(result.out + result.err)
        assert "Traceback" not in result.err


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=60))
def test_no_query_crashes(cli: Cli, query: str) -> None:
    for command in ("search", "person"):
        result = cli(command, query)
        assert result.code in (0, 1, 2)
        assert_harmless(result.out + result.err)


TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=TEXT, summary=TEXT, alias=TEXT, born=TEXT)
def test_no_overlay_content_crashes(
    cli: Cli,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    summary: str,
    alias: str,
    born: str,
) -> None:
    def toml(value: str) -> str:  # a JSON string with these escapes is a TOML basic string
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")

    path = tmp_path_factory.mktemp("o") / "o.toml"
    path.write_text(
        f"[people.fuzzed]\nname = {toml(name)}\nsummary = {toml(summary)}\n"
        f"aliases = [{toml(alias)}]\nborn = {toml(born)}\n"
        'sources = [{ work = "wikipedia-workers-opposition" }]\n',
        encoding="utf-8",
    )
    for args in (("person", "fuzzed"), ("people",), ("check",)):
        result = cli("--data", str(path), *args)
        assert result.code in (0, 1, 2)
        assert_harmless(result.out + result.err)


def test_interrupt_exits_130_quietly(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("wocli.store.load", interrupted)
    result = cli("person", "shlyapnikov")
    assert (result.code, result.out, result.err) == (130, "", "Interrupted.\n")


def test_interrupt_while_loading_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from wocli import entry

    real_import = builtins.__import__

    def interrupted(name: str, *args: object, **kwargs: object) -> object:
        if name == "cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.delitem(sys.modules, "wocli.cli")
    monkeypatch.setattr(builtins, "__import__", interrupted)
    monkeypatch.setattr(gc, "disable", lambda: None)  # what entry.main does to a whole process
    with pytest.raises(SystemExit) as info:
        entry.main()
    assert info.value.code == 130


def wocli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wocli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "wocli", "export", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert err == ""


@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}]
)
def test_non_utf8_output_does_not_crash_on_cyrillic(env: dict[str, str]) -> None:
    shown = wocli("person", "shlyapnikov", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Alexander Shlyapnikov" in shown.stdout
    assert "\\u0428\\u043b\\u044f\\u043f" in shown.stdout  # Шляп, escaped before layout:
    assert {len(line) for line in shown.stdout.splitlines()} == {80}  # the frame stays whole
    listed = wocli("people", env=env)
    rows = [line for line in listed.stdout.splitlines() if "|" in line]
    assert (
        len(rows) > 30
        and len({tuple(m.start() for m in re.finditer("[|+]", r)) for r in rows}) == 1
    )
    as_json = wocli("person", "Шляпников", "--json", env=env)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["name_ru"] == "Александр Гаврилович Шляпников"


def test_an_overlay_that_is_not_a_regular_file_is_refused(cli: Cli) -> None:
    result = cli("--data", "/dev/zero", "person", "shlyapnikov")  # would be read forever
    assert (result.code, result.out) == (2, "")
    assert result.err == "/dev/zero: not a regular file\n"
