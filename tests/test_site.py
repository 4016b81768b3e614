"""wocli site: a page per record, links that resolve, text shown as written, search in a real
browser. The site is built once for the module (a build renders every citation)."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

import pytest

from wocli.runner import run

from conftest import FIXTURES, Result

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
HTML_OVERLAY = """
[people.html-person]
name = "<script>alert('x')</script> & <b>Bold</b>"
summary = "A <img src=x onerror=alert(1)> summary."
groups = ["workers-opposition"]
sources = [{ work = "wikipedia-workers-opposition", locator = "<i>para.</i> 1" }]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The site of the bundled base plus the hostile overlays, in a subfolder of a folder."""
    top = tmp_path_factory.mktemp("host")
    overlay = top / "html.toml"
    overlay.write_text(HTML_OVERLAY, encoding="utf-8")
    folder = top / "course" / "wocli"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(top / "cache"))
        mp.delenv("WOCLI_DATA", raising=False)
        code = run(["--data", str(FIXTURES / "hostile.toml"), "--data", str(overlay),
                    "site", str(folder)])  # fmt: skip
    assert code == 0
    yield folder


def page(built: Path, path: str) -> str:
    return (built / path).read_text(encoding="utf-8")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def test_every_record_has_a_page(built: Path) -> None:
    facts = tomllib.loads((ROOT / "data" / "facts.toml").read_text(encoding="utf-8"))
    ids = [(kind, rid) for kind in ("people", "groups", "events", "votes", "works", "terms")
           for rid in facts[kind]]  # fmt: skip
    assert len(ids) > 100
    for kind, rid in ids:
        assert (built / kind / f"{rid}.html").is_file(), (kind, rid)
    assert (built / "people" / "hostile.html").is_file()
    for kind in ("people", "groups", "events", "votes", "works", "terms"):
        listed = page(built, f"{kind}/index.html")
        for k, rid in ids:
            if k == kind:
                assert f'href="../{kind}/{rid}.html"' in listed


def test_every_internal_link_resolves(built: Path) -> None:
    checked = 0
    for html in built.rglob("*.html"):
        parser = Links()
        parser.feed(html.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto") or link.startswith("#"):
                continue
            assert not link.startswith("/"), f"{html}: {link} is not relative"
            target = (html.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{html.relative_to(built)}: {link} goes nowhere"
            assert built in target.parents, f"{html}: {link} leaves the site"
            checked += 1
    assert checked > 1000


def test_text_shows_as_written(built: Path) -> None:
    hostile = page(built, "people/hostile.html")
    assert "<h1" in hostile and "[bold red]Evil[/bold red]" in hostile
    assert "\x1b" not in hostile and "\\x1b[31mRed" in hostile  # escapes shown, not sent
    html = page(built, "people/html-person.html")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;i&gt;para.&lt;/i&gt; 1" in html  # a locator in the citations too
    assert "<i>para.</i>" not in html


def test_person_page(built: Path) -> None:
    html = page(built, "people/kollontai.html")
    assert '<html lang="en">' in html
    assert "<h1" in html and ">Alexandra Kollontai</h1>" in html
    assert "Александра Михайловна Коллонтай" in html
    assert '<a href="../groups/workers-opposition.html">Workers&#39; Opposition</a>' in html
    assert "<h3>APA</h3>" in html and "<h3>Chicago</h3>" in html
    assert "(“Workers’ Opposition,” n.d., para. 16)" in html  # APA, with the locator
    assert "“Workers’ Opposition,” Wikipedia, para. 16," in html  # Chicago's note
    assert 'href="../style.css"' in html


def test_english_source_lines_keep_their_locators(built: Path) -> None:
    html = page(built, "people/kollontai.html")
    assert (
        'Wikipedia, Workers’ Opposition</a> <span class="extra">para. 1; para. 16; para. 17;'
        in html
    )


def test_a_russian_site_shows_the_russian_text(tmp_path: Path) -> None:
    folder = tmp_path / "ru"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        mp.delenv("WOCLI_DATA", raising=False)
        assert run(["--lang", "ru", "site", str(folder)]) == 0
    person = (folder / "people" / "shlyapnikov.html").read_text(encoding="utf-8")
    assert "<li>председатель Всероссийского союза рабочих-металлистов</li>" in person
    assert "Статья пишет его фамилию и как Shlyapnikov (в тексте)" in person
    assert 'Wikipedia, Workers’ Opposition</a> <span class="extra">абз. 1; абз. 2;' in person
    assert "(годы рождения и смерти — из заглавия книги" in person
    assert "по-английски" not in person and "para." not in person.split('id="cite"')[0]
    vote = (folder / "votes" / "tula-1921-01-25.html").read_text(encoding="utf-8")
    assert "<dd>Тульская партийная организация</dd>" in vote and "<dd>Тула</dd>" in vote
    assert '<th scope="row">Резолюция Ленина — Зиновьева <strong>' in vote


def test_vote_page_has_its_chart(built: Path) -> None:
    html = page(built, "votes/tula-1921-01-25.html")
    assert 'src="../charts/tula-1921-01-25.svg"' in html
    alt = re.search(r'alt="([^"]*)"', html)
    assert alt is not None
    assert "Lenin–Zinoviev resolution 582 (66.9%)" in alt[1]
    assert "Shlyapnikov&#39;s resolution 16 (1.8%)" in alt[1]
    assert "<td>870</td>" in html
    svg = page(built, "charts/tula-1921-01-25.svg")
    assert ">582  (66.9%)" in svg and ">winner" in svg
    timeline = page(built, "timeline.html")
    assert 'src="charts/timeline.svg"' in timeline and 'alt="' in timeline
    assert "Mutiny on the battleship Potemkin" in page(built, "charts/timeline.svg")


def test_download_and_print(built: Path) -> None:
    data = json.loads(page(built, "wocli.json"))
    assert data["schema"] == 1
    assert "kollontai" in [p["id"] for p in data["people"]]
    assert 'href="wocli.json" download' in page(built, "index.html")
    assert "@media print" in page(built, "style.css")
    assert (built / "pagefind" / "pagefind-ui.js").is_file()


def test_site_needs_an_empty_folder(cli: Callable[..., Result], tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    result = cli("site", str(full))
    assert result.code == 2
    assert (
        result.err.strip()
        == f"'{full}' is not empty: give an empty folder, or --force to write over it"
    )
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = cli("site", str(blocker / "site"))
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "cannot write the site" in result.err


def test_serve(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    shutil.copytree(built, folder)
    (folder / "people" / "gone.html").write_text("an old page")
    (folder / "notes.txt").write_text("mine")
    env = {**os.environ, "XDG_CACHE_HOME": str(built.parents[1] / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wocli", "site", str(folder), "--force", "--serve", "--port", "0"],
        stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("Wrote ")
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url is not None, line
        with urlopen(url[0] + "people/kollontai.html", timeout=10) as response:
            assert b"Alexandra Kollontai" in response.read()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert not (folder / "people" / "gone.html").exists()  # the old build's pages went
    assert (folder / "notes.txt").read_text() == "mine"  # the user's file stayed


# -- in a real browser ---------------------------------------------------------------------------

BROWSER_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's chromium, driven by Playwright (no browser download). Skipped only where
    chromium cannot be: in CI (.ci/run installs it) a missing browser is a failure."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        have_playwright = False
    else:
        have_playwright = True
    if not (have_playwright and CHROMIUM.is_file()):
        if os.environ.get("CI"):
            pytest.fail("CI: the browser test needs playwright and /usr/bin/chromium")
        pytest.skip("no /usr/bin/chromium here (apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield chromium
        chromium.close()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def host(built: Path) -> Iterator[str]:
    """The folder above the site served on 127.0.0.1: the site sits in a subfolder."""
    handler = functools.partial(Quiet, directory=str(built.parents[1]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/course/wocli/"
    server.shutdown()
    server.server_close()


def test_in_a_browser(browser: Any, host: str) -> None:
    tab = browser.new_page()
    tab.goto(host + "people/kollontai.html")
    assert tab.locator("h1").inner_text() == "Alexandra Kollontai"
    tab.get_by_role("link", name="Workers' Opposition", exact=True).first.click()
    tab.wait_for_url("**/groups/workers-opposition.html")
    assert tab.locator("h1").inner_text() == "Workers' Opposition"
    assert tab.get_by_role("link", name="Alexander Shlyapnikov").count() >= 1

    tab.goto(host + "search.html")
    tab.locator(".pagefind-ui__search-input").fill("Kollontai")
    result = tab.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=15000)
    links = tab.locator(".pagefind-ui__result-link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "/course/wocli/people/kollontai.html" in hrefs
    tab.locator(".pagefind-ui__result-link", has_text="Alexandra Kollontai").first.click()
    tab.wait_for_url("**/people/kollontai.html")
    assert tab.locator("h1").inner_text() == "Alexandra Kollontai"


def test_a_record_page_says_which_overlay_set_which_field(built: Path) -> None:
    hostile = page(built, "people/hostile.html")
    said = re.findall(r'<p class="id overlaid"[^>]*>([^<]*)</p>', hostile)
    assert len(said) == 1 and said[0].startswith("from ")
    assert said[0].split(": ", 1)[0].endswith("hostile.toml")
    assert said[0].split(": ", 1)[1].split(", ")[:2] == ["name", "summary"]
    assert 'class="id overlaid"' not in page(built, "people/kollontai.html")
