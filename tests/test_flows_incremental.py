"""Links derived from a flow's body follow edits on either page without a full rebuild."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOTS, techspec_warnings
from test_views_incremental import read_docs


@pytest.fixture
def flows_copy(tmp_path):
    srcdir = tmp_path / "flows"
    shutil.copytree(ROOTS / "test-flows", srcdir)
    return srcdir


def test_editing_the_sequence_rewrites_the_participants_pages(make_app, flows_copy):
    app = make_app("text", srcdir=flows_copy)
    app.build()
    design = (app.outdir / "design.txt").read_text()
    mailer = design[design.index("**MAILER**") : design.index("[API-RESET]")]
    assert "SEQ-RESET" in mailer
    flows = flows_copy / "flows.rst"
    text = flows.read_text()
    flows.write_text(
        text.replace("   ACC-API -> MAILER: POST /messages\n   MAILER --> ACC-API: 202\n", "")
    )
    app = make_app("text", srcdir=flows_copy)
    app.build()
    assert read_docs(app) == ["flows"]  # design.rst was not re-read, only rewritten
    design = (app.outdir / "design.txt").read_text()
    mailer = design[design.index("**MAILER**") : design.index("[API-RESET]")]
    assert "SEQ-RESET" not in mailer and "SEQ-MYST" in mailer


def test_changing_an_endpoint_rewrites_the_sequence_and_checks_it_again(make_app, flows_copy):
    app = make_app("text", srcdir=flows_copy)
    app.build()
    assert "API-SEND" in (app.outdir / "flows.txt").read_text()
    design = flows_copy / "design.rst"
    design.write_text(design.read_text().replace("POST /messages", "POST /mails"))
    app = make_app("text", srcdir=flows_copy)
    app.build()
    assert read_docs(app) == ["design"]
    assert "API-SEND" not in (app.outdir / "flows.txt").read_text()
    [warning] = [w for w in techspec_warnings(app, "flow_endpoint") if "flows.rst" in w]
    assert (
        "flows.rst:8:" in warning and "no api-endpoint of MAILER declares POST /messages" in warning
    )


def test_serial_and_parallel_builds_derive_the_same_links(make_app, tmp_path):
    pages = {}
    for jobs in (1, 2):
        srcdir = tmp_path / f"flows-j{jobs}"
        shutil.copytree(ROOTS / "test-flows", srcdir)
        app = make_app("html", srcdir=srcdir, parallel=jobs)
        app.build()
        pages[jobs] = [
            (app.outdir / name).read_text()
            for name in ("flows.html", "design.html", "techspec.json", "needs.json")
        ]
    assert pages[1] == pages[2]
