"""API drift: techspec_openapi_compare names an implementation's OpenAPI file; every
operation, parameter, status and field that differs is a techspec.api_drift warning at the
item to blame (or at the implementation's line), and the api-drift view lists them."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of

ROOT = ROOTS / "test-api-drift"


@pytest.fixture
def drift_app(make_app, tmp_path):
    def build(builder: str = "html", **overrides):
        src = tmp_path / "spec"
        if not src.exists():
            shutil.copytree(ROOT, src)
        app = make_app(builder, srcdir=src, confoverrides=overrides)
        app.build()
        return app

    return build


def test_every_difference_is_a_located_warning(drift_app):
    app = drift_app()
    index = str(app.srcdir / "index.rst")
    implementation = str(app.srcdir / "implementation.yaml")
    found = [
        w.replace(" (implementation.yaml) [techspec.api_drift]", "")
        for w in techspec_warnings(app, "api_drift")
    ]
    assert found == [
        f"{index}:4: WARNING: field User.createdAt is in the implementation but not in the spec",
        f"{index}:8: WARNING: field User.nickname is in the spec but not in the implementation",
        f"{index}:14: WARNING: GET /users/{{id}}: query parameter 'expand' is in the "
        "implementation but not in the spec",
        f"{index}:14: WARNING: GET /users/{{id}}: response 500 is in the implementation but "
        "not in the spec",
        f"{index}:19: WARNING: GET /users/{{id}}: query parameter 'fields' is in the spec but "
        "not in the implementation",
        f"{index}:21: WARNING: DELETE /users/{{id}} is in the spec but not in the implementation",
        f"{index}:31: WARNING: GET /users: query parameter 'limit': optional in the spec, "
        "required in the implementation",
        f"{implementation}:31: WARNING: POST /users is in the implementation but not in the spec",
        f"{implementation}:68: WARNING: schema Session is in the implementation but not in "
        "the spec",
    ]
    # The path parameter is {id} in the spec and {userId} in the implementation: the same.
    assert not any("userId" in w for w in warnings_of(app))


def test_the_view_lists_the_differences_with_links(drift_app):
    app = drift_app("text")
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    view = text[text.index("Drift\n=====") :]
    rows = [line for line in view.splitlines() if line.startswith("| ") and "What" not in line]
    kinds = [row.split("|")[1].strip() for row in rows if row.split("|")[1].strip()]
    assert kinds == [
        "operation",
        "parameter",
        "parameter",
        "parameter",
        "status",
        "operation",
        "schema",
        "field",
        "field",
    ]
    assert "implementation only" in view and "spec only" in view and "differs" in view
    assert '"implementation.yaml:31"' in view

    html_app = drift_app()
    html = (html_app.outdir / "index.html").read_text(encoding="utf-8")
    table = html[html.index("techspec-api-drift") :]
    assert 'href="#DELETE-users-id"' in table and 'href="#User"' in table


def test_the_spec_compared_with_its_own_export_has_no_drift(drift_app, make_app, tmp_path):
    first = drift_app()
    shutil.copy(first.outdir / "openapi.json", first.srcdir / "own.json")
    app = drift_app(techspec_openapi_compare="own.json")
    assert techspec_warnings(app, "api_drift") == []
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "No drift: the spec and own.json agree on 3 operations and 2 schemas." in html


@pytest.mark.parametrize(
    ("value", "content", "message"),
    [
        ("missing.yaml", None, "missing.yaml: No such file or directory"),
        ("broken.yaml", "openapi: 3.0.0\npaths: [\n", "not valid YAML or JSON (line 3"),
        ("old.yaml", "swagger: '2.0'\n", "OpenAPI version none is not 3.0 or 3.1"),
        ("https://api.example.com/openapi.json", None, "is a URL; name the implementation's"),
    ],
)
def test_an_unreadable_file_is_one_warning_at_conf_py(drift_app, tmp_path, value, content, message):
    shutil.copytree(ROOT, tmp_path / "spec")
    if content is not None:
        (tmp_path / "spec" / value).write_text(content, encoding="utf-8")
    app = drift_app(techspec_openapi_compare=value)
    found = techspec_warnings(app, "api_drift_source")
    conf = tmp_path / "spec" / "conf.py"
    assert len(found) == 1 and found[0].startswith(f"{conf}:3: WARNING: techspec_openapi_compare:")
    assert message in found[0]
    assert techspec_warnings(app, "api_drift") == []
    assert "Traceback" not in app.warning.getvalue()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "The implementation's OpenAPI file cannot be read" in html


def test_without_the_setting_nothing_is_compared(make_app, tmp_path):
    src = tmp_path / "spec"
    shutil.copytree(ROOT, src)
    (src / "conf.py").write_text('project = "Drift"\nextensions = ["sphinx_techspec"]\n')
    app = make_app("html", srcdir=src)
    app.build()
    assert [w for w in warnings_of(app) if "api_drift" in w] == []
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "No implementation to compare with: set techspec_openapi_compare in conf.py." in html


def test_a_changed_implementation_file_is_compared_again(drift_app, tmp_path):
    drift_app()
    implementation = tmp_path / "spec" / "implementation.yaml"
    text = implementation.read_text(encoding="utf-8")
    implementation.write_text(text.replace("    post:\n", "    put:\n"), encoding="utf-8")
    app = drift_app()
    found = techspec_warnings(app, "api_drift")
    assert any("PUT /users is in the implementation but not in the spec" in w for w in found)
    assert not any("POST /users" in w for w in found)
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "PUT /users is in the implementation" in html
