"""The documentation cannot drift from the code: set-up commands, commands, schema, contract."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA_DOC = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
Cli = Callable[..., Result]


def test_readme_starts_with_the_two_set_up_commands_and_ci_runs_the_second() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None and README.index("```sh") < README.index("## ")
    commands = first_block.group(1).strip().splitlines()
    assert len(commands) == 2
    install, test = commands
    assert "pip install ." in install and "wocli person" in install
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_part = test.split("&&", 2)[-1].strip()  # after creating and activating the venv
    assert test_part == "pip install '.[test]' && pytest"
    assert test_part in ci


def test_every_command_is_in_the_readme_tour() -> None:
    from wocli.cli import app, command_name

    for command in app.registered_commands:
        assert f"wocli {command_name(command)}" in README, command_name(command)


def test_the_contributing_example_validates(cli: Cli, tmp_path: Path) -> None:
    block = re.search(r"```toml\n(.*?)```", DATA_DOC.split("## Contributing facts")[1], re.S)
    assert block is not None
    overlay = tmp_path / "mine.toml"
    overlay.write_text(re.sub(r"^   ", "", block.group(1), flags=re.M), encoding="utf-8")
    result = cli("check", str(overlay))
    assert result.code == 0, result.err


def test_every_field_of_the_schema_is_documented() -> None:
    from wocli.validate import COMMON, FIELDS

    for name in [*COMMON, *(f for fields in FIELDS.values() for f in fields)]:
        assert f"`{name}`" in DATA_DOC, name


def test_every_json_key_is_in_the_readme_contract(cli: Cli) -> None:
    contract = README.split("## The JSON contract")[1].split("\n## ")[0]
    data = json.loads(cli("export", "--format", "json").out)
    keys = {key for kind in data if kind != "schema" for rec in data[kind] for key in rec}
    keys |= set(json.loads(cli("person", "kollontai", "--json").out))
    keys |= set(json.loads(cli("search", "kollontai", "--json").out)["results"][0])
    for key in keys:
        assert f"`{key}`" in contract or f'"{key}"' in contract, key


def tour_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.split("## A short tour")[1], re.S)
    lines = [
        line.split("  #")[0].split(" > ")[0].strip() for b in blocks for line in b.splitlines()
    ]
    # --serve runs until stopped (tests/test_site.py tries it)
    skip = ("my-facts.toml", "--serve")
    return [
        line for line in lines if line.startswith("wocli ") and not any(s in line for s in skip)
    ]


def test_every_tour_example_works(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    monkeypatch.chdir(tmp_path)  # the examples that write files (charts, a site) write here
    commands = tour_commands()
    assert len(commands) >= 20
    for command in commands:
        result = cli(*shlex.split(command)[1:])
        assert result.code == 0, (command, result.err)
        assert result.out.strip(), command
