"""The explorer: one page at a time, a browser's history, search, citations and keys."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Select, Static

from ..errors import WocliError
from ..finder import Finder
from ..i18n import _
from ..model import Work
from ..render.records import DIM, t
from ..store import FactBase
from . import pages, places
from .places import Place
from .screens import SearchScreen, TextScreen, keys_table
from .widgets import PageLink

DEFAULT_STYLE = "chicago"


class BrowseApp(App[None]):
    """Browse the fact base from `start`, citing in `style`."""

    TITLE = "wocli browse"
    ENABLE_COMMAND_PALETTE = False  # every action has its key; the footer needs the room
    CSS = """
    #title { height: auto; padding: 0 1; background: $panel; }
    #page { padding: 0 1; }
    #page > .summary { margin: 1 0; }
    #page > .hint { margin-top: 1; }
    #page .filters { height: auto; }
    #page .filters Select { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", _("Search")),
        Binding("backspace", "back", _("Back")),
        Binding("alt+left", "back", _("Back"), show=False),
        Binding("alt+right", "forward", _("Forward"), show=False),
        Binding("h", "go('home')", _("Start")),
        Binding("t", "go('timeline')", _("Timeline")),
        Binding("v", "go('votes')", _("Votes")),
        Binding("c", "cite", _("Cite")),
        Binding("question_mark", "keys", _("Keys")),
        Binding("q", "quit", _("Quit")),
        Binding("ctrl+c", "quit", _("Quit"), show=False, priority=True),
        Binding("pageup", "scroll('page_up')", show=False),
        Binding("pagedown", "scroll('page_down')", show=False),
    ]

    def __init__(
        self,
        base: FactBase,
        finder: Finder,
        start: Place = places.HOME,
        style: str = DEFAULT_STYLE,
        start_group: str = pages.START_GROUP,
    ) -> None:
        super().__init__()
        self.base = base
        self.finder = finder
        self.style = style
        self.start_group = start_group
        self.history: list[Place] = [start]
        self.position = 0
        self.spots: dict[int, tuple[int, float]] = {}  # position: (chosen link, scroll)

    @property
    def place(self) -> Place:
        """The page shown."""
        return self.history[self.position]

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        page = VerticalScroll(id="page")
        page.can_focus = False  # Tab goes from link to link
        yield page
        yield Footer()

    async def on_mount(self) -> None:
        await self.show()

    async def show(self) -> None:
        """Lay out the page at the current place: its first link chosen, or, on a page seen
        before (back, forward), the link and scroll position it was left at."""
        title, widgets = pages.build(self.place, self.base, self.start_group)
        self.query_one("#title", Static).update(title)
        page = self.query_one("#page", VerticalScroll)
        await page.remove_children()
        await page.mount_all(widgets)
        page.scroll_home(animate=False)
        links = list(page.query(PageLink))
        chosen, scrolled = self.spots.get(self.position, (0, 0.0))
        if links:
            links[min(chosen, len(links) - 1)].focus(scroll_visible=False)
        if scrolled:
            self.call_after_refresh(page.scroll_to, y=scrolled, animate=False)

    def remember(self) -> None:
        """Note where the reader is on this page, for coming back to it."""
        page = self.query_one("#page", VerticalScroll)
        links = list(page.query(PageLink))
        focused = self.focused
        chosen = links.index(focused) if isinstance(focused, PageLink) and focused in links else 0
        self.spots[self.position] = (chosen, page.scroll_y)

    async def open(self, place: Place) -> None:
        """Go to `place`, dropping the forward history, as a browser does."""
        if place == self.place:
            return
        self.remember()
        del self.history[self.position + 1 :]
        self.spots = {at: spot for at, spot in self.spots.items() if at <= self.position}
        self.history.append(place)
        self.position += 1
        await self.show()

    async def on_page_link_chosen(self, message: PageLink.Chosen) -> None:
        await self.open(message.place)

    async def on_select_changed(self, event: Select.Changed) -> None:
        """A timeline filter was chosen: the timeline so filtered is a new page."""
        if self.place.view != places.TIMELINE:
            return
        value = None if event.value is Select.NULL else str(event.value)
        person, group = self.place.person, self.place.group
        if event.select.id == "person":
            person = value
        elif event.select.id == "group":
            group = value
        await self.open(places.timeline(person, group))

    async def action_back(self) -> None:
        if self.position > 0:
            self.remember()
            self.position -= 1
            await self.show()

    async def action_forward(self) -> None:
        if self.position < len(self.history) - 1:
            self.remember()
            self.position += 1
            await self.show()

    async def action_go(self, where: str) -> None:
        views = {"home": places.HOME, "timeline": places.timeline(), "votes": Place(places.VOTES)}
        await self.open(views[where])

    def action_scroll(self, how: str) -> None:
        page = self.query_one("#page", VerticalScroll)
        if how == "page_up":
            page.scroll_page_up()
        else:
            page.scroll_page_down()

    def action_search(self) -> None:
        async def chosen(rid: str | None) -> None:
            if rid:
                await self.open(places.record(rid))

        self.push_screen(SearchScreen(self.base, self.finder), chosen)

    def action_keys(self) -> None:
        self.push_screen(TextScreen(_("Keys"), keys_table()))

    def action_cite(self) -> None:
        """Copy the page's citation (its record's sources; a work's reference) and show it."""
        rec = self.base.get(self.place.rid or "") if self.place.view == places.RECORD else None
        if rec is None:
            self.notify(_("Open a record to cite it."), markup=False)
            return
        try:
            text = citation(self.base, self.finder, rec.id, rec.kind, self.style).strip()
        except WocliError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.copy_to_clipboard(text)
        body = t(text)
        body.append_text(Text("\n\n" + _("Copied to the clipboard ({style}).").format(
            style=self.style), style=DIM))  # fmt: skip
        self.push_screen(TextScreen(_("Citation"), body))


def citation(base: FactBase, finder: Finder, rid: str, kind: str, style: str) -> str:
    """What `wocli cite` prints for a page: a work's reference, or the sources of a record."""
    from ..citing import cite_for, cite_works

    def index(_base: FactBase) -> Finder:
        return finder

    if isinstance(base.get(rid), Work):
        return cite_works(base, index, rid, style, "text").text
    return cite_for(base, index, f"{kind}:{rid}", style, "text").text
