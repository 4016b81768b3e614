"""The screens shown over a page: search as you type, a citation, the keys."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .. import dates
from ..errors import WocliError
from ..finder import Finder
from ..i18n import _, kind_label
from ..model import KIND_PLURAL
from ..render.records import DIM, LABEL, t
from ..store import FactBase
from .widgets import Hanging

RESULTS = 20
"""Search results shown at most (`wocli search` shows 10 unless asked)."""


def keys() -> list[tuple[str, str]]:
    """Every key of the explorer and what it does."""
    return [
        ("/", _("Search every record as you type")),
        ("Up / Down", _("Choose a search result, or move between links")),
        ("Tab / Shift+Tab", _("Next / previous link (or click one)")),
        ("Enter", _("Open the chosen link or result")),
        ("Backspace, Alt+Left", _("Back")),
        ("Alt+Right", _("Forward")),
        ("h", _("The start page")),
        ("t", _("The timeline (filter it by a person or a group)")),
        ("v", _("Every vote, with its bars")),
        ("c", _("Copy this page's citation to the clipboard, and show it")),
        ("PageUp / PageDown", _("Scroll the page")),
        ("Escape", _("Close a search, a citation or this list")),
        ("?", _("These keys")),
        ("q, Ctrl+C", _("Quit")),
    ]


class SearchScreen(ModalScreen[str | None]):
    """A search box over the page: results update on each key; Enter opens the chosen one."""

    DEFAULT_CSS = """
    SearchScreen { align: center top; }
    SearchScreen > Vertical { width: 100%; max-width: 110; height: auto; max-height: 100%;
                              background: $surface; border: round $accent; padding: 0 1; }
    SearchScreen Input { margin-bottom: 1; }
    SearchScreen OptionList { height: auto; max-height: 1fr; border: none; }
    SearchScreen #status { color: $text-muted; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", _("Close"), show=False),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, base: FactBase, finder: Finder) -> None:
        super().__init__()
        self.base = base
        self.finder = finder
        self.ids: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(placeholder=_("Search: a name in any spelling, a date, a title…"))
            yield OptionList()
            yield Static(Text(_("Type to search; Up/Down to choose, Enter to open.")), id="status")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    def show(self, query: str) -> None:
        """The results for `query`, the best highlighted (the same search as `wocli search`)."""
        results = self.query_one(OptionList)
        status = self.query_one("#status", Static)
        results.clear_options()
        self.ids = []
        if not query.strip():
            status.update(Text(_("Type to search; Up/Down to choose, Enter to open.")))
            return
        try:
            hits = self.finder.search(query, limit=RESULTS)
        except WocliError as exc:  # a query of punctuation alone, a damaged index
            status.update(t(exc.message))
            return
        kinds = max(len(kind_label(kind)) for kind in KIND_PLURAL)  # a column for the kind
        for hit in hits:
            rec = self.base.get(hit.id)
            when = dates.display(rec.date) if rec and rec.date else ""
            prefix = Text()
            prefix.append(kind_label(hit.kind).ljust(kinds) + "  ", style=LABEL)
            prefix.append(f"{hit.score:>3.0f}  ", style=DIM)
            name = t(hit.name)
            if when:
                name.append_text(t(f"  {when}", DIM))
            row = Hanging(prefix, name)
            results.add_option(Option(row, id=hit.id))
            self.ids.append(hit.id)
        if hits:
            results.highlighted = 0
            status.update(Text(_("Up/Down to choose, Enter to open; Escape to close.")))
        else:
            status.update(Text(_("Nothing matches.")))

    def action_move(self, step: int) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            current = results.highlighted if results.highlighted is not None else -step
            results.highlighted = max(0, min(results.option_count - 1, current + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        results = self.query_one(OptionList)
        if results.highlighted is not None and self.ids:
            self.dismiss(self.ids[results.highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class TextScreen(ModalScreen[None]):
    """A box of text over the page (a citation, the keys); Escape, Enter or q closes it."""

    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > VerticalScroll { width: 90%; max-width: 100; height: auto; max-height: 90%;
                                  background: $surface; border: round $accent; padding: 0 1; }
    TextScreen Static { width: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss", _("Close"), show=False),
    ]

    def __init__(self, title: str, body: Text | Table) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = self.title_text
            yield Static(self.body)


def keys_table() -> Table:
    """The keys as a table."""
    table = Table.grid(padding=(0, 3))
    table.add_column(style=LABEL, no_wrap=True)
    table.add_column()
    for key, what in keys():
        table.add_row(key, what)
    table.add_row("", "")
    table.add_row("", Text(_("Escape closes this list."), DIM))
    return table
