"""The explorer's building blocks: a link to a page, and a labelled line of a record page.

Everything shown from the data is a rich `Text` built by `render.records.t`: textual never
parses it for markup, and control characters arrive already made visible.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from ..i18n import _
from .places import Place


class Hanging:
    """`prefix` (fixed columns: a date, a kind) before `body`, whose wrapped lines are indented
    to stay clear of it. A table would do the same at several times the cost per line."""

    def __init__(self, prefix: Text, body: Text) -> None:
        self.prefix = prefix
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = cell_len(self.prefix.plain)
        lines = self.body.wrap(console, max(options.max_width - indent, 8))
        out = Text()
        for i, line in enumerate(lines):
            if i:
                out.append("\n" + " " * indent)
            else:
                out.append_text(self.prefix)
            out.append_text(line)
        yield out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = cell_len(self.prefix.plain)
        return Measurement(indent + 8, indent + cell_len(self.body.plain))


class PageLink(Static, can_focus=True):
    """A link to another page: Enter or a click opens it; Up and Down move between links."""

    DEFAULT_CSS = """
    PageLink {
        width: 1fr;
        height: auto;
        color: $text-accent;
        pointer: pointer;
        &:hover { text-style: underline; }
        &:focus { background: $accent 40%; color: $text; text-style: bold; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", _("Open"), show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    class Chosen(Message):
        """A link was opened."""

        def __init__(self, place: Place) -> None:
            super().__init__()
            self.place = place

    def __init__(self, label: RenderableType, place: Place) -> None:
        super().__init__(label)
        self.place = place

    def action_open(self) -> None:
        self.post_message(self.Chosen(self.place))

    def on_click(self) -> None:
        self.action_open()


class Line(Static):
    """Text from the data, never read as markup."""

    DEFAULT_CSS = "Line { width: 1fr; height: auto; }"

    def __init__(self, content: RenderableType, classes: str | None = None) -> None:
        super().__init__(content, classes=classes)


class Field(Horizontal):
    """A label beside its value (a line of text, or links one a line), like the panel's grid."""

    DEFAULT_CSS = """
    Field { height: auto; width: 1fr; }
    Field > .label { width: auto; min-width: 9; padding-right: 2; color: $text-primary;
                     text-style: bold; }
    Field > Vertical { height: auto; width: 1fr; }
    """

    def __init__(self, label: str, values: list[Widget], label_width: int) -> None:
        super().__init__()
        self.label = label
        self.values = values
        self.label_width = label_width

    def compose(self) -> ComposeResult:
        label = Static(Text(self.label), classes="label")
        label.styles.min_width = self.label_width + 2
        return [label, Vertical(*self.values)]


class Heading(Static):
    """A section's heading on a page."""

    DEFAULT_CSS = """
    Heading { width: 1fr; height: auto; margin-top: 1; color: $text-secondary;
              text-style: bold; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(Text(text))
