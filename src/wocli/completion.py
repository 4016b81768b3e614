"""Shell completion of record ids: quick, and silent when anything goes wrong.

The shell asks by running wocli with `_WOCLI_COMPLETE=complete_SHELL` and the command line in
other environment variables (typer's protocol, for bash, zsh, fish and PowerShell). `answer`
replies to the requests that complete a record's id (`wocli person shl<TAB>`) from the
compiled base, before typer and click are imported, and without the record classes: in the
same words typer would use (tests/test_completion.py compares them). Anything else, and a base
not compiled yet, is left to typer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

TYPE_CHECKING = False  # not typing's, nor pathlib at run time: a completion would pay ~4 ms each
if TYPE_CHECKING:
    from pathlib import Path

COMPLETE_VAR = "_WOCLI_COMPLETE"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
COMMANDS = {
    "person": "people",
    "group": "groups",
    "event": "events",
    "vote": "votes",
    "work": "works",
    "term": "terms",
    "cite": "works",
}
"""The commands whose argument is a record's id, and the kind of record (as model.KIND_PLURAL
says: written out here so that completion need not import the model; a test compares them)."""

_SPACE = re.compile(r"\s")

Reply = tuple[str | None, int]
"""What to print (a line), if anything, and the exit code."""


def candidates(kind: str, incomplete: str, data: Sequence[Path] = ()) -> list[tuple[str, str]]:
    """(id, name) of records of `kind` whose id or name starts with what was typed."""
    from .errors import WocliError
    from .model import KIND_PLURAL
    from .spelling import normalize
    from .store import load, overlay_paths

    try:
        base = load(overlay_paths([str(p) for p in data]))
    except WocliError:
        return []
    typed = normalize(incomplete)
    return sorted(
        (rid, name)
        for rid, name in base.names(KIND_PLURAL[kind])
        if rid.startswith(incomplete) or normalize(name).startswith(typed)
    )


def answer(environ: Mapping[str, str]) -> Reply | None:
    """typer's reply to a request to complete a record's id; None for any other request."""
    action, _, shell = environ.get(COMPLETE_VAR, "").partition("_")
    if action != "complete" or shell not in SHELLS:
        return None
    words = _words(shell, environ)
    if words is None:
        return None
    args, incomplete = words
    command = _command(args)
    if command is None or incomplete.startswith("-"):
        return None
    kind, data = command
    items = _compiled(kind, incomplete, data)  # typer keeps only the ids that start with it
    if items is None:
        return None
    if shell != "bash" and not all(_plain(name, environ) for _, name in items):
        return None  # typer renders help text with rich: let it, rather than imitate rich
    return _reply(shell, items, environ)


def _compiled(kind: str, incomplete: str, data: list[str]) -> list[tuple[str, str]] | None:
    """(id, name) of the records of a plural kind whose id starts with `incomplete`, read
    from the compiled base; None if there is none yet (or it cannot be read)."""
    import sqlite3

    from . import cache
    from .inputs import bundled_path, overlay_paths

    key = cache.key([bundled_path(), *overlay_paths(data)])
    db = cache.open_cached(key) if key else None
    if db is None:
        return None
    try:
        rows = db.execute("SELECT id, name FROM records WHERE kind = ?", (kind,)).fetchall()
    except sqlite3.DatabaseError:
        return None
    finally:
        db.close()
    return sorted((str(i), str(n)) for i, n in rows if str(i).startswith(incomplete))


def _words(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    """The words before the one being completed (after the program's name), and that one."""
    if shell == "bash":
        try:
            words = split_arg_string(environ["COMP_WORDS"])
            cword = int(environ["COMP_CWORD"])
        except (KeyError, ValueError):
            return None
        return words[1:cword], words[cword] if 0 <= cword < len(words) else ""
    line = environ.get("_TYPER_COMPLETE_ARGS", "")
    words = split_arg_string(line)
    if shell in ("powershell", "pwsh"):
        incomplete = environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
        return (words[1:-1] if incomplete else words[1:]), incomplete
    args = words[1:]
    if args and not line.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def split_arg_string(string: str) -> list[str]:
    """Words as a shell splits them, an unfinished quote kept as it is (click's rule)."""
    import shlex

    lex = shlex.shlex(string, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out = []
    try:
        for token in lex:
            out.append(token)
    except ValueError:  # an unclosed quote or escape at the end: the partial word as it is
        out.append(lex.token)
    return out


def _command(args: list[str]) -> tuple[str, list[str]] | None:
    """The kind whose id is being completed, and the overlays given, for a command line of
    `[--data PATH]... COMMAND` and nothing else."""
    data = []
    i = 0
    while i < len(args):
        if args[i] == "--data" and i + 1 < len(args):
            data.append(args[i + 1])
            i += 2
        elif args[i].startswith("--data="):
            data.append(args[i].partition("=")[2])
            i += 1
        else:
            break
    rest = args[i:]
    kind = COMMANDS.get(rest[0]) if len(rest) == 1 else None
    return (kind, data) if kind else None


def _plain(text: str, environ: Mapping[str, str]) -> bool:
    """Whether rich would show `text` exactly as it is: no markup, nothing to wrap."""
    if "COLUMNS" in environ or "TERMINAL_WIDTH" in environ:
        return False
    return (
        text.isprintable()
        and len(text) <= (70 if text.isascii() else 35)
        and not (set(text) & set("[]\\:"))
    )


def _reply(shell: str, items: list[tuple[str, str]], environ: Mapping[str, str]) -> Reply:
    if shell == "bash":
        return "\n".join(rid for rid, _ in items), 0
    if shell == "zsh":
        if not items:
            return "_files", 0
        lines = [
            f'"{_zsh(rid)}":"{_zsh(name)}"' if name else f'"{_zsh(rid)}"' for rid, name in items
        ]
        return "_arguments '*: :((" + "\n".join(lines) + "))'", 0
    if shell == "fish":
        lines = [f"{rid}\t{_SPACE.sub(' ', name)}" if name else rid for rid, name in items]
        action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return None, 0 if lines else 1
        return ("\n".join(lines) if action == "get-args" else ""), 0
    return "\n".join(f"{rid}:::{name or ' '}" for rid, name in items), 0


def _zsh(text: str) -> str:
    for char, escaped in (('"', '""'), ("'", "''"), ("$", "\\$"), ("`", "\\`"), (":", r"\\:")):
        text = text.replace(char, escaped)
    return text
