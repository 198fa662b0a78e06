"""The built HTML renders its diagrams in a real browser with the network cut off.

Headless Chromium (Debian's ``chromium`` package) opens pages served from
127.0.0.1; every host name fails to resolve and every other address goes to a
closed proxy, so a CDN import would fail. The test skips without Chromium
unless ``TECHSPEC_REQUIRE_BROWSER=1`` (as in CI), where it fails instead.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOTS

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("TECHSPEC_REQUIRE_BROWSER") == "1":
        pytest.fail("TECHSPEC_REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)")
    pytest.skip("no Chromium installed (set TECHSPEC_REQUIRE_BROWSER=1 to make this a failure)")


@pytest.fixture
def browser() -> str:
    """Asked for before the site is built, so a skip costs no build."""
    return find_browser()


class QuietHandler(SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: object) -> None:
        self.requested.append(self.path)


@pytest.fixture
def served_site(make_app, tmp_path) -> Iterator[tuple[str, list[str]]]:
    srcdir = tmp_path / "views"
    shutil.copytree(ROOTS / "test-views", srcdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    requested: list[str] = []
    handler = type("Handler", (QuietHandler,), {"requested": requested})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(app.outdir))
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
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--proxy-server=http://127.0.0.1:9",
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


def page_requests(net_log: Path, origin: str) -> list[str]:
    """URLs the page asked for (the browser's own update checks have no origin)."""
    events = json.loads(net_log.read_text(encoding="utf-8"))["events"]
    return [
        event["params"]["url"]
        for event in events
        if isinstance(event.get("params"), dict)
        and event["params"].get("initiator") == origin
        and "url" in event["params"]
    ]


def test_diagrams_render_as_svg_without_network(browser, served_site, tmp_path):
    base, requested = served_site
    net_log = tmp_path / "netlog.json"
    dom = rendered_dom(browser, f"{base}/graphs.html", net_log, tmp_path / "profile")

    blocks = re.findall(r'<pre[^>]*class="mermaid"[^>]*>(.*?)</pre>', dom, re.S)
    assert len(blocks) == 2, dom[-3000:]
    for block in blocks:
        assert "<svg" in block, block[:500]
        assert 'aria-roledescription="error"' not in block
    # Nodes are links to the items.
    assert 'xlink:href="requirements.html#REQ-001"' in blocks[0]
    assert 'xlink:href="components.html#MAIL"' in blocks[1]
    # Mermaid and its chunks came from our own server, nothing from elsewhere.
    assert any(path.endswith("/_static/mermaid/mermaid.esm.min.mjs") for path in requested)
    assert any("/_static/mermaid/chunks/" in path for path in requested)
    from_page = page_requests(net_log, base)
    assert any(url.endswith("/_static/mermaid/mermaid.esm.min.mjs") for url in from_page)
    assert [url for url in from_page if not url.startswith(base)] == []
