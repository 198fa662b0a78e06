"""The built HTML renders its diagrams in a real browser with the network cut off.

Headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by Selenium)
opens the built example both from disk (``file://``) and from a server on
127.0.0.1; every host name fails to resolve and every other address goes to a
closed proxy, so any CDN load would fail. Each diagram must become an SVG without
Mermaid's error element, and labels of a 20-node graph must keep a reading size.
The tests skip without Chromium unless ``TECHSPEC_REQUIRE_BROWSER=1`` (as in CI),
where they fail instead. ``rendered_dom`` (``--dump-dom``) serves the ER test.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOTS, browser_or_skip, warnings_of

pytestmark = pytest.mark.slow(seconds=17)

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)
EXAMPLE = Path(__file__).parent.parent / "example_project"
NO_NETWORK = (
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
)


def find_browser() -> str:
    return browser_or_skip(next(filter(None, map(shutil.which, BROWSERS)), None))


@pytest.fixture
def browser() -> str:
    """Asked for before the site is built, so a skip costs no build."""
    return find_browser()


class QuietHandler(SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: object) -> None:
        self.requested.append(self.path)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[tuple[str, list[str]]]:
    """A quiet HTTP server on 127.0.0.1 for ``directory``: its base URL and requested paths."""
    requested: list[str] = []
    handler = type("Handler", (QuietHandler,), {"requested": requested})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()


def rendered_dom(browser: str, url: str, net_log: Path, profile: Path) -> str:
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            # The browser's own background traffic (updates, time sync) is not the page's.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-features=NetworkTimeServiceQuerying",
            f"--user-data-dir={profile}",
            *NO_NETWORK,
            f"--log-net-log={net_log}",
            "--virtual-time-budget=20000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


# -- Selenium: the built example, from disk and from a server ------------------------------


@pytest.fixture(scope="module")
def driver():
    """Headless Chromium through Debian's chromedriver (no driver download)."""
    binary = find_browser()
    chromedriver = next(filter(None, map(shutil.which, DRIVERS)), None)
    try:
        from selenium import webdriver
    except ImportError:
        if os.environ.get("TECHSPEC_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "TECHSPEC_REQUIRE_BROWSER=1 but selenium is missing (pip install -e .[test])"
            )
        pytest.skip("selenium is not installed")
    if chromedriver is None:
        if os.environ.get("TECHSPEC_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "TECHSPEC_REQUIRE_BROWSER=1 but no chromedriver (apt-get install chromium-driver)"
            )
        pytest.skip("no chromedriver installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1280,1000",
        *NO_NETWORK,
    ):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    """The example project and the 20-node root, built once for this module."""
    from sphinx.testing.util import SphinxTestApp

    out = tmp_path_factory.mktemp("site")
    for name, source in (
        ("example", EXAMPLE),
        ("twenty", ROOTS / "test-diagrams-twenty"),
        ("hostile", ROOTS / "test-diagrams-hostile"),
    ):
        srcdir = out / f"{name}-src"
        shutil.copytree(source, srcdir, ignore=shutil.ignore_patterns("_build"))
        app = SphinxTestApp("html", srcdir=srcdir, builddir=out / f"{name}-build")
        try:
            app.build()
            assert not warnings_of(app)
        finally:
            app.cleanup()
        shutil.copytree(app.outdir, out / name)
    return out


#: Pages of the example with diagrams, and how many each has.
EXAMPLE_PAGES = {
    "architecture.html": 2,
    "workflows.html": 2,
    "traceability.html": 2,
    "design/data-models.html": 1,
}

RENDERED = """
return [...document.querySelectorAll('pre.mermaid')].map(pre => {
  const svg = pre.querySelector(':scope > svg');
  return {
    svg: svg ? svg.getAttribute('aria-roledescription') : null,
    error: !!document.querySelector('[aria-roledescription=error]')
      || /Syntax error/.test(pre.textContent),
    script: !!pre.querySelector('script'),
    links: [...pre.querySelectorAll('a')]
      .map(a => a.getAttribute('xlink:href') || a.getAttribute('href')),
  };
});
"""


