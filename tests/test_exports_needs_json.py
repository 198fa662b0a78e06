"""needs.json in sphinx-needs' format, imported by a real sphinx-needs project."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import ROOTS, warnings_of


def load(app) -> dict:
    return json.loads((app.outdir / "needs.json").read_text(encoding="utf-8"))


@pytest.mark.sphinx("html", testroot="views")
def test_needs_json_has_the_sphinx_needs_shape(app):
    app.build()
    data = load(app)
    assert data["project"] == "views"
    version = data["current_version"]
    needs = data["versions"][version]["needs"]
    assert data["versions"][version]["needs_amount"] == len(needs) == 7
    # Change control adds its keys (Feature.item_export); the rest is sphinx-needs' shape.
    tc_002 = {k: v for k, v in needs["TC-002"].items() if k not in ("fingerprint", "text")}
    assert tc_002 == {
        "id": "TC-002",
        "type": "test-case",
        "title": "Expired link is refused",
        "status": None,
        "tags": [],
        "content": "",
        "docname": "tests",
        "lineno": 10,
        "links": [],
        "verifies": ["REQ-002", "REQ-001"],
    }
    assert needs["REQ-001"]["verifies_back"] == ["TC-001", "TC-002"]
    assert needs["REQ-001"]["tags"] == ["auth", "account"]
    assert needs["AUTH"]["depends_on"] == ["MAIL"]
    assert needs["MAIL"]["depends_on_back"] == ["AUTH"]


def test_sphinx_needs_imports_our_needs_json(make_app, tmp_path):
    pytest.importorskip("sphinx_needs")
    techspec_src = tmp_path / "techspec"
    shutil.copytree(ROOTS / "test-views", techspec_src)
    exporter = make_app("html", srcdir=techspec_src)
    exporter.build()

    importer_src = tmp_path / "importer"
    shutil.copytree(ROOTS / "test-views-needs-import", importer_src)
    shutil.copy(exporter.outdir / "needs.json", importer_src / "needs.json")
    importer = make_app("html", srcdir=importer_src)
    importer.build()

    # Two Sphinx apps in one process re-register nodes and directives (untyped app.*
    # warnings); the import itself must not warn.
    assert [w for w in warnings_of(importer) if "[needs." in w or "WARNING: Need" in w] == []
    assert "needimport" not in " ".join(warnings_of(importer))
    html = (importer.outdir / "index.html").read_text()
    for need_id in ("REQ-001", "REQ-002", "REQ-003", "TC-001", "TC-002", "AUTH", "MAIL"):
        assert re.search(rf'id="{need_id}"', html), need_id
    from sphinx_needs.data import SphinxNeedsData

    needs = SphinxNeedsData(importer.env).get_needs_view()
    assert sorted(needs["TC-002"]["verifies"]) == ["REQ-001", "REQ-002"]
    assert needs["REQ-001"]["status"] == "approved"
    assert needs["REQ-001"]["kind"] == "functional"
    assert sorted(needs["REQ-001"]["verifies_back"]) == ["TC-001", "TC-002"]
