"""Incremental and parallel builds write what a fresh serial build writes."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOTS, techspec_warnings


def touch_later(path: Path, text: str) -> None:
    """Rewrite a source so Sphinx sees it as changed even within one clock second."""
    path.write_text(text)
    later = time.time() + 5
    os.utime(path, (later, later))


@pytest.fixture
def basic_src(tmp_path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    return src


def card(html: str, item_id: str) -> str:
    """The HTML of one item card."""
    return html.split(f'id="{item_id}"', 1)[1].split("techspec-item", 1)[0]


def test_incremental_build_updates_reverse_links_on_other_pages(make_app, basic_src, tmp_path):
    build = tmp_path / "build"
    app = make_app("html", srcdir=basic_src, builddir=build)
    app.build()
    before = card((app.outdir / "requirements.html").read_text(), "REQ-001")
    assert 'href="tests.html#TC-002"' in before

    tests = basic_src / "tests.rst"
    touch_later(
        tests, tests.read_text().replace(":verifies: REQ-002, REQ-001", ":verifies: REQ-002")
    )
    app2 = make_app("html", srcdir=basic_src, builddir=build)
    app2.build()
    assert "0 added, 1 changed, 0 removed" in app2.status.getvalue()  # incremental, not full
    after = card((app2.outdir / "requirements.html").read_text(), "REQ-001")
    assert 'href="tests.html#TC-002"' not in after
    assert 'href="tests.html#TC-001"' in after
    # REQ-002 still lists TC-002.
    assert 'href="tests.html#TC-002"' in card(
        (app2.outdir / "requirements.html").read_text(), "REQ-002"
    )


def test_incremental_build_updates_titles_shown_by_roles(make_app, basic_src, tmp_path):
    build = tmp_path / "build"
    app = make_app("html", srcdir=basic_src, builddir=build)
    app.build()
    assert (
        'title="REQ-001: Users can reset their password"' in (app.outdir / "index.html").read_text()
    )

    reqs = basic_src / "requirements.rst"
    touch_later(
        reqs, reqs.read_text().replace("Users can reset their password", "Users reset passwords")
    )
    app2 = make_app("html", srcdir=basic_src, builddir=build)
    app2.build()
    assert "0 added, 1 changed, 0 removed" in app2.status.getvalue()
    assert 'title="REQ-001: Users reset passwords"' in (app2.outdir / "index.html").read_text()
    assert "Users reset passwords" in (app2.outdir / "tests.html").read_text()


def test_incremental_build_after_removing_a_page(make_app, basic_src, tmp_path):
    build = tmp_path / "build"
    app = make_app("html", srcdir=basic_src, builddir=build)
    app.build()
    assert "Implemented by" in (app.outdir / "requirements.html").read_text()

    (basic_src / "components.rst").unlink()
    index = basic_src / "index.rst"
    touch_later(index, index.read_text().replace("   components\n", ""))
    app2 = make_app("html", srcdir=basic_src, builddir=build)
    app2.build()
    assert "Implemented by" not in (app2.outdir / "requirements.html").read_text()
    assert app2.env.get_domain("techspec").get("AUTH") is None


def write_parallel_project(src: Path) -> None:
    """Nine pages whose items link across pages, with a duplicate in two pages."""
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_techspec"]\nproject = "parallel"\n')
    pages = [f"page{n}" for n in range(9)]
    toctree = "\n".join(f"   {p}" for p in pages)
    (src / "index.rst").write_text(f"Parallel\n========\n\n.. toctree::\n\n{toctree}\n")
    for n, page in enumerate(pages):
        body = [f"Page {n}", "=" * 10, ""]
        body += [f".. requirement:: REQ-{n} Requirement {n}", ""]
        if n:
            body += [
                f".. requirement:: REQ-{n}b Refines the previous",
                f"   :refines: REQ-{n - 1}",
                "",
            ]
        body += [f".. test-case:: TC-{n} Test {n}", f"   :verifies: REQ-{(n + 3) % 9}, REQ-{n}", ""]
        if n in (2, 7):
            body += [".. component:: SHARED Defined twice", ""]
        body += [f"See :spec:`REQ-{(n + 5) % 9}`.", ""]
        (src / f"{page}.rst").write_text("\n".join(body))


def test_parallel_build_writes_the_same_html_as_serial(make_app, tmp_path):
    src = tmp_path / "src"
    write_parallel_project(src)
    serial = make_app("html", srcdir=src, builddir=tmp_path / "serial", freshenv=True)
    serial.build()
    parallel = make_app(
        "html", srcdir=src, builddir=tmp_path / "parallel", parallel=2, freshenv=True
    )
    parallel.build()
    assert parallel.parallel == 2
    for page in ["index", *[f"page{n}" for n in range(9)]]:
        name = f"{page}.html"
        assert (parallel.outdir / name).read_text() == (serial.outdir / name).read_text(), name
    assert techspec_warnings(serial, "duplicate_id") == techspec_warnings(parallel, "duplicate_id")
    (line,) = techspec_warnings(parallel, "duplicate_id")
    assert "page7.rst" in line and "also defined at page2.rst" in line


def test_other_projects_link_to_items_through_intersphinx(make_app, basic_src, tmp_path):
    upstream = make_app("html", srcdir=basic_src, builddir=tmp_path / "upstream")
    upstream.build()
    inventory = upstream.outdir / "objects.inv"

    src = tmp_path / "downstream"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinx_techspec", "sphinx.ext.intersphinx"]\n'
        "intersphinx_mapping = {'upstream': ('https://specs.example.org/accounts/', "
        f"{str(inventory)!r})}}\n"
    )
    (src / "index.rst").write_text(
        "Downstream\n==========\n\n"
        "We rely on :spec:`upstream:REQ-001` and :req:`upstream:REQ-002`.\n\n"
        ".. requirement:: DOWN-1 Local requirement\n"
    )
    app = make_app("html", srcdir=src, builddir=tmp_path / "down")
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert 'href="https://specs.example.org/accounts/requirements.html#REQ-001"' in html
    assert 'href="https://specs.example.org/accounts/requirements.html#REQ-002"' in html
    assert techspec_warnings(app, "unknown_ref") == []