def render(driver, url: str) -> list[dict]:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    done = (
        "return [...document.querySelectorAll('pre.mermaid')]"
        ".every(p => p.getAttribute('data-processed') === 'true')"
    )
    WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: d.execute_script(done))
    return driver.execute_script(RENDERED)


@pytest.mark.parametrize("page", sorted(EXAMPLE_PAGES))
def test_example_diagrams_render_from_disk_and_from_a_server(driver, example_site, page):
    with serve(example_site / "example") as (base, requested):
        for url in ((example_site / "example" / page).as_uri(), f"{base}/{page}"):
            diagrams = render(driver, url)
            assert len(diagrams) == EXAMPLE_PAGES[page], url
            for diagram in diagrams:
                assert diagram["svg"] in ("flowchart-v2", "sequence", "er"), (url, diagram)
                assert not diagram["error"] and not diagram["script"], (url, diagram)
        assert any(path.startswith("/_static/mermaid/mermaid.min.js") for path in requested)


def test_nodes_link_to_their_items(driver, example_site):
    architecture, expanded = render(
        driver, (example_site / "example" / "architecture.html").as_uri()
    )
    assert "#ACC-API" in architecture["links"] and "#MAILER" in architecture["links"]
    assert "design/account-api.html#API-RESET-REQUEST" in expanded["links"]
    sequence, workflow = render(driver, (example_site / "example" / "workflows.html").as_uri())
    assert {"architecture.html#ACC-API", "architecture.html#MAILER"} <= set(sequence["links"])
    assert "design/account-api.html#GET-password-resets-token" in workflow["links"]


def test_labels_of_a_twenty_node_graph_keep_a_reading_size(driver, example_site):
    [graph] = render(driver, (example_site / "twenty" / "index.html").as_uri())
    assert graph["svg"] == "flowchart-v2"
    heights = driver.execute_script(
        "return [...document.querySelectorAll('pre.mermaid .node .nodeLabel')]"
        ".filter(e => e.textContent.trim())"  # not the columns' invisible spacers
        ".map(e => e.getBoundingClientRect().height)"
    )
    assert len(heights) == 20
    assert min(heights) >= 12, heights
    # Wider than the page: the diagram's own box scrolls instead of shrinking it.
    widths = driver.execute_script(
        "const p = document.querySelector('pre.mermaid');"
        "return [p.scrollWidth, p.clientWidth, getComputedStyle(p).overflowX];"
    )
    assert widths[2] == "auto"


def test_hostile_titles_render_without_a_mermaid_error(driver, example_site):
    diagrams = render(driver, (example_site / "hostile" / "index.html").as_uri())
    assert [d["svg"] for d in diagrams] == [
        "flowchart-v2",
        "flowchart-v2",
        "sequence",
        "flowchart-v2",
        "er",
    ]
    assert not any(d["error"] or d["script"] for d in diagrams)
    # The %%{init}%% in a title did not switch the theme, no script ran from a title.
    assert driver.execute_script(
        "return typeof window.alert === 'function' && !document.querySelector('pre.mermaid script')"
    )


def test_every_example_page_with_a_diagram_is_checked(example_site):
    site = example_site / "example"
    with_diagrams = {
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if 'class="mermaid"' in path.read_text(encoding="utf-8")
    }
    assert with_diagrams == set(EXAMPLE_PAGES)


#: Per diagram of a page: its scale, smallest label size as drawn, and boxes (ours and theirs).
MEASURE = """
const viewport = document.documentElement.clientWidth;
return [...document.querySelectorAll('.techspec-diagram')].map(box => {
  const pre = box.querySelector('pre.mermaid');
  const svg = pre.querySelector('svg');
  const drawn = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text, .nodeLabel, .edgeLabel, .messageText')]
    .filter(e => e.textContent.trim())
    .map(e => parseFloat(getComputedStyle(e).fontSize) * drawn);
  const rect = e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; };
  return {
    scale: parseFloat(pre.getAttribute('data-techspec-scale')),
    smallest: Math.min(...sizes),
    box: rect(box), pre: rect(pre), parent: rect(box.parentElement), viewport,
    scrolls: getComputedStyle(pre).overflowX,
    wider: pre.scrollWidth > pre.clientWidth + 1,
    buttons: [...box.querySelectorAll('.techspec-diagram-tools button')]
      .filter(b => b.offsetParent !== null).map(b => b.textContent),
  };
});
"""


