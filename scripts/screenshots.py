"""Screenshots of built pages in the four themes we support, at a desktop and a phone width.

What a reviewer sees is the product: every page a change touches is looked at in alabaster,
furo, sphinx_rtd_theme and pydata at 1400 and 400 px. This builds a Sphinx project once per
theme (``-D html_theme=...``) and saves a full-page PNG of each named page per theme and width,
with Debian's headless Chromium and chromedriver (no browser download, no network).

Usage::

    python scripts/screenshots.py docs reqif.html sphinx-needs.html --out /tmp/shots
    python scripts/screenshots.py example_project index.html --themes furo --widths 1400
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

THEMES = ("alabaster", "furo", "sphinx_rtd_theme", "pydata_sphinx_theme")
WIDTHS = (1400, 400)


def build(project: Path, theme: str, out: Path) -> Path:
    target = out / f"build-{theme}"
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", f"html_theme={theme}"]
    subprocess.run([*command, str(project), str(target)], check=True)
    return target


def driver(width: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(argument)
    options.add_argument("--proxy-server=127.0.0.1:9")
    options.add_argument(f"--window-size={width},1000")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def shoot(site: Path, pages: list[str], width: int, prefix: Path) -> list[Path]:
    browser = driver(width)
    saved = []
    try:
        for page in pages:
            browser.set_window_size(width, 1000)  # else the last page's height carries over
            browser.get((site / page).resolve().as_uri())
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.set_window_size(width, min(int(height) + 100, 12000))
            name = prefix.parent / f"{prefix.name}-{page.replace('/', '_')}-{width}.png"
            browser.save_screenshot(str(name))
            saved.append(name)
    finally:
        browser.quit()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--out", type=Path, default=Path("/tmp/techspec-shots"))
    parser.add_argument("--themes", nargs="+", default=list(THEMES))
    parser.add_argument("--widths", nargs="+", type=int, default=list(WIDTHS))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for theme in args.themes:
        site = build(args.project, theme, args.out)
        for width in args.widths:
            for path in shoot(site, args.pages, width, args.out / theme):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
