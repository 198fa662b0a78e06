"""Exports are validated before they are written, with warnings at the item to blame."""

from __future__ import annotations

import json

from hardening_projects import build
from openapi_spec_validator import validate


def test_status_999_is_blamed_on_the_error_code(tmp_path):
    files = {
        "index.rst": """
        .. error-code:: E_WEIRD Weird
           :http-status: 999

        .. api-endpoint:: GET /things
           :response: 200
           :errors: E_WEIRD
        """
    }
    built = build(tmp_path, files)
    (bad_value,) = built.typed("bad_value")
    assert "index.rst:1:" in bad_value
    invalid = built.typed("invalid_export")
    assert invalid, built.warnings
    assert all("index.rst:1:" in line and "E_WEIRD" in line for line in invalid)
    assert "openapi.json: E_WEIRD: not valid OpenAPI 3.1" in invalid[0]


def test_stray_brace_in_a_path_is_reported_and_kept_out(tmp_path):
    files = {
        "index.rst": """
        .. api-endpoint:: GET /things}{id

           Fine otherwise.

        .. api-endpoint:: GET /other
           :response: 200
        """
    }
    built = build(tmp_path, files)
    (line,) = built.typed("bad_endpoint")
    assert "index.rst:1:" in line and "unbalanced braces" in line
    document = json.loads((built.outdir / "openapi.json").read_text())
    validate(document)
    assert list(document["paths"]) == ["/other"]
    assert built.typed("invalid_export") == []


def test_a_300_character_model_name_gets_a_bounded_schema_file(tmp_path):
    name = "M" + "x" * 299
    files = {"index.rst": f".. data-model:: {name}\n\n   :field id: integer\n"}
    built = build(tmp_path, files)
    assert [w for w in built.warnings if "export" in w] == []
    schemas = list((built.outdir / "schemas").iterdir())
    assert len(schemas) == 1 and len(schemas[0].name) <= 120
    schema = json.loads(schemas[0].read_text())
    assert schema["title"] == name or name in json.dumps(schema)
    document = json.loads((built.outdir / "openapi.json").read_text())
    assert name in document["components"]["schemas"]


def test_valid_design_exports_raise_no_validation_warning(tmp_path):
    files = {
        "index.rst": """
        .. data-model:: User

           :field id: integer, required

        .. api-endpoint:: GET /users/{id}
           :response: 200: User

           :path id: integer -- The user.
        """
    }
    built = build(tmp_path, files)
    assert built.warnings == []
