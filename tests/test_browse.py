"""`wocli browse`: the explorer driven by textual's Pilot, and snapshots of what it shows."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, Result

Cli = Callable[..., Result]


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def one_cache(fixed_terminal: None, shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One compiled base and search index for the module: each test would build its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))


def explorer(query: str | None = None, *overlays: Path, style: str = "chicago") -> object:
    """The app as `wocli browse QUERY` makes it, before it runs."""
    from wocli.browse import start_place
    from wocli.browse.app import BrowseApp
    from wocli.environment import Environment

    run = Environment(data=overlays)
    return BrowseApp(run.base(), run.finder(), start_place(run, query), style)


def screen_text(app: object) -> str:
    """What the terminal shows, line by line."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in strips)


def title(app: object) -> str:
    return screen_text(app).splitlines()[0].strip()


@pytest.mark.asyncio
async def test_opens_on_the_record_a_query_names() -> None:
    app = explorer("shliapnikov")  # a spelling of his name, not the id
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.pause()
        assert title(app) == "Alexander Shlyapnikov  person · shlyapnikov"
        text = screen_text(app)
        assert "Life     1885 – September 1937" in text
        assert "Groups   Workers' Opposition" in text


@pytest.mark.asyncio
async def test_an_ambiguous_query_opens_a_pick_list_and_the_choice_opens() -> None:
    app = explorer("workers opposition")  # the faction and the Wikipedia article
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.pause()
        text = screen_text(app)
        assert title(app) == "Which one?"
        assert "group   Workers' Opposition" in text
        assert "work    Workers’ Opposition" in text
        await pilot.press("enter")
        assert title(app) == "Workers' Opposition  group · workers-opposition"


@pytest.mark.asyncio
async def test_search_as_you_type_and_open_a_result() -> None:
    app = explorer("shlyapnikov")
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("slash", *"kollontai")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        first = next(line for line in lines if "Alexandra Kollontai" in line)
        assert first.split() == ["│", "person", "100", "Alexandra", "Kollontai", "│"]
        # kind, score (as `wocli search` scores it), name and date
        assert any("work     96  Rabochaya oppozitsiya  1921" in line for line in lines)
        await pilot.press("down", "up", "enter")
        await pilot.pause()
        assert title(app) == "Alexandra Kollontai  person · kollontai"


@pytest.mark.asyncio
async def test_follow_links_back_and_forward() -> None:
    app = explorer("shlyapnikov")
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("enter")  # the first link: his first group
        assert title(app) == "Workers' Opposition  group · workers-opposition"
        await pilot.press("backspace")
        assert title(app) == "Alexander Shlyapnikov  person · shlyapnikov"
        await pilot.press("tab", "enter")  # the next link: his second group
        assert title(app) == "Russian Metalworkers' Union  group · metalworkers-union"
        await pilot.press("alt+left")
        assert title(app).startswith("Alexander Shlyapnikov")
        await pilot.press("alt+right")
        assert title(app).startswith("Russian Metalworkers' Union")
        await pilot.press("alt+right")  # nothing further forward: stays
        assert title(app).startswith("Russian Metalworkers' Union")


@pytest.mark.asyncio
async def test_back_returns_to_the_link_it_left_from() -> None:
    app = explorer("shlyapnikov")
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("tab", "tab", "enter")  # his third group
        assert title(app).startswith("Central Committee of the RCP(b)")
        await pilot.press("backspace")
        focused = app.focused  # type: ignore[attr-defined]
        assert str(focused.content) == "Central Committee of the RCP(b)"


@pytest.mark.asyncio
async def test_a_click_opens_a_link() -> None:
    app = explorer("kollontai")
    async with app.run_test(size=(100, 50)) as pilot:  # type: ignore[attr-defined]
        links = list(app.query("PageLink"))  # type: ignore[attr-defined]
        second = next(w for w in links if str(w.content) == "Russian Communist Party (Bolsheviks)")
        await pilot.click(second)
        assert title(app) == "Russian Communist Party (Bolsheviks)  group · rcp"


@pytest.mark.asyncio
async def test_c_copies_the_citation_of_the_page_and_shows_it() -> None:
    app = explorer("kollontai")
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("c")
        await pilot.pause()
        copied = app.clipboard  # type: ignore[attr-defined]
        # her sources: the article's paragraphs, and her pamphlet, in Chicago notes style
        assert copied.startswith(
            "“Workers’ Opposition,” Wikipedia, para. 1, "
            "https://en.wikipedia.org/wiki/Workers%27_Opposition.\n"
        )
        assert copied.endswith("Kollontai, Alexandra. Rabochaya oppozitsiya. Moscow, 1921.")
        assert "Copied to the clipboard (chicago)." in screen_text(app)
        await pilot.press("escape")
        assert title(app).startswith("Alexandra Kollontai")


