"""The generated ER diagram renders in a real browser (Mermaid's parser accepts it).

Reuses the served-site helpers of the diagram browser test; skips without
Chromium unless ``TECHSPEC_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from http.server import ThreadingHTTPServer

from conftest import ROOTS
from test_browser_diagrams import QuietHandler, browser, rendered_dom  # noqa: F401


def test_er_diagram_renders_as_svg(browser, make_app, tmp_path):  # noqa: F811
    srcdir = tmp_path / "design"
    shutil.copytree(ROOTS / "test-design", srcdir)
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
        base = f"http://127.0.0.1:{server.server_address[1]}"
        dom = rendered_dom(
            browser, f"{base}/models.html", tmp_path / "netlog.json", tmp_path / "profile"
        )
    finally:
        server.shutdown()
        server.server_close()
    # The viewer (static/techspec-diagrams.js) adds classes of its own to the <pre>.
    blocks = re.findall(r'<pre[^>]*class="mermaid[^"]*"[^>]*>(.*?)</pre>', dom, re.S)
    assert len(blocks) == 2, dom[-3000:]  # all models, then a filtered diagram
    for block in blocks:
        assert 'aria-roledescription="er"' in block
        assert 'aria-roledescription="error"' not in block
    # Every entity and both relationships were drawn.
    for name in ("Organization", "User", "Address", "organization_id", "address"):
        assert f">{name}<" in blocks[0]
    assert len(re.findall(r'class="[^"]*relationshipLine', blocks[0])) == 2
