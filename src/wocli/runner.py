"""Running wocli as a process: the one place where errors become messages and exit codes.

`run(argv)` sends the command line where it goes: the plain lookups typed most (`wocli person
shlyapnikov`, `wocli search "democratic centralists"`: see `plain_lookup`) straight to their
command's body in `lookup.py`, without importing typer (some 30 ms); everything else to the
typer app (`cli.py`, assembled with only the command about to run, when plain). Either way
it runs with a fresh `Environment`, and every outcome becomes an exit code: 0 found, 1
nothing found, 2 usage error or invalid data, 130 interrupted. A broken pipe ends quietly;
output that cannot be written is one line on stderr.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from .environment import Environment
from .errors import ExitCode, WocliError
from .i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    import typer


def main(argv: list[str] | None = None) -> None:
    """The console script: run and exit with the code."""
    args = sys.argv[1:] if argv is None else argv
    code = run(args)
    _quiet_broken_pipe()
    if plain_lookup(global_first(args)) is not None:
        _exit_now(code)
    sys.exit(code)


def _exit_now(code: int) -> None:
    """End the process without tearing the interpreter down, which frees every module,
    class and function one by one (~2 ms of a ~65 ms lookup). Only after a plain lookup:
    its output is flushed by now, and it leaves no file open for writing, no thread
    running, nothing for an exit handler to do."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def run(argv: list[str] | None = None, environment: Environment | None = None) -> int:
    """Run the CLI with `argv` (default: the process's) and return the exit code."""
    from .render.output import tolerate_encodings

    tolerate_encodings()
    argv = global_first([_utf8_argument(a) for a in (sys.argv[1:] if argv is None else argv)])
    _choose_language(argv)
    return _exit_code(lambda: _dispatch(argv, environment or Environment()))


def _dispatch(argv: list[str], environment: Environment) -> int:
    """Where a command line goes."""
    if len(argv) == 2 and argv[0] == "--show-completion":  # for a shell named, not guessed
        return _show_completion(argv[1])
    lookup = plain_lookup(argv)
    if lookup is None:
        return _run_typer(argv, environment)
    from .lookup import SEARCH_LIMIT, search_records, show_record

    environment.data = lookup.data  # what the typer app's callback does with --data
    query, json = lookup.query, lookup.json  # and the commands' defaults for the rest
    try:
        if lookup.command == "search":
            search_records(environment, query, None, SEARCH_LIMIT, fmt=None, json=json, pager=True)
        else:
            show_record(environment, lookup.command, query, fmt=None, json=json, pager=True)
    except BrokenPipeError:  # the reader left while it was written: 1, as typer ends any command
        return 1
    return ExitCode.OK


def _exit_code(command: Callable[[], int]) -> int:
    """Run `command` and turn whatever happens into an exit code, reporting errors on stderr."""
    import contextlib

    code: int = ExitCode.OK
    try:
        code = command()
        sys.stdout.flush()
    except WocliError as exc:
        code = exc.exit_code
        with contextlib.suppress(OSError, ValueError):  # stderr full or closed: the code tells
            _report(exc)
    except KeyboardInterrupt:
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        code = ExitCode.OK
    except OSError as exc:  # the output cannot be written: a full disk, a closed terminal
        message = _("wocli: cannot write the output: {reason}").format(reason=exc.strerror or exc)
        code = ExitCode.USAGE  # also where stderr is what failed, writing a usage error
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(message + "\n")
    if code == ExitCode.INTERRUPTED:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(_("Interrupted.") + "\n")
    return code


def _run_typer(argv: list[str], environment: Environment) -> int:
    """The typer app's answer: any command, --help, --version, and typer's own usage errors."""
    import typer

    from . import i18n

    if i18n.language() != i18n.DEFAULT:
        from .i18n.framework import translate_typer

        translate_typer()
    app = _app_for(argv)
    try:
        result = app(args=argv, prog_name="wocli", standalone_mode=False, obj=environment)
    except typer.Exit as exc:  # --help, --version, and Ctrl-C (typer turns it into Exit(130))
        return exc.exit_code
    except typer.TyperException as exc:  # usage errors found while parsing arguments
        _report_usage(exc)
        return ExitCode.USAGE
    except typer.Abort:
        return ExitCode.INTERRUPTED
    return result if isinstance(result, int) else ExitCode.OK


class Lookup(NamedTuple):
    """A plain `wocli [--data PATH]... [--lang LANG] COMMAND QUERY [--json]`."""

    command: str  # a kind of record (`wocli person QUERY`), or "search"
    query: str
    json: bool
    data: tuple[str, ...]


