"""The field line syntax and the JSON Schema derived from it, without a Sphinx build."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from sphinx_techspec.design.body import split_body
from sphinx_techspec.design.field_syntax import parse_field, parse_type, split_top_level
from sphinx_techspec.design.json_schema import example_errors, model_schema, models_by_name
from sphinx_techspec.model import Item


def test_split_top_level_keeps_brackets_and_quotes():
    assert split_top_level('enum(a, b), pattern="x,y", required') == [
        "enum(a, b)",
        'pattern="x,y"',
        "required",
    ]


def test_types():
    assert parse_type("array of enum(a, 1)") == {
        "kind": "array",
        "items": {"kind": "enum", "values": ["a", 1]},
    }
    assert parse_type("Organization") == {"kind": "model", "model": "Organization"}


def test_field_flags_and_description():
    parsed = parse_field(
        "org_id", "uuid, required, unique, references Organization.id, max-length=36 -- Owner, org."
    )
    assert parsed.problems == []
    assert parsed.data == {
        "name": "org_id",
        "description": "Owner, org.",
        "type": {"kind": "uuid"},
        "required": True,
        "unique": True,
        "references": {"model": "Organization", "field": "id"},
        "constraints": {"maxLength": 36},
    }


def test_field_problems_are_reported_not_raised():
    parsed = parse_field("x", "enum(), min=abc, frobnicate")
    assert len(parsed.problems) == 3
    assert parsed.data["type"] == {"kind": "object"}


def _model(name, *lines):
    fields = [{**parse_field(n, spec).data} for n, spec in lines]
    return Item(name, "data-model", name, "index", 1, name, {"name": name, "fields": fields})


def test_model_schema_is_valid_2020_12_and_bundles_references():
    user = _model(
        "User",
        ("id", "uuid, pk"),
        ("role", "enum(admin, member), nullable"),
        ("org", "Org"),
        ("tags", "array of string, max-items=2"),
    )
    org = _model("Org", ("name", "string, required"))
    schema = model_schema(user, models_by_name([user, org]))
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["org"] == {"$ref": "#/$defs/Org"}
    assert schema["$defs"]["Org"]["required"] == ["name"]
    assert schema["properties"]["role"]["enum"] == ["admin", "member", None]
    good = {"id": "0b8e5c55-9d4c-4c55-9f1c-1e0bd3e7a111", "role": None, "org": {"name": "a"}}
    assert example_errors(good, schema) == []
    bad = {"id": "0b8e5c55-9d4c-4c55-9f1c-1e0bd3e7a111", "org": {}, "tags": ["a", "b", "c"]}
    assert [path for path, _ in example_errors(bad, schema)] == ["$.org", "$.tags"]


def test_split_body_takes_spec_lines_and_examples_out():
    from docutils.statemachine import StringList

    content = StringList(
        [
            "Prose.",
            "",
            ":field id: integer,",
            "   pk -- continued",
            ":example:",
            "",
            '   {"id": 1}',
            "",
            "More prose.",
        ],
        "src",
    )
    body = split_body(content, frozenset({"field"}), first_line=10)
    assert [(line.arg, line.text, line.line) for line in body.lines] == [
        ("id", "integer, pk -- continued", 12)
    ]
    assert [(e.what, e.line, e.marker_line) for e in body.examples] == [("", 16, 14)]
    assert [line for line in body.description if line.strip()] == ["Prose.", "More prose."]


def test_derived_endpoint_ids_and_routes():
    from sphinx_techspec.design.endpoints import derived_id, path_problems, route_key

    assert derived_id("GET", "/users/{id}") == "GET-users-id"
    assert derived_id("POST", "/password-resets/{token}/confirm") == (
        "POST-password-resets-token-confirm"
    )
    assert derived_id("GET", "/") == "GET-root"
    assert route_key("GET", "/users/{id}/") == route_key("GET", "/users/{uid}")
    assert path_problems("/users/{id}") == []
    assert len(path_problems("users/{id")) == 2
    assert path_problems("/a/{x}/b/{x}") == ["path parameter {x} appears twice in /a/{x}/b/{x}"]


def test_response_type_falls_back_to_range_then_default():
    from sphinx_techspec.design.endpoints import response_type

    responses = [
        {"status": "200", "type": {"kind": "model", "model": "User"}},
        {"status": "4XX", "type": {"kind": "model", "model": "Error"}},
        {"status": "default", "type": {"kind": "object"}},
    ]
    assert response_type(responses, "200")["model"] == "User"
    assert response_type(responses, "409")["model"] == "Error"
    assert response_type(responses, "503") == {"kind": "object"}
