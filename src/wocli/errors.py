"""The one exception family of wocli's core, each member carrying its exit code."""

from __future__ import annotations

from typing import Final


class ExitCode:
    """Process exit codes, the same for every command.

    Plain ints rather than an IntEnum: defining an enum costs every command a millisecond.
    """

    OK: Final = 0
    NOT_FOUND: Final = 1
    USAGE: Final = 2
    INTERRUPTED: Final = 130


def quoted(text: str, limit: int = 60) -> str:
    """User text for a message: quoted, escaped by repr, and cut if long."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


class WocliError(Exception):
    """Base of every error the core raises on purpose; the CLI turns it into a message."""

    exit_code: int = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def lines(self) -> list[str]:
        """The message as the lines to print on stderr."""
        return [self.message]


class UsageError(WocliError):
    """The user asked for something malformed (bad option value, empty query)."""


class DataError(WocliError):
    """A fact file is unreadable or invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "invalid data")
        self.problems = problems

    def lines(self) -> list[str]:
        return self.problems


class NotFound(WocliError):
    """Nothing matched a query; `suggestions` are the closest names, best first; `elsewhere`
    lists (kind, id, name) of records of other kinds that the query names; `hint` is shown
    when there is neither."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(
        self,
        message: str,
        suggestions: list[str] | None = None,
        elsewhere: list[tuple[str, str, str]] | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []
        self.elsewhere = elsewhere or []
        self.hint = hint

    def lines(self) -> list[str]:
        from .i18n import _

        out = [self.message]
        if self.elsewhere:
            out.append(_("It names another kind of record:"))
            out += [f"  wocli {kind} {rid}    ({name})" for kind, rid, name in self.elsewhere]
        if self.suggestions:
            out.append(_("Did you mean: {names}?").format(names=", ".join(self.suggestions)))
        if self.hint and not (self.elsewhere or self.suggestions):
            out.append(self.hint)
        return out


class Ambiguous(WocliError):
    """Several records match a query about equally well; `candidates` lists them."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, message: str, candidates: list[tuple[str, str, str]]) -> None:
        super().__init__(message)
        self.candidates = candidates  # (id, name, date as shown, or "")

    def lines(self) -> list[str]:
        return [self.message, *(f"  {rid}  {name}  {when}" for rid, name, when in self.candidates)]
