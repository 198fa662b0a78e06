"""Views on one page follow edits on another page without a full rebuild (-E)."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOTS

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def views_copy(tmp_path):
    srcdir = tmp_path / "views"
    shutil.copytree(ROOTS / "test-views", srcdir)
    return srcdir


def read_docs(app) -> list[str]:
    status = ANSI.sub("", app.status.getvalue())
    return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status)


def matrix_text(app) -> str:
    return (app.outdir / "matrix.txt").read_text()


def test_editing_verifies_elsewhere_rewrites_the_matrix(make_app, views_copy):
    app = make_app("text", srcdir=views_copy)
    app.build()
    before = matrix_text(app)
    assert "| REQ-003 | Audit log of resets            | -              |" in before
    assert "Verified by: 2 of 3 requirements (66 %)" in before

    tests_rst = views_copy / "tests.rst"
    tests_rst.write_text(
        tests_rst.read_text().replace(":verifies: REQ-001\n", ":verifies: REQ-001, REQ-003\n")
    )
    app = make_app("text", srcdir=views_copy)  # a new run on the same outdir, no -E
    app.build()
    assert read_docs(app) == ["tests"]  # matrix.rst was not re-read, only rewritten
    after = matrix_text(app)
    assert "| REQ-003 | Audit log of resets            | TC-001         |" in after
    assert "Verified by: 3 of 3 requirements (100 %)" in after
    # The item pages follow too (reverse links), and the export.
    assert "TC-001" in (app.outdir / "requirements.txt").read_text().split("REQ-003")[1]


def test_removing_an_item_elsewhere_rewrites_views(make_app, views_copy):
    app = make_app("text", srcdir=views_copy)
    app.build()
    assert "REQ-003" in matrix_text(app)
    requirements = views_copy / "requirements.rst"
    text = requirements.read_text()
    requirements.write_text(text[: text.index(".. requirement:: REQ-003")])
    app = make_app("text", srcdir=views_copy)
    app.build()
    after = matrix_text(app)
    assert "REQ-003" not in after
    assert "Verified by: 2 of 2 requirements (100 %)" in after


def test_serial_and_parallel_builds_write_the_same_views(make_app, tmp_path):
    pages = {}
    for jobs in (1, 2):
        srcdir = tmp_path / f"views-j{jobs}"
        shutil.copytree(ROOTS / "test-views", srcdir)
        app = make_app("html", srcdir=srcdir, parallel=jobs)
        app.build()
        pages[jobs] = [
            (app.outdir / name).read_text() for name in ("matrix.html", "graphs.html")
        ] + [(app.outdir / name).read_text() for name in ("techspec.json", "needs.json")]
    assert pages[1] == pages[2]


def written_docs(app) -> list[str]:
    status = ANSI.sub("", app.status.getvalue())
    return re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", status)


def test_a_page_holding_only_a_matrix_follows_items_of_its_columns(make_app, views_copy):
    """The matrix declares its columns' item types, not only its rows': a component added
    elsewhere shows in an "implemented by" column although no requirement changed."""
    (views_copy / "only_matrix.rst").write_text(
        "Only a matrix\n=============\n\n.. traceability-matrix::\n   :columns: implements\n"
    )
    index = views_copy / "index.rst"
    index.write_text(index.read_text() + "   only_matrix\n")
    app = make_app("text", srcdir=views_copy)
    app.build()
    assert "GATEWAY" not in (app.outdir / "only_matrix.txt").read_text()

    components = views_copy / "components.rst"
    components.write_text(
        components.read_text() + "\n.. component:: GATEWAY API gateway\n   :implements: REQ-003\n"
    )
    app = make_app("text", srcdir=views_copy)
    app.build()
    assert read_docs(app) == ["components"]
    assert "only_matrix" in written_docs(app)  # rewritten, not re-read
    row = next(
        line
        for line in (app.outdir / "only_matrix.txt").read_text().splitlines()
        if "REQ-003" in line
    )
    assert "GATEWAY" in row