@pytest.mark.asyncio
async def test_the_citation_style_is_chosen_once() -> None:
    app = explorer("allen2015", style="apa")
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("c")
        assert app.clipboard.startswith("Allen, B. C. (2015).")  # type: ignore[attr-defined]


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_and_ctrl_c_quit_with_exit_code_0(key: str) -> None:
    app = explorer()
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press(key)
        await pilot.pause()
        assert app._exit_renderables == [] and not app.is_running  # type: ignore[attr-defined]
    assert app.return_code == 0  # type: ignore[attr-defined]


@pytest.mark.asyncio
async def test_q_in_the_search_box_is_a_letter() -> None:
    app = explorer()
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("slash", "q")
        await pilot.pause()
        assert app.is_running  # type: ignore[attr-defined]
        assert app.screen.query_one("Input").value == "q"  # type: ignore[attr-defined]


@pytest.mark.asyncio
async def test_the_start_page_and_its_views() -> None:
    app = explorer()
    async with app.run_test(size=(100, 40)) as pilot:  # type: ignore[attr-defined]
        text = screen_text(app)
        assert title(app) == "Workers' Opposition  wocli browse"
        for heading in ("The group", "Main people", "Timeline", "Votes"):
            assert f"\n {heading}" in text
        # the three leaders of the article, most often named in its events first
        people = text.split("Main people")[1].split("All 14 members")[0]
        assert [line.split()[1] for line in people.strip().splitlines()] == [
            "Shlyapnikov",
            "Kollontai",
            "Medvedev",
        ]
        await pilot.press("v")
        text = screen_text(app)
        assert title(app) == "Votes"
        assert "Total" in text and "█" in text
        await pilot.press("t")
        assert title(app) == "Timeline"
        assert "December 1919 – January 1920" in screen_text(app)  # a date at its precision


@pytest.mark.asyncio
async def test_the_timeline_filtered_by_a_person() -> None:
    app = explorer("kollontai")
    async with app.run_test(size=(100, 40)) as pilot:  # type: ignore[attr-defined]
        page = app.query_one("#page")  # type: ignore[attr-defined]
        link = next(w for w in page.query("PageLink") if "timeline" in str(w.content))
        link.focus()
        await pilot.press("enter")
        assert title(app) == "Timeline · Alexandra Kollontai"
        text = screen_text(app)
        assert "5 July 1921" in text and "Kollontai addresses the Third Comintern Congress" in text
        assert "Tula" not in text  # an event she had no part in


