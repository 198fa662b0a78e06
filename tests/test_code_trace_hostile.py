"""Hostile code for the scanner, asserted on the built HTML: markup in comments and in file
names shown as text (cards, views, source pages), a huge file and undecodable bytes skipped
and counted, never a traceback."""

from __future__ import annotations

import re
import shutil
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from conftest import ROOTS, warnings_of
from sphinx.testing.util import SphinxTestApp

#: Markup a comment may hold; none of it may reach the HTML as markup.
HOSTILE_PY = '''"""Hostile comments.

.. raw:: html

   <script>alert("docstring")</script>
"""


# .. raw:: html
#
#    <script>alert("raw")</script>
# :download:`the config <../../conf.py>`
# @implements REQ-PAY <img src=x onerror=alert(1)>
def refund(amount: int) -> int:
    """:implements: REQ-CART

    <iframe src="javascript:alert(2)"></iframe>
    """
    return -amount
'''
EVIL_NAME = 'evil<b onmouseover="x">&.py'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src = tmp_path_factory.mktemp("hostile") / "src"
    shutil.copytree(ROOTS / "test-code-build", src)
    shop = src / "src" / "shop"
    (shop / "hostile.py").write_text(HOSTILE_PY)
    (shop / EVIL_NAME).write_text("# @implements REQ-CART\ndef evil():\n    pass\n")
    (shop / "huge.py").write_text("# @implements REQ-PAY\ndef huge():\n" + "    x = 1\n" * 600_000)
    (shop / "latin.py").write_bytes(b"# @implements REQ-PAY\n# caf\xe9 \xff\xfe\ndef latin():\n")
    (src / "impact.rst").write_text("Impact\n======\n\n.. impact::\n   :ids: REQ-CART, REQ-PAY\n")
    index = src / "index.rst"
    index.write_text(index.read_text() + "   impact\n")
    app = SphinxTestApp(
        "html", srcdir=src, builddir=src / "_build", status=StringIO(), warning=StringIO()
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def html_of(app, page: str) -> str:
    return (Path(app.outdir) / page).read_text(encoding="utf-8")


def main_of(app, page: str) -> str:
    """The page's body (not the theme's own scripts)."""
    html = (Path(app.outdir) / page).read_text(encoding="utf-8")
    return html[html.index('role="main"') : html.index('class="sphinxsidebar"')]


#: What the hostile code must never put in a page as markup.
RAW = ("<script", "<img", "<iframe", "<b onmouseover", 'onmouseover="x"')


def assert_no_markup(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{raw} in {where}"


def test_the_build_survives_the_hostile_files_with_one_located_warning(built):
    # The huge file is only counted; the file that is not UTF-8 is said, at that file.
    (warning,) = warnings_of(built)
    assert ":1: WARNING: " in warning and "latin.py: not UTF-8 text" in warning
    assert warning.endswith("[techspec.code_file]")


def test_markup_in_a_file_name_is_text_in_cards_views_and_the_impact_view(built):
    shown = 'src/shop/evil&lt;b</span> <span class="pre">onmouseover=&quot;x&quot;&gt;&amp;.py:2'
    for page in ("cart.html", "views.html", "impact.html"):
        html = main_of(built, page)
        assert_no_markup(html, page)
        assert shown in html, page
        # The link to its source page uses a safe name, not the raw file name.
        assert re.search(
            r'href="_code/src/shop/evil_b_onmouseover_x-[0-9a-f]+\.py\.html#L-2"', html
        )
    impact = main_of(built, "impact.html")
    assert "src/shop/evil&lt;b onmouseover=&quot;x&quot;&gt;&amp;.py:2 evil" in impact  # path


def test_markup_in_comments_is_text_on_the_source_page(built):
    page = Path(built.outdir) / "_code" / "src" / "shop" / "hostile.py.html"
    html = main_of(built, str(page.relative_to(built.outdir)))
    assert_no_markup(html, "hostile.py.html")
    # Shown as written: escaped in the HTML, the same text once unescaped.
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "# .. raw:: html" in text
    assert '#    <script>alert("raw")</script>' in text
    assert "# :download:`the config <../../conf.py>`" in text
    assert '<iframe src="javascript:alert(2)"></iframe>' in text
    assert '<script>alert("docstring")</script>' in text
    # Nothing was downloaded or linked: :download: in a comment is no role.
    assert not (Path(built.outdir) / "_downloads").exists()
    assert 'conf.py"' not in html
    # The marker before the markup still counts; the card links to the function.
    assert 'href="_code/src/shop/hostile.py.html#L-14"' in main_of(built, "pay.html")


def test_a_huge_file_and_undecodable_bytes_are_skipped_and_counted(built):
    status = re.sub(r"\x1b\[[0-9;]*m", "", built.status.getvalue())
    assert (
        "techspec_code_paths: 2 files not scanned (1 larger than the size limit, 1 not UTF-8 text)"
    ) in status
    pay = main_of(built, "pay.html")
    assert "huge.py" not in pay and "latin.py" not in pay  # their markers name REQ-PAY
    pages = sorted(p.name for p in (Path(built.outdir) / "_code").rglob("*.html"))
    assert "huge.py.html" not in pages and "latin.py.html" not in pages
    assert "huge" not in main_of(built, "impact.html")
