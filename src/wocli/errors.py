"""The one exception family of wocli's core, each member carrying its exit code."""

from __future__ import annotations

from typing import Final, NamedTuple


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


class Candidate(NamedTuple):
    """A record a query might mean: what a reader (or a script) needs to choose."""

    kind: str
    id: str
    name: str
    date: str  # EDTF, or ""
    score: float
    shown: str = ""  # the name to show people, in the interface's language ("" = `name`)
    born: str = ""  # a person's life dates (EDTF, or ""): what tells namesakes apart
    died: str = ""

    @property
    def label(self) -> str:
        return self.shown or self.name


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
    """Nothing matched a query; `suggestions` are the closest records, best first;
    `elsewhere`, records of other kinds that the query names; `hint` is shown when there is
    neither."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(
        self,
        message: str,
        suggestions: list[Candidate] | None = None,
        elsewhere: list[Candidate] | None = None,
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
            out += [f"  wocli {c.kind} {c.id}    ({c.label})" for c in self.elsewhere]
        if self.suggestions:
            names = ", ".join(c.label for c in self.suggestions)
            out.append(_("Did you mean: {names}?").format(names=names))
        if self.hint and not (self.elsewhere or self.suggestions):
            out.append(self.hint)
        return out


class Ambiguous(WocliError):
    """Several records match a query about equally well; `candidates` lists them."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, message: str, candidates: list[Candidate]) -> None:
        super().__init__(message)
        self.candidates = candidates

    def lines(self) -> list[str]:
        from .dates import display

        return [
            self.message,
            *(f"  {c.id}  {c.label}  {display(c.date)}".rstrip() for c in self.candidates),
        ]