@pytest.mark.asyncio
async def test_the_timeline_filter_by_group() -> None:
    from textual.widgets import Select

    app = explorer()
    async with app.run_test(size=(100, 40)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("t")
        app.query_one("#group", Select).value = "democratic-centralists"  # type: ignore[attr-defined]
        await pilot.pause()
        assert title(app) == "Timeline · Democratic Centralists"
        dated = [line.split("  ")[0].strip() for line in screen_text(app).splitlines()[5:]]
        # its three events and two votes, in date order, each date as precise as it is known
        assert [d for d in dated if d][:6] == [
            "1921",
            "17 January 1921",
            "17 January 1921",
            "19 February 1921",
            "19 February 1921",
            "March 1921",
        ]
        await pilot.press("backspace")
        assert title(app) == "Timeline"


@pytest.mark.asyncio
async def test_a_group_s_members() -> None:
    app = explorer("workers-opposition")
    async with app.run_test(size=(100, 40)) as pilot:  # type: ignore[attr-defined]
        page = app.query_one("#page")  # type: ignore[attr-defined]
        link = next(w for w in page.query("PageLink") if "members" in str(w.content))
        link.focus()
        await pilot.press("enter")
        assert title(app) == "Members · Workers' Opposition"
        lines = screen_text(app).splitlines()
        assert lines[1].strip() == "Workers' Opposition →"  # back to the group's page
        # by surname: Bruno, Chelyshev, Kiselyov, ... Vladimirov; 14 of them
        assert lines[2].split()[:2] == ["Genrikh", "Bruno"]
        assert lines[3].split()[:2] == ["Mikhail", "Chelyshev"]
        assert lines[15].split()[:2] == ["Mikhail", "Vladimirov"]
        assert "Alexander Shlyapnikov  1885–1937  Александр Гаврилович Шляпников" in lines[13]


@pytest.mark.asyncio
async def test_an_overlay_is_browsed_and_hostile_text_shows_literally(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(FIXTURES)  # the overlay named as a user would: "(from hostile.toml)"
    app = explorer("hostile", Path("hostile.toml"))
    async with app.run_test(size=(140, 40)) as pilot:  # type: ignore[attr-defined]
        await pilot.pause()
        text = screen_text(app)
        assert title(app) == (
            "[bold red]Evil[/bold red] \\x1b[31mRed\\x1b[0m "
            "\\x1b]8;;http://x.example\\x07link\\x1b]8;;\\x07 (from hostile.toml)  person · hostile"
        )
        assert ":skull: [blink]role[/blink]" in text
        assert "[link=http://x.example]click[/link]" in text
        assert "A note with [/] stray markup and \\x07 a bell." in text
        assert "\x1b" not in text and "\x07" not in text
        await pilot.press("tab", "enter")  # past its group, to its event
        assert title(app) == "Event \\x1b[41m (from hostile.toml)  event · hostile-event"
        assert "\\u2066Isolated\\u2069 place [i]" in screen_text(app)
        await pilot.press("backspace", "tab", "enter")  # back on its event link; the next: its vote
        assert title(app) == "Vote [b] (from hostile.toml)  vote · hostile-vote"
        text = screen_text(app)
        assert "\\x1b[32mFor" in text and "[red]Against" in text
        assert "\\x1b]52;c;Y2xpcGJvYXJk\\x07 clipboard write" in text


@pytest.mark.asyncio
async def test_a_link_an_overlay_added_is_marked_with_its_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("mine.toml").write_text(
        '[people.kollontai]\npatch = true\ngroups = { add = ["democratic-centralists"] }\n',
        encoding="utf-8",
    )
    app = explorer("kollontai", Path("mine.toml"))
    async with app.run_test(size=(120, 40)) as pilot:  # type: ignore[attr-defined]
        await pilot.pause()
        lines = screen_text(app).splitlines()
        added = next(line for line in lines if "Democratic Centralists" in line)
        assert added.rstrip().endswith("Democratic Centralists  (from mine.toml)")
        bundled = next(line for line in lines if "Groups" in line)
        assert "Workers' Opposition" in bundled and "(from" not in bundled


def test_a_broken_overlay_is_one_line_and_exit_2_before_the_screen(cli: Cli) -> None:
    result = cli("--data", str(FIXTURES / "broken" / "not-toml.toml"), "browse")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"{FIXTURES / 'broken' / 'not-toml.toml'}: line 1")
    assert len(result.err.splitlines()) == 1


def test_a_query_that_matches_nothing_is_exit_1_before_the_screen(cli: Cli) -> None:
    result = cli("browse", "qqqqxxxx")
    assert (result.code, result.out, result.err) == (1, "", "Nothing matches 'qqqqxxxx'.\n")


def test_an_unknown_style_is_exit_2_before_the_screen(cli: Cli) -> None:
    result = cli("browse", "--style", "nosuchstyle")
    assert result.code == 2
    assert result.err.startswith("unknown citation style 'nosuchstyle'")


def test_without_a_terminal_it_says_so_instead_of_waiting_for_keys(cli: Cli) -> None:
    result = cli("browse", "kollontai")  # pytest's stdout is not a terminal
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "wocli browse needs a terminal; to print a record, use e.g. wocli person shlyapnikov\n"
    )


def test_only_browse_imports_textual(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from wocli.runner import run\n"
        "seen = []\n"
        "for argv in (['person', 'kollontai'], ['search', 'kollontai'], ['timeline'],\n"
        "             ['cite', 'allen2015'], ['--help'], ['browse', '--help']):\n"
        "    run(argv)\n"
        "    seen.append('textual' in sys.modules)\n"
        "print('textual imported:', seen)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"XDG_CACHE_HOME": str(tmp_path), "PATH": "", "COLUMNS": "80"},
        check=True,
    )
    assert proc.stdout.splitlines()[-1] == "textual imported: " + str([False] * 6)


def test_after_an_error_in_the_app_the_terminal_is_restored(tmp_path: Path) -> None:
    """A bug inside the app (here: the start page cannot be built) ends it, leaves the
    alternate screen, shows the cursor and turns the mouse off again before the error is shown."""
    import os
    import pty
    import select

    script = (
        "import sys\n"
        "import wocli.browse.pages as pages\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('a bug in the app')\n"
        "pages.start_page = broken\n"
        "from wocli.runner import run\n"
        "sys.exit(run(['browse']))\n"
    )
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of its own
        os.environ["XDG_CACHE_HOME"] = str(tmp_path)
        os.execv(sys.executable, [sys.executable, "-c", script])
    out = b""
    while select.select([fd], [], [], 60)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child has gone
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1
    opened, closed = out.index(b"\x1b[?1049h"), out.rindex(b"\x1b[?1049l")
    assert opened < closed < out.index(b"a bug in the app")
    assert out.rindex(b"\x1b[?25h") > opened  # the cursor shown again
    assert out.rindex(b"\x1b[?1000l") > opened  # mouse reporting off
