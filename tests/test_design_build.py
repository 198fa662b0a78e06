"""Detailed design in real builds: cards, tables, views, diagram, OpenAPI export, warnings."""

from __future__ import annotations

import json
import re

import pytest
from conftest import techspec_warnings, warnings_of
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate


@pytest.mark.sphinx("html", testroot="design")
def test_design_builds_without_warnings(app):
    app.build()
    assert warnings_of(app) == []


@pytest.mark.sphinx("html", testroot="design")
def test_model_card_has_field_table_links_and_usage(app):
    app.build()
    html = (app.outdir / "models.html").read_text()
    assert 'id="User"' in html
    # The foreign key links to the referenced model, the field type to its model.
    assert re.search(r'href="#Organization"[^>]*>.*?Organization', html, re.S)
    assert re.search(r'href="#Address"', html)
    assert "max length 100" in html
    # Descriptions take the page's inline markup (here a role).
    role_row = html.split("What the user may do")[1].split("</tr>")[0]
    assert 'href="#Organization"' in role_row
    assert "unique: email" in html  # :indexes:
    assert "Used by endpoints" in html and 'href="api.html#GET-users-id"' in html
    assert "Referenced by models" in html


@pytest.mark.sphinx("html", testroot="design")
def test_er_diagram_is_a_mermaid_node(app):
    app.build()
    html = (app.outdir / "models.html").read_text()
    assert re.search(r"<pre\s+class=\"mermaid", html)
    assert "erDiagram" in html
    assert "uuid organization_id FK" in html
    assert "Organization ||--o{ User : &quot;organization_id&quot;" in html
    assert "User ||..o| Address : &quot;address&quot;" in html


@pytest.mark.sphinx("html", testroot="design")
def test_view_filters(app):
    app.build()
    diagrams = re.findall(r"erDiagram.*?</pre>", (app.outdir / "models.html").read_text(), re.S)
    assert len(diagrams) == 2
    assert "Organization {" in diagrams[0] and "Organization" not in diagrams[1]
    assert "User ||..o| Address" in diagrams[1]
    filtered = (app.outdir / "api.html").read_text().split('id="filtered"')[1]
    index = filtered.split('class="techspec-table techspec-api-index')[1].split("</table>")[0]
    assert index.count("<tr") == 4  # header + the three ACC endpoints, not DELETE
    assert "No items match this error catalog" in filtered


@pytest.mark.sphinx("text", testroot="design")
def test_er_diagram_falls_back_to_a_relationship_table_in_text(app):
    app.build()
    text = (app.outdir / "models.txt").read_text()
    assert "exactly one to zero or more" in text
    assert "organization_id (foreign key)" in text
    assert "[graph" not in text


@pytest.mark.sphinx("html", testroot="design")
def test_endpoint_card(app):
    app.build()
    html = (app.outdir / "api.html").read_text()
    assert 'id="GET-users-id"' in html and 'id="LIST-USERS"' in html
    assert 'techspec-path-param"><span class="pre">{id}</span>' in html
    assert "oauth2 (users:read)" in html
    assert "100/min" in html
    # Responses: declared bodies and the error codes with their status.
    responses = html.split("Responses:")[1].split("</table>")[0]
    assert "200" in responses and 'href="models.html#User"' in responses
    assert "404" in responses and 'href="#USER_NOT_FOUND"' in responses
    assert "Example response 200:" in html
    # Reverse links from the core: component "exposes", error code "returned by".
    assert "Returned by" in html
    index = (app.outdir / "index.html").read_text()
    assert "Exposes" in index and 'href="api.html#POST-users"' in index


