"""The example spec, read in a real browser: views fit, tables sort and filter, states contrast.

One build of ``example_project`` per theme (alabaster, furo, sphinx_rtd_theme,
pydata-sphinx-theme), one headless Chromium (through chromedriver) for them all, at
1400 px and 400 px wide, in light and, where the theme has one, dark mode. What is
measured is measured in the page, from computed styles and layout boxes: nothing of ours
outside its box; at 1400 px every table whole, at 400 px whole or scrolling in its own box
with words saying so; every diagram drawn, whole or with its "Open full size" control, its
labels at 11 px or more; text in tables at 11 px or more. Skips
without Chromium, chromedriver or selenium unless ``TECHSPEC_REQUIRE_BROWSER=1``.
``TECHSPEC_SCREENSHOTS=DIR`` also saves screenshots of the pages read.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

pytestmark = pytest.mark.slow(seconds=36)

ROOT = Path(__file__).resolve().parent.parent
THEMES = {
    "alabaster": None,
    "furo": "body",
    "sphinx_rtd_theme": None,
    "pydata_sphinx_theme": "html",
}
THEME_PACKAGES = {
    "sphinx_rtd_theme": "sphinx_rtd_theme",
    "pydata_sphinx_theme": "pydata_sphinx_theme",
}
#: Page → what a screenshot of it shows (scrolled into view).
PAGES = {
    "traceability.html": ".techspec-matrix",
    "security.html": ".techspec-risk-register",
    "decisions.html": ".techspec-item",
    "requirements.html": ".techspec-item",
    "design/index.html": ".techspec-api-index",
    "design/account-api.html": ".techspec-type-api-endpoint",
    "test-results.html": ".techspec-matrix",
    "workflows.html": ".techspec-diagram",
}
#: Every rendered diagram has its viewer (static/techspec-diagrams.js) once it is drawn.
DIAGRAMS_READY = (
    "return [...document.querySelectorAll('.techspec-diagram pre.mermaid')]"
    ".every(pre => pre.techspecViewer);"
)
MIN_TEXT_PX = 11
WIDTHS = (1400, 400)


def unavailable(reason: str) -> None:
    if os.environ.get("TECHSPEC_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TECHSPEC_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"{reason} (set TECHSPEC_REQUIRE_BROWSER=1 to make this a failure)")


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    """One headless Chromium for every theme and page of this module."""
    if importlib.util.find_spec("selenium") is None:
        unavailable("selenium is not installed (pip install -e .[test])")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not browser or not chromedriver:
        unavailable("no Chromium and chromedriver found (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        # Nothing in the background: no update checks, no sync, no first-run work.
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
    ):
        options.add_argument(argument)
    # Pages come from file:// and need nothing else: cut the network off.
    options.add_argument("--proxy-server=127.0.0.1:9")
    instance = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        yield instance
    finally:
        instance.quit()


def build_example(theme: str, tmp_path: Path) -> Path:
    package = THEME_PACKAGES.get(theme)
    if package and importlib.util.find_spec(package) is None:
        unavailable(f"the theme {theme} is not installed (pip install -e .[test])")
    if theme == "furo" and importlib.util.find_spec("furo") is None:
        unavailable("the theme furo is not installed (pip install -e .[test])")
    source = tmp_path / "example"
    shutil.copytree(ROOT / "example_project", source, ignore=shutil.ignore_patterns("_build"))
    with (source / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\nhtml_theme = {theme!r}\n")
    out = tmp_path / "html"
    assert build_main(["-q", "-b", "html", str(source), str(out)]) == 0
    return out


#: Measures the page: our elements wider than the content column outside their own scroll
#: container, and the contrast of every visible state class against its background.
PROBE = "return " + (Path(__file__).parent / "reading_probe.js").read_text(encoding="utf-8")

#: The element whose ``data-theme`` a theme's dark switch sets.
DARK = {"body": "document.body", "html": "document.documentElement"}
#: Sets that element's ``data-theme`` to ``arguments[0]`` (null: none), returning the old one.
SET_THEME = (
    "const element = {element}; const was = element.dataset.theme ?? null;"
    "if (arguments[0] === null) delete element.dataset.theme;"
    "else element.dataset.theme = arguments[0];"
    "return was;"
)
NO_TRANSITIONS = (
    "const style = document.createElement('style');"
    "style.textContent = '*, *::before, *::after { transition: none !important; }';"
    "document.head.appendChild(style);"
)


def prefer_dark(driver, dark: bool) -> None:
    """The system setting a theme's "auto" mode follows (furo's default)."""
    value = "dark" if dark else "light"
    features = [{"name": "prefers-color-scheme", "value": value}]
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": features})


def load(driver, url: str, width: int) -> None:
    """Open ``url`` in a window ``width`` px wide, light, with transitions off.

    Once per page and width: our script widens tables for the width the page loads at.
    The colour modes are then measured on the same load (``measure``).
    """
    driver.set_window_size(width, 1000)
    prefer_dark(driver, False)
    driver.get(url)
    driver.execute_script(NO_TRANSITIONS)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20, poll_frequency=0.05).until(lambda d: d.execute_script(DIAGRAMS_READY))


@contextlib.contextmanager
def colour_mode(driver, dark: str | None) -> Iterator[None]:
    """The loaded page in one colour mode (None: light); light again afterwards."""
    if dark is None:
        yield
    elif dark == "system":
        prefer_dark(driver, True)
        try:
            yield
        finally:
            prefer_dark(driver, False)
    else:
        set_theme = SET_THEME.replace("{element}", DARK[dark])
        was = driver.execute_script(set_theme, "dark")
        try:
            yield
        finally:
            driver.execute_script(set_theme, was)


def measure(driver) -> dict:
    return json.loads(driver.execute_script(PROBE))


def view_problems(found: dict, width: int) -> list[str]:
    """Tables and diagrams not shown whole (nor with the way to see them whole), small text."""
    problems = []
    for table in found["tables"]:
        if not table["whole"] and (width >= 1400 or not table["hint"]):
            problems.append(
                f"table in #{table['name']} scrolls" + ("" if table["hint"] else ", unsaid")
            )
        if table["smallest"] is not None and table["smallest"] < MIN_TEXT_PX:
            problems.append(f"table in #{table['name']} has {table['smallest']:.1f} px text")
    for diagram in found["diagrams"]:
        where = f"diagram in #{diagram['name']}"
        if not diagram["drawn"]:
            problems.append(f"{where} is not drawn")
            continue
        if not diagram["whole"] and not diagram["control"]:
            problems.append(f"{where} is cut with no control to see it whole")
        if diagram["label"] is not None and diagram["label"] < MIN_TEXT_PX - 0.05:
            problems.append(f"{where} has {diagram['label']:.1f} px labels")
    return problems


def screenshot(driver, name: str, selector: str) -> None:
    folder = os.environ.get("TECHSPEC_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.execute_script(
            "document.documentElement.style.scrollBehavior = 'auto';"
            "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView();",
            selector,
        )
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def check_matrix_interaction(driver, url: str) -> None:
    """Filter the first sortable matrix to one row, clear it, sort its ID column descending."""
    from selenium.webdriver.common.by import By

    driver.set_window_size(1400, 1000)
    driver.get(url)
    tools = driver.find_element(By.CSS_SELECTOR, ".techspec-matrix .techspec-table-tools")
    table = driver.find_element(By.CSS_SELECTOR, ".techspec-matrix table.techspec-matrix-list")

    def shown_ids() -> list[str]:
        return driver.execute_script(
            "return [...arguments[0].tBodies[0].rows].filter(r => !r.hidden)"
            ".map(r => r.cells[0].textContent.trim().split(/\\s+/)[0]);",
            table,
        )

    every = shown_ids()
    assert len(every) >= 6, every
    count = tools.find_element(By.CSS_SELECTOR, ".techspec-table-count")
    assert count.text == f"{len(every)} of {len(every)} rows"
    search = tools.find_element(By.CSS_SELECTOR, "input.techspec-table-filter")
    search.send_keys(every[2])
    assert shown_ids() == [every[2]]
    assert count.text == f"1 of {len(every)} rows"
    search.clear()
    search.send_keys(" ")  # an input event with an empty filter shows every row again
    assert shown_ids() == every
    # Choosing a coverage value shows exactly the rows with it.
    choice = tools.find_elements(By.CSS_SELECTOR, "select.techspec-table-choice")
    assert choice, "the matrix has no choice list for its Coverage column"
    driver.execute_script(
        "arguments[0].value = arguments[0].options[1].value;"
        "arguments[0].dispatchEvent(new Event('change'));",
        choice[0],
    )
    wanted = driver.execute_script("return arguments[0].value;", choice[0])
    coverage = driver.execute_script(
        "return [...arguments[0].tBodies[0].rows].filter(r => !r.hidden)"
        ".map(r => r.cells[r.cells.length - 1].textContent.replace(/\\s+/g, ' ').trim());",
        table,
    )
    assert coverage and set(coverage) == {wanted}
    driver.execute_script(
        "arguments[0].value = ''; arguments[0].dispatchEvent(new Event('change'));", choice[0]
    )
    header = table.find_element(By.CSS_SELECTOR, "thead tr:last-child th:first-child button")
    header.click()
    assert shown_ids() == sorted(every, key=natural)
    header.click()
    assert shown_ids() == sorted(every, key=natural, reverse=True)
    assert (
        table.find_element(By.CSS_SELECTOR, "thead tr:last-child th:first-child").get_attribute(
            "aria-sort"
        )
        == "descending"
    )


def natural(text: str) -> tuple:
    import re

    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", text))


@pytest.mark.parametrize("theme", list(THEMES))
def test_example_reads_well_in_theme(driver, tmp_path, theme):
    out = build_example(theme, tmp_path)
    problems: list[str] = []
    modes = [None] + ([THEMES[theme]] if THEMES[theme] else [])
    if theme == "furo":
        modes.append("system")  # furo's "auto": dark because the system prefers it
    for page in PAGES:
        url = (out / page).as_uri()
        for width in WIDTHS:
            load(driver, url, width)
            # Colours do not depend on the width, nor the layout on the colours: the dark
            # modes are measured at the first width only.
            for dark in modes if width == WIDTHS[0] else [None]:
                mode = "light" if dark is None else "system-dark" if dark == "system" else "dark"
                name = page.replace("/", "-").removesuffix(".html")
                with colour_mode(driver, dark):
                    found = measure(driver)
                    screenshot(driver, f"{theme}-{name}-{width}-{mode}", PAGES[page])
                where = f"{theme} {page} {width}px {mode}"
                problems += [f"{where}: outside its box: {o}" for o in found["overflowing"]]
                problems += [f"{where}: {problem}" for problem in view_problems(found, width)]
                problems += [
                    f"{where}: {state} {text!r} has contrast {ratio:.2f}"
                    for state, text, ratio in found["contrasts"]
                    if ratio < 4.5
                ]
                if page == "traceability.html" and width == 1400 and dark is None:
                    assert found["contrasts"], "the matrix shows no state"
                    assert len(found["tables"]) >= 5 and len(found["diagrams"]) == 2, found
    assert not problems, "\n".join(problems[:40])
    prefer_dark(driver, False)
    check_matrix_interaction(driver, (out / "traceability.html").as_uri())
