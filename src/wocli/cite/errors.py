"""The citation layer's errors: usage errors of wocli's core family (exit code 2)."""

from __future__ import annotations

from ..errors import UsageError


class CiteError(UsageError):
    """Bad input to the citation layer: unknown item id, format or locator."""


class UnknownStyle(CiteError):
    """A style name, alias or path that resolves to no CSL style; `suggestions` are close names."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions

    def lines(self) -> list[str]:
        if not self.suggestions:
            return [self.message]
        from ..i18n import _

        return [self.message, _("Did you mean: {names}?").format(names=", ".join(self.suggestions))]