def plain_lookup(argv: list[str]) -> Lookup | None:
    """The lookup or search `argv` (global options first) asks for, if it is one of the plain
    forms that need nothing of typer; None for anything else (--help, any other option, a
    second argument, a query that starts with "-", a --lang typer would refuse), which typer
    runs."""
    import os

    from .completion import COMPLETE_VAR
    from .i18n import LANGUAGES
    from .model import KIND_PLURAL

    if COMPLETE_VAR in os.environ:
        return None
    data: list[str] = []
    i = 0
    while i < len(argv) and argv[i].startswith(GLOBAL):
        name, equals, value = argv[i].partition("=")
        if not equals:
            if name not in GLOBAL or i + 1 >= len(argv):
                return None
            i, value = i + 1, argv[i + 1]
        if name == "--data":
            data.append(value)
        elif name != "--lang" or value not in LANGUAGES:
            return None
        i += 1
    if i == len(argv):
        return None
    command, words = argv[i], argv[i + 1 :]  # --json counts only after the command
    json = "--json" in words
    if json:
        words.remove("--json")
    if command not in (*KIND_PLURAL, "search") or len(words) != 1 or words[0].startswith("-"):
        return None  # another command; or options, arguments typer parses
    return Lookup(command, words[0], json, tuple(data))


GLOBAL = ("--data", "--lang")
"""Options of wocli itself, which may be given anywhere: before or after the command."""


def global_first(argv: list[str]) -> list[str]:
    """`argv` with wocli's own options moved before the command, where typer expects them:
    `wocli person shlyapnikov --data mine.toml` means `wocli --data mine.toml person ...`.
    Nothing after `--` moves; an option missing its value stays for typer to report."""
    front: list[str] = []
    rest: list[str] = []
    paging: list[str] = []  # --no-pager is each command's own option: it goes after the command
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            rest += argv[i:]
            break
        if word in GLOBAL and i + 1 < len(argv):
            front += argv[i : i + 2]
            i += 2
            continue
        if word.startswith(tuple(f"{name}=" for name in GLOBAL)):
            front.append(word)
        elif word in ("--pager", "--no-pager") and not rest:  # before the command
            paging.append(word)
        else:
            rest.append(word)
        i += 1
    if paging and rest:
        rest[1:1] = paging
    else:
        rest = paging + rest
    return front + rest


def _show_completion(shell: str) -> int:
    """`wocli --show-completion zsh`: that shell's completion script, whatever shell runs."""
    from typer._completion_shared import get_completion_script

    from .completion import COMPLETE_VAR, SHELLS

    if shell not in SHELLS:
        message = _("{option} must be one of {choices}, not {value}").format(
            option="--show-completion", choices=", ".join(SHELLS), value=repr(shell)
        )
        sys.stderr.write(message + "\n")
        return ExitCode.USAGE
    script = get_completion_script(prog_name="wocli", complete_var=COMPLETE_VAR, shell=shell)
    sys.stdout.write(script.rstrip("\n") + "\n")
    return ExitCode.OK


def _choose_language(argv: list[str]) -> None:
    """Pick the interface language before any command (and its help text) is defined."""
    from . import i18n

    explicit = None
    words = iter(argv)
    for word in words:  # the global options come first now
        if word == "--lang":
            explicit = next(words, None)
        elif word.startswith("--lang="):
            explicit = word.partition("=")[2]
        elif word == "--data":
            next(words, None)
        elif not word.startswith("--data="):
            break
    i18n.activate(i18n.choose(explicit))


def _app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command about to run, when it is plain which one.

    typer turns every command's parameters into click objects on every run (some 11 ms for
    seventeen commands); one command needs only its own. Help, completion and anything
    unusual get the whole app.
    """
    from .cli import app, command_name, new_app

    words = iter(argv)
    for word in words:
        if word in GLOBAL:
            next(words, None)
        elif not word.startswith(tuple(f"{name}=" for name in GLOBAL)):
            break
    else:
        return app
    chosen = [c for c in app.registered_commands if command_name(c) == word]
    if not chosen:
        return app
    slim = new_app()
    slim.registered_callback = app.registered_callback
    slim.registered_commands = chosen
    return slim


def _report(exc: WocliError) -> None:
    from .errors import Ambiguous
    from .render.output import console
    from .render.safe import clean

    err = console(stderr=True)
    if isinstance(exc, Ambiguous):
        from .render.records import candidates

        err.print(clean(exc.message), soft_wrap=True)
        err.print(candidates(exc.candidates))
        return
    for line in exc.lines():
        style = "red" if exc.exit_code == ExitCode.USAGE else None
        err.print(clean(line), style=style, soft_wrap=True)  # one problem a line, for grep


def _report_usage(exc: Any) -> None:
    """typer's own usage errors, with whatever the user typed made harmless."""
    from .i18n.framework import message
    from .render.safe import clean

    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        hint = _("Try '{command}' for help.").format(command=f"{ctx.command_path} -h")
        lines += [ctx.get_usage(), hint, ""]
    lines.append(_("Error: {message}").format(message=clean(message(exc.format_message()))))
    sys.stderr.write("\n".join(lines) + "\n")


def _utf8_argument(arg: str) -> str:
    """Undo a C locale's decoding of UTF-8 arguments (LC_ALL=C turns Шляпников into surrogates)."""
    import os

    if not any("\udc80" <= c <= "\udcff" for c in arg):
        return arg
    try:
        return os.fsencode(arg).decode("utf-8")
    except UnicodeDecodeError:
        return arg


def _quiet_broken_pipe() -> None:
    """After a reader such as `head` closed the pipe (or the disk filled up, already reported),
    don't let the final flush complain."""
    import os

    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