def viewers_ready(driver, url: str) -> None:
    """Render ``url`` and wait until static/techspec-diagrams.js has set up every diagram."""
    from selenium.webdriver.support.ui import WebDriverWait

    render(driver, url)
    ready = "return [...document.querySelectorAll('pre.mermaid')].every(p => p.techspecViewer)"
    WebDriverWait(driver, 30, poll_frequency=0.05).until(lambda d: d.execute_script(ready))


@pytest.mark.parametrize("page", sorted(EXAMPLE_PAGES))
def test_diagrams_fit_legibly_inside_their_boxes(driver, example_site, page):
    viewers_ready(driver, (example_site / "example" / page).as_uri())
    for diagram in driver.execute_script(MEASURE):
        # Labels keep a reading size at the default scale.
        assert diagram["smallest"] >= 11 - 0.05, (page, diagram)
        # Nothing of ours sticks out: the viewport box stays in its container, the
        # container in the window; what is wider scrolls (pans) inside the box.
        assert diagram["pre"][1] <= diagram["box"][1] + 0.5, (page, diagram)
        assert diagram["box"][1] <= diagram["viewport"] + 0.5, (page, diagram)
        assert diagram["box"][0] >= diagram["parent"][0] - 0.5, (page, diagram)
        if diagram["wider"]:
            assert diagram["scrolls"] == "auto", (page, diagram)
            # A diagram not shown whole says how to see it whole, in words.
            assert {"Fit", "Open full size"} <= set(diagram["buttons"]), (page, diagram)


def test_the_traceability_graph_reads_left_to_right_by_kind(driver, example_site):
    render(driver, (example_site / "example" / "traceability.html").as_uri())
    columns = driver.execute_script(
        "const svg = document.querySelector('pre.mermaid svg');"
        "return [...svg.querySelectorAll('g.cluster')].map(g => {"
        "  const r = g.getBoundingClientRect();"
        "  return [g.id, g.querySelector('.cluster-label, .nodeLabel')?.textContent.trim(),"
        "          r.left, r.right];"
        "});"
    )
    by_title = {title: (left, right) for _, title, left, right in columns}
    order = ["Use cases", "Requirements", "Test cases"]
    design = next(title for title in by_title if title.startswith("Components"))
    order.insert(2, design)
    assert [title for title in order if title in by_title] == order, columns
    for left, right in itertools.pairwise(order):
        assert by_title[left][1] <= by_title[right][0], (left, right, columns)


def test_open_full_size_shows_the_diagram_at_natural_size_and_escape_closes(driver, example_site):
    from selenium.webdriver.common.keys import Keys

    viewers_ready(driver, (example_site / "example" / "traceability.html").as_uri())
    box = driver.find_element("css selector", ".techspec-diagram")
    [button] = [
        b for b in box.find_elements("css selector", "button") if b.text == "Open full size"
    ]
    driver.execute_script("arguments[0].click()", button)
    natural = driver.execute_script(
        "const svg = document.querySelector('.techspec-diagram-overlay svg');"
        "return [svg.getBoundingClientRect().width, svg.viewBox.baseVal.width];"
    )
    assert abs(natural[0] - natural[1]) < 1, natural
    driver.find_element("css selector", ".techspec-diagram-overlay button").send_keys(Keys.ESCAPE)
    assert driver.execute_script(
        "return !document.querySelector('.techspec-diagram-overlay')"
        " && !!document.querySelector('.techspec-diagram pre.mermaid > svg')"
    )