@pytest.mark.sphinx("html", testroot="design")
def test_error_catalog_and_api_index(app):
    app.build()
    html = (app.outdir / "api.html").read_text()
    catalog = html.split('class="techspec-table techspec-error-catalog')[1].split("</table>")[0]
    assert catalog.index("USER_NOT_FOUND") < catalog.index("USER_EXISTS")  # 404 before 409
    assert '<span class="pre">DELETE</span>' in catalog
    index = html.split('class="techspec-table techspec-api-index')[1].split("</table>")[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", index, re.S)[1:]
    # Grouped by component (ACC first, endpoints without one last), then path and method.
    assert [re.findall(r">(GET|POST|DELETE)<", row)[0] for row in rows] == [
        "GET",
        "POST",
        "GET",
        "DELETE",
    ]
    assert "bearer or api-key" in index


@pytest.mark.sphinx("html", testroot="design")
def test_openapi_export_is_valid(app):
    app.build()
    document = json.loads((app.outdir / "openapi.json").read_text())
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["info"] == {"title": "Accounts API", "version": "1.2"}
    assert document["servers"] == [{"url": "https://api.example.com/v1"}]
    get = document["paths"]["/users/{id}"]["get"]
    assert get["operationId"] == "GET-users-id"
    assert get["security"] == [{"oauth2": ["users:read"]}]
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/User"
    }
    assert get["responses"]["404"]["x-error-codes"] == ["USER_NOT_FOUND"]
    listing = document["paths"]["/users"]["get"]
    assert listing["parameters"][0]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }
    assert document["paths"]["/users/{id}"]["delete"]["security"] == []
    assert set(document["components"]["securitySchemes"]) == {"oauth2", "bearer", "api-key"}
    assert set(document["components"]["schemas"]) == {"Address", "Organization", "User"}


