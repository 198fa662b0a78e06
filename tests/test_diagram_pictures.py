"""LaTeX and EPUB builds draw every diagram as a picture in one headless Chromium launch.

Tests that draw skip without Chromium unless ``TECHSPEC_REQUIRE_BROWSER=1`` (as in
CI), where they fail instead. The fallback tests need no browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOTS, browser_or_skip, techspec_warnings, warnings_of
from lxml import etree
from pypdf import PdfReader

from sphinx_techspec import diagram_render
from sphinx_techspec.diagram_pictures import CACHE_FOLDER

pytestmark = pytest.mark.slow(seconds=18)

INCLUDE = re.compile(r"\\sphinxincludegraphics\{\{(techspec-diagram-[0-9a-f]+)\}\.pdf\}")
INFO = "techspec: diagrams are tables in this"

BAD_PAGE = """Own diagrams
============

A diagram of the project's own, drawn the same way:

.. mermaid::

   flowchart LR
     A["Own start"] --> B["Own end"]

This one is broken:

.. mermaid::

   flowchart LR
     A[[[ -->
"""


@pytest.fixture
def chromium() -> str:
    return browser_or_skip(diagram_render.find_browser(None))


@pytest.fixture
def launches(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every browser command the build runs (the real browser still runs)."""
    seen: list[list[str]] = []
    real_popen = subprocess.Popen

    def counting_popen(command, *args, **kwargs):
        seen.append(list(command))
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(diagram_render.subprocess, "Popen", counting_popen)
    return seen


def project(tmp_path: Path, name: str = "pictures", bad_page: bool = False) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / "test-diagram-pictures", srcdir)
    if bad_page:
        (srcdir / "own.rst").write_text(BAD_PAGE)
        index = srcdir / "index.rst"
        index.write_text(index.read_text().replace("Graph\n", ".. toctree::\n\n   own\n\nGraph\n"))
    return srcdir


def included_pictures(app) -> list[Path]:
    tex = (app.outdir / "pictures.tex").read_text()
    return [app.outdir / f"{name}.pdf" for name in INCLUDE.findall(tex)]


def test_latex_includes_one_pdf_per_diagram_from_one_launch(make_app, tmp_path, chromium, launches):
    app = make_app("latex", srcdir=project(tmp_path), warningiserror=True)
    app.build()
    assert not warnings_of(app)
    assert len(launches) == 1  # both diagrams on one page
    assert "--print-to-pdf" in " ".join(launches[0])
    pictures = included_pictures(app)
    assert len(pictures) == 2
    texts = []
    for picture in pictures:
        reader = PdfReader(picture)
        assert len(reader.pages) == 1
        width, height = (float(v) for v in reader.pages[0].mediabox[2:])
        assert 50 < width < 2000 and 30 < height < 2000
        assert "/CreationDate" not in (reader.metadata or {})
        texts.append(reader.pages[0].extract_text())
    graph, workflow = texts
    # The escaped '-' of the ID is decoded as the HTML shows it, not left as &#45;.
    assert "TOKEN-STORE" in graph and "&#45;" not in graph and "TC-1" in graph
    assert "Password changed" in workflow
    # Mermaid's wrapping may cut the "&#58;" of an escaped ':' in two: still a ':'.
    assert "&#" not in workflow and "{token}/confirm:" in "".join(workflow.split())
    tex = (app.outdir / "pictures.tex").read_text()
    assert "Legend:" in tex  # the legend stays under the picture
    assert "Resetting a password" in tex


def test_rebuild_launches_no_browser_and_same_sources_give_same_bytes(
    make_app, tmp_path, chromium, launches
):
    srcdir = project(tmp_path, "first")
    first = make_app("latex", srcdir=srcdir)
    first.build()
    cached = sorted((Path(first.doctreedir) / CACHE_FOLDER).iterdir())
    assert [p.name.split(".", 1)[1] for p in cached] == ["pdf.cached", "pdf.cached"]
    assert len(launches) == 1
    drawn = {p.name: p.read_bytes() for p in included_pictures(first)}
    for picture in included_pictures(first):
        picture.unlink()
    again = make_app("latex", srcdir=srcdir)  # the same doctree directory
    again.build(force_all=True)
    assert len(launches) == 1  # drawn from the cache
    assert {p.name: p.read_bytes() for p in included_pictures(again)} == drawn
    elsewhere = make_app("latex", srcdir=project(tmp_path, "second"))  # a cache of its own
    elsewhere.build()
    assert len(launches) == 2
    assert {p.name: p.read_bytes() for p in included_pictures(elsewhere)} == drawn


def test_mermaid_that_does_not_parse_is_a_located_warning_and_falls_back(
    make_app, tmp_path, chromium
):
    app = make_app("latex", srcdir=project(tmp_path, bad_page=True))
    app.build()
    found = techspec_warnings(app, "diagram_render")
    assert len(found) == 1, warnings_of(app)
    located = re.search(
        r"own\.rst:(\d+): WARNING: Mermaid cannot draw this diagram: Parse error", found[0]
    )
    assert located and 13 <= int(located.group(1)) <= 16  # the directive's lines
    assert len(warnings_of(app)) == 1
    tex = (app.outdir / "pictures.tex").read_text()
    assert len(included_pictures(app)) == 3  # the project's own good diagram too
    # The broken one is shown as its source text.
    assert "\\begin{sphinxVerbatim}" in tex and "flowchart LR\n  A[[[" in tex


def test_epub_gets_svg_pictures_with_text_labels(make_app, tmp_path, chromium, launches):
    app = make_app("epub", srcdir=project(tmp_path), warningiserror=True)
    app.build()
    assert not warnings_of(app)
    assert len(launches) == 1 and "--dump-dom" in launches[0]
    svgs = sorted((app.outdir / "_images").glob("techspec-diagram-*.svg"))
    assert len(svgs) == 2
    page = (app.outdir / "index.xhtml").read_text()
    for svg in svgs:
        assert f'src="_images/{svg.name}"' in page
        tree = etree.parse(str(svg))  # well-formed XML, as an EPUB needs
        assert tree.getroot().tag == "{http://www.w3.org/2000/svg}svg"
        assert not tree.xpath("//*[local-name()='foreignObject']")  # no HTML labels
        assert not tree.xpath("//@*[local-name()='href']")  # no links to HTML pages
    labels = " ".join(etree.parse(str(svg)).xpath("string(/)") for svg in svgs)
    assert "TOKEN-STORE" in labels and "Password changed" in labels
    assert "&#" not in labels and "{token}/confirm:" in "".join(labels.split())
    assert 'alt="Traceability graph of 3 items"' in page
    assert 'alt="Workflow WF-RESET: Resetting a password"' in page


@pytest.mark.parametrize(
    ("setting", "reason"),
    [
        (False, "techspec_diagram_browser is False"),
        ("/nonexistent/chromium", "no Chromium found (/nonexistent/chromium); install Chromium"),
    ],
)
def test_without_a_browser_diagrams_are_tables_and_one_info_line_says_why(
    make_app, tmp_path, setting, reason
):
    app = make_app(
        "latex",
        srcdir=project(tmp_path),
        warningiserror=True,
        confoverrides={"techspec_diagram_browser": setting},
    )
    app.build()
    assert not warnings_of(app)
    status = app.status.getvalue()
    assert status.count(INFO) == 1
    assert f"{INFO} latex build: {reason}" in status
    tex = (app.outdir / "pictures.tex").read_text()
    assert "sphinxincludegraphics" not in tex
    assert "From" in tex and "TOKEN-STORE" in tex  # the table of edges
    assert "Password changed" in tex  # the workflow's table of steps
    assert "Legend:" not in tex
    assert not (Path(app.doctreedir) / CACHE_FOLDER).exists()


def test_a_browser_that_fails_leaves_tables_and_says_so(make_app, tmp_path):
    broken = tmp_path / "broken-chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    broken.chmod(0o755)
    app = make_app(
        "latex",
        srcdir=project(tmp_path),
        warningiserror=True,
        confoverrides={"techspec_diagram_browser": str(broken)},
    )
    app.build()
    assert not warnings_of(app)
    status = app.status.getvalue()
    assert status.count(INFO) == 1
    assert "drawing failed: broken-chromium drew no diagrams (cannot open display)" in status
    tex = (app.outdir / "pictures.tex").read_text()
    assert "sphinxincludegraphics" not in tex and "From" in tex


def test_a_hung_browser_is_killed_with_its_helpers_and_tables_stay(make_app, tmp_path, monkeypatch):
    helper_pid = tmp_path / "helper.pid"
    hung = tmp_path / "hung-chromium"
    hung.write_text(f"#!/bin/sh\nsleep 120 &\necho $! > {helper_pid}\nsleep 120\n")
    hung.chmod(0o755)
    monkeypatch.setattr(diagram_render, "TIMEOUT_SECONDS", 2)
    app = make_app(
        "latex",
        srcdir=project(tmp_path),
        warningiserror=True,
        confoverrides={"techspec_diagram_browser": str(hung)},
    )
    started = time.monotonic()
    app.build()
    assert time.monotonic() - started < 60  # not held until the helper's sleep ends
    assert not warnings_of(app)
    assert "drawing failed: hung-chromium took longer than 2 s" in app.status.getvalue()
    assert "sphinxincludegraphics" not in (app.outdir / "pictures.tex").read_text()
    stat = Path(f"/proc/{int(helper_pid.read_text())}/stat")
    for _ in range(50):  # killed: gone, or a zombie until something reaps it
        if not stat.exists() or stat.read_text().split(") ")[1][:1] == "Z":
            break
        time.sleep(0.1)
    else:
        pytest.fail("the browser's helper process outlived the timeout")


def test_a_cache_that_cannot_be_written_leaves_tables_and_says_so(make_app, tmp_path, chromium):
    srcdir = project(tmp_path)
    blocker = srcdir / "_build" / "doctrees" / CACHE_FOLDER
    blocker.parent.mkdir(parents=True)
    blocker.write_text("not a folder")
    app = make_app("latex", srcdir=srcdir, warningiserror=True)
    assert Path(app.doctreedir) == blocker.parent
    app.build()
    assert not warnings_of(app)
    assert "drawing failed" not in app.status.getvalue()
    assert f"{INFO} latex build: cannot write the picture cache" in app.status.getvalue()
    assert "sphinxincludegraphics" not in (app.outdir / "pictures.tex").read_text()


@pytest.mark.parametrize("buildername", ["html", "singlehtml", "text"])
def test_other_builders_launch_nothing(make_app, tmp_path, launches, buildername):
    marker = tmp_path / "launched"
    browser = tmp_path / "marking-chromium"
    browser.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    browser.chmod(0o755)
    app = make_app(
        buildername,
        srcdir=project(tmp_path),
        warningiserror=True,
        confoverrides={"techspec_diagram_browser": str(browser)},
    )
    app.build()
    assert not launches and not marker.exists()
    assert INFO not in app.status.getvalue()
    written = "".join(p.read_text() for p in app.outdir.glob("index.*"))
    if buildername == "text":
        assert "From" in written  # the table of edges
    else:
        assert written.count('class="mermaid"') == 2


def test_a_malformed_browser_setting_is_bad_config(make_app, tmp_path):
    app = make_app(
        "latex", srcdir=project(tmp_path), confoverrides={"techspec_diagram_browser": True}
    )
    app.build()
    assert len(techspec_warnings(app, "bad_config")) == 1


def epub_members(app) -> dict[str, bytes]:
    (book,) = app.outdir.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_epub_draws_the_diagrams_of_every_page_in_one_launch(
    make_app, tmp_path, chromium, launches
):
    app = make_app("epub", srcdir=project(tmp_path, bad_page=True))
    app.build()
    assert len(launches) == 1 and "--dump-dom" in launches[0]
    members = epub_members(app)
    pictures = sorted(n for n in members if re.fullmatch(r"_images/techspec-diagram-.*\.svg", n))
    assert len(pictures) == 3  # two on the index page, the own good one on the other
    index, own = members["index.xhtml"].decode(), members["own.xhtml"].decode()
    shown = re.findall(r'src="(_images/techspec-diagram-[0-9a-f]+\.svg)"', index + own)
    assert sorted(shown) == pictures
    labels = " ".join(etree.fromstring(members[name]).xpath("string(/)") for name in pictures)
    assert "TOKEN-STORE" in labels and "Password changed" in labels and "Own" in labels
    # The page with the broken diagram was written again: its source text, no image.
    found = techspec_warnings(app, "diagram_render")
    assert len(found) == 1 and re.search(r"own\.rst:\d+: WARNING: Mermaid cannot draw", found[0])
    assert own.count("techspec-diagram-") == 1 and "A[[[ --&gt;" in own
    assert len(warnings_of(app)) == 1  # no image Sphinx could not copy


def test_an_epub_whose_browser_fails_is_written_with_tables(make_app, tmp_path, launches):
    broken = tmp_path / "broken-chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    broken.chmod(0o755)
    app = make_app(
        "epub",
        srcdir=project(tmp_path, bad_page=True),
        warningiserror=True,
        confoverrides={"techspec_diagram_browser": str(broken)},
    )
    app.build()
    assert len(launches) == 1
    assert not warnings_of(app)
    status = app.status.getvalue()
    assert status.count(INFO) == 1
    assert f"{INFO} epub build: drawing failed: broken-chromium drew no diagrams" in status
    members = epub_members(app)
    assert not [name for name in members if "techspec-diagram-" in name]
    index, own = members["index.xhtml"].decode(), members["own.xhtml"].decode()
    assert "<img" not in index and "TOKEN-STORE" in index and "Password changed" in index
    assert "Legend:" not in index
    assert "<img" not in own and "Own start" in own
