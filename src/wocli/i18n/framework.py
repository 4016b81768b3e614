"""typer's and click's own words, in the interface's language.

typer looks up a few of its strings (section headings, "[required]", "No such command") with
gettext; the rest of its help and its usage errors are plain English in its vendored click. We
route the first to our catalog, give the help option and the usage prefix our wording, and
translate the usage errors by their shape. Only imported when the language is not English.
typer is pinned below 0.29 in pyproject.toml; tests/test_i18n.py fails if these hooks move.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import N_, _

# typer's own gettext strings, listed here so that pybabel puts them in wocli's catalog.
TYPER_STRINGS = [
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
]

# Usage errors as click words them, and the catalog message for each; groups become fields.
_MESSAGES: list[tuple[re.Pattern[str], Callable[[], str]]] = [
    (re.compile(r"^Missing argument (?P<name>.+)\.$"), lambda: _("Missing argument {name}.")),
    (re.compile(r"^Missing option (?P<name>.+)\.$"), lambda: _("Missing option {name}.")),
    (re.compile(r"^No such option: (?P<name>\S+)$"), lambda: _("No such option: {name}")),
    (
        re.compile(r"^No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)$"),
        lambda: _("No such option: {name} (possible options: {options})"),
    ),
    (re.compile(r"^No such command (?P<name>.+)\.$"), lambda: _("No such command {name}.")),
    (
        re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$"),
        lambda: _("Unexpected extra arguments ({args})"),
    ),
    (
        re.compile(r"^Option (?P<name>'[^']*') requires an argument\.$"),
        lambda: _("Option {name} requires a value."),
    ),
    (
        re.compile(r"^Option (?P<name>'[^']*') does not take a value\.$"),
        lambda: _("Option {name} does not take a value."),
    ),
    (
        re.compile(
            r"^Invalid value for (?P<name>'[^']*'): (?P<value>.+) is not a valid integer\.$"
        ),
        lambda: _("Invalid value for {name}: {value} is not a whole number."),
    ),
    (
        re.compile(
            r"^Invalid value for (?P<name>'[^']*'): (?P<value>.+) is not a valid int range\.$"
        ),
        lambda: _("Invalid value for {name}: {value} is not a whole number."),
    ),
    (
        re.compile(
            r"^Invalid value for (?P<name>'[^']*'): (?P<value>.+) is not in the range "
            r"(?P<range>\S+)\.$"
        ),
        lambda: _("Invalid value for {name}: {value} is not in the range {range}."),
    ),
    (
        re.compile(r"^Invalid value for (?P<name>'[^']*'): (?P<reason>.+)$"),
        lambda: _("Invalid value for {name}: {reason}"),
    ),
]


_SUGGESTION = re.compile(r"^(?P<head>.*?)\.? Did you mean (?P<names>.+)\?$")


def message(text: str) -> str:
    """A usage error's text from click, in the interface's language where its shape is known."""
    from . import DEFAULT, language

    if language() == DEFAULT:
        return text
    suggested = _SUGGESTION.match(text)  # typer adds "Did you mean ...?" to a mistyped command
    if suggested:
        head = message(suggested["head"] + ".")
        return head + " " + _("Did you mean: {names}?").format(names=suggested["names"])
    for pattern, translated in _MESSAGES:
        found = pattern.match(text)
        if found:
            return translated().format(**found.groupdict())
    return text


def translate_typer() -> None:
    """Make typer's help screens speak the interface's language."""
    import typer.completion
    import typer.core
    from typer._click import decorators, formatting

    typer.core._ = _  # type: ignore[attr-defined]  # its gettext lookups: headings, [required]

    write_usage = formatting.HelpFormatter.write_usage

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]

    help_option = decorators.help_option

    def translated_help_option(names: list[str]) -> Callable[[Any], Any]:
        add = help_option(names)

        def apply(command: Any) -> Any:
            added = add(command)
            command.params[-1].help = _("Show this message and exit.")
            return added

        return apply

    decorators.help_option = translated_help_option  # type: ignore[assignment]

    helps = {
        "install_completion": _("Install completion for the current shell."),
        "show_completion": _("Show completion for the current shell, to copy it or customise "
                             "the installation."),
    }  # fmt: skip
    for function in (
        typer.completion._install_completion_placeholder_function,
        typer.completion._install_completion_no_auto_placeholder_function,
    ):
        for name, default in zip(
            function.__code__.co_varnames, function.__defaults__ or (), strict=False
        ):
            if name in helps:
                default.help = helps[name]