@pytest.mark.sphinx("html", testroot="design")
def test_model_schema_files(app):
    app.build()
    schema = json.loads((app.outdir / "schemas" / "User.json").read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$defs"]["Address"]["required"] == ["city"]
    validator = Draft202012Validator(schema)
    assert not validator.is_valid({"email": "a@example.com"})  # required fields missing


@pytest.mark.sphinx(
    "html", testroot="design", srcdir="design-no-openapi", confoverrides={"techspec_openapi": False}
)
def test_openapi_export_can_be_turned_off(app):
    app.build()
    assert not (app.outdir / "openapi.json").exists()
    assert not (app.outdir / "schemas").exists()


@pytest.mark.sphinx("html", testroot="basic")
def test_no_export_without_design_items(app):
    app.build()
    assert not (app.outdir / "openapi.json").exists()


@pytest.mark.sphinx("html", testroot="design-myst")
def test_myst_design(app):
    app.build()
    assert techspec_warnings(app, "example_invalid") == [
        f"{app.srcdir / 'index.md'}:21: WARNING: GET-tags-id: example response 200 does not "
        "match Tag at $.label: 'toolong' is too long [techspec.example_invalid]"
    ]
    # A field line right under the options is an option to MyST: we say what to do.
    assert techspec_warnings(app, "bad_option") == [
        f"{app.srcdir / 'bad.md'}:5: WARNING: ':field id:' was read as an option: leave a blank "
        "line between the options and the body's field, parameter and example lines "
        "[techspec.bad_option]"
    ]
    assert len(warnings_of(app)) == 2
    html = (app.outdir / "index.html").read_text()
    assert 'id="Tag"' in html and 'id="GET-tags-id"' in html
    assert "erDiagram" in html
    assert "techspec-api-index" in html and "techspec-error-catalog" in html
    assert 'href="#GET-tags-id"' in html  # the {api} role
    assert "Short <em>label</em>." in html  # MyST inline markup in a field description
    validate(json.loads((app.outdir / "openapi.json").read_text()))


def _lines(app, subtype):
    return [
        (int(re.search(r"index\.rst:(\d+):", line).group(1)), line)
        for line in techspec_warnings(app, subtype)
    ]


@pytest.mark.sphinx("html", testroot="design-warnings")
def test_bad_input_warns_with_locations(app):
    app.build()
    bad_field = _lines(app, "bad_field")
    assert [n for n, _ in bad_field] == [8, 11, 52, 52, 58]
    assert "unknown flag 'whatever'" in bad_field[0][1]
    assert "field 'id' is defined twice" in bad_field[1][1]
    assert ":response: '2000: Account' must be 'STATUS: Type'" in bad_field[2][1]
    assert ":response: 200: 'strng(' is not a type or a model name" in bad_field[3][1]
    assert "example 'whatever' must say what it shows" in bad_field[4][1]
    bad_value = _lines(app, "bad_value")
    assert [n for n, _ in bad_value] == [52, 52, 62]
    assert "unknown auth scheme 'kerberos'" in bad_value[0][1]
    assert "cannot read 'oauth2(a b'" in bad_value[1][1]
    assert ":http-status: 999 is not an HTTP status" in bad_value[2][1]
    unknown = _lines(app, "unknown_model")
    assert [n for n, _ in unknown] == [7, 8, 10, 23]
    assert "'Persn'" in unknown[0][1] and "has no field 'nope'" in unknown[2][1]
    assert ":response: 404: unknown type or model 'Missing'" in unknown[3][1]
    schema = _lines(app, "bad_schema")
    assert [n for n, _ in schema] == [17, 71]
    assert "'[unclosed' is not a 'regex'" in schema[0][1]
    assert "query parameter 'q' has an invalid schema: '((' is not a 'regex'" in schema[1][1]
    bad_endpoint = _lines(app, "bad_endpoint")
    assert [n for n, _ in bad_endpoint] == [21, 66, 73]
    assert "unknown HTTP method 'FETCH'" in bad_endpoint[0][1]
    assert "path 'accounts' must start with '/'" in bad_endpoint[1][1]
    assert "api-endpoint needs 'METHOD /path'" in bad_endpoint[2][1]
    assert not techspec_warnings(app, "bad_id")  # said once, as bad_endpoint
    path_param = _lines(app, "path_param")
    assert [n for n, _ in path_param] == [21, 23, 28, 52]
    assert "{account_id} is not declared" in path_param[1][1]
    assert "'id' is declared but not in the path" in path_param[2][1]
    assert (
        "PATCH /accounts/{id}: the same path as GET /accounts/{account_id} (GET-ACCOUNT) "
        "with other parameter names"
    ) in path_param[3][1]
    bad_json = _lines(app, "bad_json")
    assert [n for n, _ in bad_json] == [38] and "Expecting value" in bad_json[0][1]
    invalid = _lines(app, "example_invalid")
    assert [(n, re.search(r" at (\$\S*):", line).group(1)) for n, line in invalid] == [
        (15, "$.code"),
        (15, "$.id"),
        (32, "$"),
        (32, "$.id"),
        (50, "$.id"),  # a 409 example checked against the 4XX response
    ]
    assert "'not-a-uuid' is not a 'uuid'" in invalid[1][1]
    assert "'extra' was unexpected" in invalid[2][1]
    duplicate = _lines(app, "duplicate_endpoint")
    assert [n for n, _ in duplicate] == [40]
    assert "also GET-ACCOUNT at index.rst:23" in duplicate[0][1]
    assert "'NO_SUCH_ERROR'" in techspec_warnings(app, "unknown_ref")[0]
    # The export leaves out what it cannot express and stays valid.
    document = json.loads((app.outdir / "openapi.json").read_text())
    validate(document)
    assert sorted(document["paths"]) == ["/accounts", "/accounts/{account_id}", "/search"]
    patch = document["paths"]["/accounts/{account_id}"]["patch"]
    assert [p["name"] for p in patch["parameters"]] == ["account_id"]  # renamed from {id}
    assert "security" not in patch  # 'kerberos' is not a declared scheme
    assert document["components"]["schemas"]["Pattern"]["properties"]["code"] == {"type": "string"}
    pattern = json.loads((app.outdir / "schemas" / "Pattern.json").read_text())
    Draft202012Validator.check_schema(pattern)
    # Items still render what they can.
    html = (app.outdir / "index.html").read_text()
    assert 'id="Account"' in html and 'id="GET-ACCOUNT"' in html and "FETCH" in html


@pytest.mark.sphinx("html", testroot="design", srcdir="design-incremental")
def test_incremental_build_rechecks_examples_and_rewrites_pages(app, make_app):
    app.build()
    assert 'title="User: A person who signs in"' in (app.outdir / "api.html").read_text()
    models = app.srcdir / "models.rst"
    text = models.read_text()
    text = text.replace("User A person who signs in", "User A registered person")
    text = text.replace("format=email -- Login", "format=email, max-length=3 -- Login")
    models.write_text(text)
    second = make_app("html", srcdir=app.srcdir)
    second.build()
    # api.rst did not change; its example is checked against the new model...
    lines = techspec_warnings(second, "example_invalid")
    assert len(lines) == 3  # the model's own example and two endpoint examples
    assert any("api.rst:18: WARNING: GET-users-id: example response 200" in x for x in lines)
    assert all("at $.email: 'a@example.com' is too long" in line for line in lines)
    # ...and its page is rewritten with the model's new title.
    html = (second.outdir / "api.html").read_text()
    assert 'title="User: A registered person"' in html


@pytest.mark.sphinx(
    "html",
    testroot="design",
    srcdir="design-bad-config",
    confoverrides={"techspec_auth_schemes": ["oauth2"], "techspec_openapi": 3},
)
def test_malformed_config_warns_and_build_goes_on(app):
    app.build()
    lines = techspec_warnings(app, "bad_config")
    assert any("techspec_openapi must be False or a dict, not int" in line for line in lines)
    assert any("techspec_auth_schemes must be a dict, not list" in line for line in lines)
    validate(json.loads((app.outdir / "openapi.json").read_text()))


def test_two_error_codes_of_one_status_are_both_listed_in_openapi(tmp_path):
    from hardening_projects import build

    built = build(
        tmp_path,
        {
            "index.rst": """
                .. api-endpoint:: GET /things/{id}
                   :response: 200
                   :errors: NO_THING, THING_GONE

                   :path id: string

                .. error-code:: NO_THING No such thing
                   :http-status: 404
                   :message: No thing has this ID.

                .. error-code:: THING_GONE Thing removed
                   :http-status: 404
            """
        },
        "techspec_openapi = {'title': 'Things'}\n",
    )
    document = json.loads((built.outdir / "openapi.json").read_text())
    validate(document)
    not_found = document["paths"]["/things/{id}"]["get"]["responses"]["404"]
    assert not_found["x-error-codes"] == ["NO_THING", "THING_GONE"]
    assert not_found["description"] == "NO_THING: No thing has this ID.; THING_GONE: Thing removed"


def test_the_design_config_is_one_typed_object_built_once_per_app(tmp_path):
    from hardening_projects import build

    from sphinx_techspec.design.settings import DesignConfig
    from sphinx_techspec.feature import registry

    conf = (
        "techspec_openapi = {'title': 'Things', 'servers': ['https://api.example.org']}\n"
        "techspec_auth_schemes = {'mtls': {'type': 'mutualTLS'}}\n"
    )
    page = ".. api-endpoint:: GET /things\n   :response: 200\n   :auth: mtls\n"
    built = build(tmp_path, {"index.rst": page}, conf)
    assert built.typed("bad_value") == [] and built.typed("bad_option") == []
    settings = registry(built.app).settings(DesignConfig, built.app.config)
    assert settings.title == "Things" and settings.openapi
    assert settings.servers == ({"url": "https://api.example.org"},)
    assert (
        settings.auth_schemes["mtls"] == {"type": "mutualTLS"} and "bearer" in settings.auth_schemes
    )
    assert settings is registry(built.app).settings(DesignConfig, built.app.config)
    document = json.loads((built.outdir / "openapi.json").read_text())
    assert document["components"]["securitySchemes"] == {"mtls": {"type": "mutualTLS"}}
    assert document["servers"] == [{"url": "https://api.example.org"}]
    assert not DesignConfig.from_config(type("Off", (), {"techspec_openapi": False})()).openapi
