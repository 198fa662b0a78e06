"""Every builder builds the diagram projects with -W; only browser builders get Mermaid."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOTS, warnings_of

pytestmark = pytest.mark.slow(seconds=13)

BUILDERS = ("html", "dirhtml", "singlehtml", "epub", "text", "latex", "man")


@pytest.mark.parametrize("buildername", BUILDERS)
@pytest.mark.parametrize("root", ["flows", "diagrams-scale", "views"])
def test_builder_is_warning_free_with_the_right_diagram_form(make_app, tmp_path, buildername, root):
    srcdir = tmp_path / root
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    if root == "diagrams-scale":  # its last section warns on purpose
        text = (srcdir / "index.rst").read_text()
        (srcdir / "index.rst").write_text(text.replace(":max-nodes: none", ":max-nodes: 9"))
    confoverrides = {"copyright": "2026, tests", "version": "1.0"}  # EPUB needs them
    # The fallback form; LaTeX and EPUB pictures: test_diagram_pictures.py.
    confoverrides["techspec_diagram_browser"] = False
    app = make_app(buildername, srcdir=srcdir, warningiserror=True, confoverrides=confoverrides)
    app.build()
    assert not warnings_of(app)
    out = app.outdir
    written = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in out.rglob("*")
        if path.suffix in {".html", ".xhtml", ".txt", ".tex", ".1"}
    )
    vendored = out / "_static" / "mermaid" / "mermaid.min.js"
    if buildername in ("html", "dirhtml", "singlehtml"):
        assert vendored.is_file()
        assert 'class="mermaid"' in written
        assert "const mermaid = window.mermaid;" in written
    else:
        assert not vendored.exists()
        assert 'class="mermaid"' not in written and "[graph" not in written
        assert "mermaid.min.js" not in written
        # The readable fallback: tables of edges, messages or steps.
        word = {"flows": "Message", "diagrams-scale": "From", "views": "From"}[root]
        assert word in written


EXAMPLE = ROOTS.parent.parent / "example_project"


@pytest.mark.parametrize("buildername", BUILDERS)
def test_the_example_builds_warning_free_with_every_builder(make_app, tmp_path, buildername):
    """As a user builds it: its own conf.py (version included), no overrides."""
    srcdir = tmp_path / "example"
    shutil.copytree(EXAMPLE, srcdir, ignore=shutil.ignore_patterns("_build"))
    app = make_app(buildername, srcdir=srcdir, warningiserror=True)
    app.build()
    assert not warnings_of(app)
    # A second build into the same output (an EPUB lists every file there) stays clean too.
    app.build()
    assert not warnings_of(app)
    written = {path.suffix for path in app.outdir.rglob("*") if path.is_file()}
    expected = {"html": ".html", "dirhtml": ".html", "singlehtml": ".html", "epub": ".epub"}
    expected |= {"text": ".txt", "latex": ".tex", "man": ".1"}
    assert expected[buildername] in written
