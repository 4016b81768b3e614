"""Shell completion answered without typer: the same reply, byte for byte, as typer's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wocli.completion import answer

TYPER = [sys.executable, "-c", "from wocli.runner import main; main()"]  # no fast path
FAST = [sys.executable, "-m", "wocli"]  # the console script's entry point


def run(cmd: list[str], env: dict[str, str]) -> tuple[int, str]:
    done = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True)
    return done.returncode, done.stdout


def request(shell: str, line: str, fish_action: str = "get-args") -> dict[str, str]:
    if shell == "bash":
        words = line.split(" ")
        return {"_WOCLI_COMPLETE": "complete_bash", "COMP_WORDS": line,
                "COMP_CWORD": str(len(words) - 1)}  # fmt: skip
    return {
        "_WOCLI_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": line,
        "_TYPER_COMPLETE_WORD_TO_COMPLETE": line.rsplit(" ", 1)[-1],
        "_TYPER_COMPLETE_FISH_ACTION": fish_action,
    }


LINES = ["wocli person shl", "wocli person ", "wocli --data x.toml group w", "wocli cite all",
         "wocli term zzz", "wocli --data {overlay} person zz", "wocli --data={overlay} person "]  # fmt: skip


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell", "pwsh"])
def test_the_same_reply_as_typer(shell: str, tmp_path: Path) -> None:
    overlay = tmp_path / "mine.toml"
    overlay.write_text(
        '[people.zz-new]\nname = "Zed New"\nsummary = "S."\nsources = [{ work = "allen2015" }]\n',
        encoding="utf-8",
    )
    for line in LINES:
        env = request(shell, line.format(overlay=overlay))
        typer_reply = run(TYPER, env)
        assert run(FAST, env) == typer_reply, line
        if line == "wocli person shl":
            assert "shlyapnikov" in typer_reply[1]
        if line.endswith("person zz"):
            assert "zz-new" in typer_reply[1]  # --data counts while completing


def test_fish_asks_whether_there_are_arguments() -> None:
    for line, code in (("wocli person shl", 0), ("wocli person zzz", 1)):
        env = request("fish", line, "is-args")
        assert run(FAST, env) == run(TYPER, env) == (code, "")


def test_bash_reply_in_full() -> None:
    from wocli.store import load

    load()  # the compiled base the reply is read from
    env = request("bash", "wocli person k")
    reply = answer(env)
    assert reply == ("kiselyov\nkollontai\nkopylov\nkrestinsky\nkutuzov\nkuznetsov", 0)


@pytest.mark.parametrize(
    "line", ["wocli pers", "wocli person --js", "wocli person shlyapnikov ", "wocli cite --style a"]
)
def test_other_requests_are_left_to_typer(line: str) -> None:
    assert answer(request("bash", line)) is None
    assert answer(request("zsh", line)) is None


def test_typer_is_not_imported_to_complete_an_id() -> None:
    probe = (
        "import sys\nfrom wocli import entry\ntry:\n    entry.main()\nexcept SystemExit:\n"
        "    pass\nprint(sorted({'typer', 'click', 'rich'} & set(sys.modules)), file=sys.stderr)"
    )
    env = {**os.environ, **request("bash", "wocli person shl")}
    assert run(FAST, env) == (0, "shlyapnikov\n")  # typer's answer, compiling the base
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert (done.stdout, done.stderr) == ("shlyapnikov\n", "[]\n")


def test_commands_name_the_kinds_the_model_has() -> None:
    from wocli.completion import COMMANDS
    from wocli.model import KIND_PLURAL

    assert COMMANDS == {**KIND_PLURAL, "cite": "works"}


def test_before_the_base_is_compiled_typer_answers() -> None:
    assert answer(request("bash", "wocli person shl")) is None


def bash_words(line: str) -> list[str]:
    return run(FAST, request("bash", line))[1].split()


def test_cite_for_completes_kinds_then_ids_of_that_kind() -> None:
    assert bash_words("wocli cite --for pe") == ["person:"]
    assert set(bash_words("wocli cite --for v")) == {"vote:"}
    assert "person:shlyapnikov" in bash_words("wocli cite --for person:shl")
    assert all(w.startswith("vote:tula") for w in bash_words("wocli cite --for vote:tula"))
    assert bash_words("wocli cite --for nosuch:x") == []


def test_search_kind_completes_the_kinds() -> None:
    assert set(bash_words("wocli search x --kind ")) == {
        "person", "group", "event", "vote", "work", "term",
    }  # fmt: skip


def test_style_completion_puts_the_common_styles_first() -> None:
    words = bash_words("wocli cite allen2015 --style ")
    assert words.index("apa") < 10 and words.index("chicago") < 10
    assert words.index("mla") < words.index("acm-sig-proceedings")


@pytest.mark.parametrize(
    ("shell", "marker"), [("zsh", "#compdef wocli"), ("fish", "complete --command wocli")]
)
def test_show_completion_prints_the_named_shells_script(shell: str, marker: str) -> None:
    done = subprocess.run([*FAST, "--show-completion", shell], capture_output=True, text=True)
    assert done.returncode == 0
    assert marker in done.stdout
    assert "_WOCLI_COMPLETE" in done.stdout
