"""techspec.json: every item, valid against the JSON Schema shipped in the package."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest
from conftest import ROOTS

from sphinx_techspec.exports.techspec_json import SCHEMA_ID, export_schema


def load(app) -> dict:
    return json.loads((app.outdir / "techspec.json").read_text(encoding="utf-8"))


def test_schema_is_a_valid_versioned_json_schema():
    schema = export_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == SCHEMA_ID
    assert SCHEMA_ID.endswith("techspec-export-2.schema.json")
    assert schema["properties"]["format_version"] == {"const": 2}


@pytest.mark.sphinx("html", testroot="views")
def test_export_holds_every_item_and_validates(app):
    app.build()
    data = load(app)
    jsonschema.Draft202012Validator(export_schema()).validate(data)
    assert list(data["items"]) == [
        "AUTH",
        "MAIL",
        "REQ-001",
        "REQ-002",
        "REQ-003",
        "TC-001",
        "TC-002",
    ]
    req = data["items"]["REQ-001"]
    # Change control's keys (Feature.item_export) are tested in test_change_*.py.
    assert isinstance(req.pop("fingerprint"), str) and req.pop("text").startswith("A user")
    assert req == {
        "id": "REQ-001",
        "type": "requirement",
        "title": "Users can reset their password",
        "fields": {
            "kind": "functional",
            "priority": "high",
            "status": "approved",
            "tags": ["auth", "account"],
        },
        "links": {},
        "incoming": {
            "implements": ["AUTH"],
            "refines": ["REQ-002"],
            "verifies": ["TC-001", "TC-002"],
        },
        "docname": "requirements",
        "lineno": 4,
        "anchor": "REQ-001",
        "url": "requirements.html#REQ-001",
    }
    assert data["items"]["TC-002"]["links"] == {"verifies": ["REQ-002", "REQ-001"]}
    assert data["link_types"]["verifies"]["reverse"] == "verified by"
    assert data["project"] == "views"


@pytest.mark.sphinx("text", testroot="views")
def test_export_outside_html_has_no_urls(app):
    app.build()
    data = load(app)
    jsonschema.Draft202012Validator(export_schema()).validate(data)
    assert data["items"]["REQ-001"]["url"] is None


def test_exports_can_be_turned_off(make_app, tmp_path):
    srcdir = tmp_path / "views"
    shutil.copytree(ROOTS / "test-views", srcdir)
    app = make_app(
        "html",
        srcdir=srcdir,
        confoverrides={"techspec_export_json": False, "techspec_export_needs": False},
    )
    app.build()
    assert (app.outdir / "index.html").is_file()
    assert not (app.outdir / "techspec.json").exists()
    assert not (app.outdir / "needs.json").exists()


@pytest.mark.sphinx("html", testroot="views", freshenv=True)
def test_exports_are_readable_like_the_pages_beside_them(app):
    """Written through a temporary file, but with the permissions a page gets, not 0600."""
    app.build()
    page_mode = (app.outdir / "index.html").stat().st_mode & 0o777
    for name in ("techspec.json", "needs.json"):
        assert (app.outdir / name).stat().st_mode & 0o777 == page_mode, name
