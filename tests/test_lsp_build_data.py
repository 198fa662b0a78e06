"""The last build's data in the language server: imported items, suspect links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sphinx_techspec.lsp.hover import hover_text
from sphinx_techspec.lsp.project import Project
from sphinx_techspec.lsp.workspace_index import WorkspaceIndex


@pytest.mark.sphinx("html", testroot="lsp")
def test_hover_marks_the_links_the_lock_finds_suspect(app) -> None:
    app.build()
    srcdir = Path(app.srcdir)
    export = json.loads((Path(app.outdir) / "techspec.json").read_text(encoding="utf-8"))
    now = export["items"]["REQ-001"]["fingerprint"]
    lock = {
        "format_version": 1,
        "links": [
            ["TC-001", "verifies", "REQ-001", "0" * len(now)],
            ["TC-002", "verifies", "REQ-001", now],
        ],
    }
    (srcdir / "techspec.lock").write_text(json.dumps(lock), encoding="utf-8")
    index = WorkspaceIndex(Project.load(srcdir))
    index.scan()
    assert index.suspects == {("TC-001", "verifies", "REQ-001")}
    lines = hover_text(index, "REQ-001").splitlines()
    assert "- verified by ← TC-001 (suspect), TC-002" in lines
    assert "- verifies → REQ-001 (suspect)" in hover_text(index, "TC-001").splitlines()
    assert "- verifies → REQ-002, REQ-001" in hover_text(index, "TC-002").splitlines()


@pytest.mark.sphinx("html", testroot="lsp")
def test_a_broken_lock_shows_no_suspects(app, caplog) -> None:
    app.build()
    srcdir = Path(app.srcdir)
    (srcdir / "techspec.lock").write_text("{not json", encoding="utf-8")
    index = WorkspaceIndex(Project.load(srcdir))
    index.scan()
    assert index.suspects == set()
    assert "REQ-001" in index.build_items
    assert "no suspect links shown" in caplog.text
