"""import-openapi: real OpenAPI descriptions (tests/corpus/openapi) become api-endpoint and
data-model pages that build with -W -n as written and export the same operations; hostile
descriptions give a clear message or a report line, never a traceback or live markup."""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path

import pytest
from conftest import warnings_of

from sphinx_techspec.cli import main
from sphinx_techspec.design.openapi_compare import differences, surface
from sphinx_techspec.design.openapi_source import read_document
from sphinx_techspec.domain import DOMAIN
from sphinx_techspec.interchange.project_writer import ProjectDeclarations, conf_text

CORPUS = Path(__file__).parent / "corpus" / "openapi"
FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json"))


def import_and_build(make_app, source: Path, out: Path, fmt: str = "rst"):
    assert main(["import-openapi", str(source), "--out", str(out), "--format", fmt]) == 0
    app = make_app("html", srcdir=out, confoverrides={"nitpicky": True})
    app.build()
    return app


def test_the_corpus_holds_3_0_and_3_1_in_yaml_and_json():
    kinds = {(read_document(CORPUS / name)["openapi"][:3], Path(name).suffix) for name in FILES}
    assert kinds == {("3.0", ".yaml"), ("3.0", ".json"), ("3.1", ".yaml"), ("3.1", ".json")}
    listed = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in listed for name in FILES)


@pytest.mark.parametrize("name", FILES)
def test_corpus_file_round_trips_to_the_same_operations(make_app, tmp_path, name):
    source = read_document(CORPUS / name)
    app = import_and_build(make_app, CORPUS / name, tmp_path / "spec")
    assert warnings_of(app) == []

    domain = app.env.get_domain(DOMAIN)
    operations = [
        (method, path)
        for path, item in source.get("paths", {}).items()
        for method in item
        if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    ]
    assert len(domain.items_of_type("api-endpoint")) == len(operations)
    models = {item.fields["name"] for item in domain.items_of_type("data-model")}
    assert models == set(source.get("components", {}).get("schemas", {}))

    exported = json.loads((app.outdir / "openapi.json").read_text(encoding="utf-8"))
    ours, theirs = surface(source), surface(exported)
    assert sorted(ours.operations) == sorted(theirs.operations)
    for key, operation in ours.operations.items():
        assert theirs.operations[key].parameters == operation.parameters, key
        assert theirs.operations[key].statuses == operation.statuses, key
    assert ours.schemas == theirs.schemas
    assert differences(ours, theirs) == []


def test_petstore_endpoint_is_written_in_the_design_syntax(make_app, tmp_path):
    app = import_and_build(make_app, CORPUS / "petstore.yaml", tmp_path / "spec")
    page = (tmp_path / "spec" / "endpoints.rst").read_text(encoding="utf-8")
    assert ".. api-endpoint:: GET /pets\n   :id: listPets\n   :summary: List all pets\n" in page
    assert "   :response: 200: array of Pet, default: Error\n" in page
    assert "   :query limit: integer, max=100, " in page
    exported = json.loads((app.outdir / "openapi.json").read_text(encoding="utf-8"))
    get = exported["paths"]["/pets/{petId}"]["get"]
    assert get["operationId"] == "showPetById"
    assert get["parameters"][0]["name"] == "petId" and get["parameters"][0]["required"] is True
    assert set(get["responses"]) == {"200", "default"}
    report = (tmp_path / "spec" / "import-report.txt").read_text(encoding="utf-8")
    assert "schema 'Pets' is not an object (array of Pet)" in report


@pytest.mark.parametrize("name", ["museum.yaml", "tictactoe.yaml"])
def test_myst_pages_build_the_same_items(make_app, tmp_path, name):
    rst = import_and_build(make_app, CORPUS / name, tmp_path / "rst")
    md = import_and_build(make_app, CORPUS / name, tmp_path / "md", "md")
    # A second app in one process registers Sphinx's own nodes and directives again.
    assert [w for w in warnings_of(md) if "while setting up extension" not in w] == []

    def items(app):
        domain = app.env.get_domain(DOMAIN)
        return {
            i.id: (i.type, i.title, {k: v for k, v in i.fields.items() if k != "line"})
            for i in domain.items.values()
        }

    assert items(md).keys() == items(rst).keys()
    for item_id, (item_type, title, _fields) in items(rst).items():
        assert items(md)[item_id][:2] == (item_type, title)
    assert json.loads((md.outdir / "openapi.json").read_text()) == json.loads(
        (rst.outdir / "openapi.json").read_text()
    )


def test_museum_examples_and_auth_survive(make_app, tmp_path):
    app = import_and_build(make_app, CORPUS / "museum.yaml", tmp_path / "spec")
    exported = json.loads((app.outdir / "openapi.json").read_text(encoding="utf-8"))
    hours = exported["paths"]["/museum-hours"]["get"]
    assert hours["security"] == [{"MuseumPlaceholderAuth": []}]
    example = hours["responses"]["200"]["content"]["application/json"]["examples"]
    assert next(iter(example.values()))["value"][0]["date"] == "2023-09-11"
    assert exported["components"]["securitySchemes"]["MuseumPlaceholderAuth"]["type"] == "http"


def test_conf_py_holds_only_literal_assignments(tmp_path):
    hostile = "__import__('os').system('echo pwned') # \"\"\" '''"
    openapi = {"title": hostile, "servers": [{"url": hostile}]}
    settings = {"techspec_openapi": openapi, "techspec_auth_schemes": {}}
    text = conf_text(hostile, "md", ProjectDeclarations(config=settings), "import-openapi")
    tree = ast.parse(text)
    names = []
    for statement in tree.body:
        assert isinstance(statement, ast.Assign), ast.dump(statement)
        assert [type(t) for t in statement.targets] == [ast.Name]
        ast.literal_eval(statement.value)  # raises on anything but a literal
        names.append(statement.targets[0].id)
    assert names[:2] == ["project", "extensions"]
    namespace: dict = {}
    exec(compile(tree, "conf.py", "exec"), namespace)  # literals only: safe to run here
    assert namespace["project"] == hostile
    assert namespace["extensions"] == ["sphinx_techspec", "myst_parser"]
    assert namespace["techspec_openapi"] == openapi


HOSTILE = """\
openapi: 3.0.3
info:
  title: "Hostile <script>alert(1)</script>"
  version: "1"
  description: |
    .. raw:: html

       <script>alert('info')</script>
paths:
  /things:
    get:
      operationId: listThings
      summary: "Lists `things` :download:`secret.txt` <script>x</script>"
      description: |
        .. raw:: html

           <img src=x onerror=alert(1)>

        See :download:`conf.py` and {download}`conf.py` and `code`_ here::
        1. not a list
        * not a bullet

        • not a bullet either
        Not a title
        ~~~~~~~~~~~~~
        ^^
        +++
        ```{raw} html
        <b>fenced</b>
        ```
      parameters:
        - name: q
          in: query
          description: "A *query* with `ticks` and <b>tags</b> -- and :ref:`x`"
          schema:
            type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
components:
  schemas:
    Thing:
      type: object
      description: ".. raw:: html"
      properties:
        name:
          type: string
          description: "|subst| and [link](http://x) and :download:`conf.py`"
    Kind:
      type: string
      enum: ["`x`_", "*y*"]
"""


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_markup_in_the_description_stays_text(make_app, tmp_path, fmt):
    source = tmp_path / "hostile.yaml"
    source.write_text(HOSTILE, encoding="utf-8")
    app = import_and_build(make_app, source, tmp_path / "spec", fmt)
    assert warnings_of(app) == []
    html = "".join(p.read_text(encoding="utf-8") for p in app.outdir.glob("*.html"))
    assert "<script>alert" not in html and "<script>x" not in html
    assert "<img src=x" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(" in html and "info" in html
    assert ".. raw:: html" in html
    assert "`x`_" in html and "*y*" in html  # the non-object schema's type, as text
    assert "• not a bullet either" in html and "~~~~~~~~~~~~~" in html and "+++" in html
    assert ":download:`conf.py`" in html and "{download}`conf.py`" in html
    assert "A *query* with `ticks` and &lt;b&gt;tags&lt;/b&gt; \u2013 and :ref:`x`" in html
    assert "Lists `things` :download:`secret.txt` &lt;script&gt;x&lt;/script&gt;" in html
    assert not list(app.outdir.glob("_downloads/**/conf.py"))


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_external_refs_are_reported_and_never_read(make_app, tmp_path, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("a URL was opened")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    write(tmp_path / "secret.yaml", "Pet:\n  type: object\n  description: TOP-SECRET-MARKER\n")
    source = write(
        tmp_path / "api.yaml",
        """\
        openapi: 3.1.0
        info: {title: Refs, version: "1"}
        paths:
          /pets:
            get:
              parameters:
                - $ref: 'http://127.0.0.1:9/params.yaml#/limit'
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: './secret.yaml#/Pet'}
        components:
          schemas:
            Owner:
              type: object
              properties:
                pet: {$ref: 'secret.yaml#/Pet'}
        """,
    )
    app = import_and_build(make_app, source, tmp_path / "spec")
    assert warnings_of(app) == []
    out = tmp_path / "spec"
    report = (out / "import-report.txt").read_text(encoding="utf-8")
    assert "external reference './secret.yaml#/Pet' is not followed" in report
    assert "external reference 'http://127.0.0.1:9/params.yaml#/limit' is not followed" in report
    written = "".join(p.read_text(encoding="utf-8") for p in out.iterdir() if p.is_file())
    assert "TOP-SECRET-MARKER" not in written


def test_ref_cycles_and_huge_numbers_are_reported(make_app, tmp_path, capsys):
    source = write(
        tmp_path / "api.json",
        json.dumps(
            {
                "openapi": "3.0.3",
                "info": {"title": "Cycles", "version": "1"},
                "paths": {
                    "/a": {
                        "get": {
                            "parameters": [{"$ref": "#/components/parameters/P"}],
                            "responses": {"200": {"$ref": "#/components/responses/R"}},
                        }
                    }
                },
                "components": {
                    "parameters": {"P": {"$ref": "#/components/parameters/P"}},
                    "responses": {
                        "R": {"$ref": "#/components/responses/S"},
                        "S": {"$ref": "#/components/responses/R"},
                    },
                    "schemas": {
                        "A": {"$ref": "#/components/schemas/B"},
                        "B": {"$ref": "#/components/schemas/A"},
                        "Big": {
                            "type": "object",
                            "properties": {
                                "n": {"type": "integer", "maximum": 10**100, "default": 10**70},
                                "a": {"$ref": "#/components/schemas/A"},
                            },
                            "example": {"n": 10**90},
                        },
                    },
                },
            }
        ),
    )
    app = import_and_build(make_app, source, tmp_path / "spec")
    assert warnings_of(app) == []
    assert "Traceback" not in capsys.readouterr().err
    report = (tmp_path / "spec" / "import-report.txt").read_text(encoding="utf-8")
    assert "reference cycle: #/components/parameters/P -> #/components/parameters/P" in report
    assert "maximum 1000000000000000000000000000000000000000 is beyond strict JSON" in report
    assert "schema 'Big' example: not strict, bounded JSON; left out" in report
    assert "schema 'Big' property 'a': reference cycle" in report
    models = {i.id for i in app.env.get_domain(DOMAIN).items_of_type("data-model")}
    assert models == {"A", "B", "Big"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.0.0\ninfo: [unclosed\n", "not valid YAML or JSON (line 3, column 1)"),
        ('{"openapi": "3.1.0", "info": ', "not valid YAML or JSON"),
        ("swagger: '2.0'\ninfo: {}\n", "OpenAPI version none is not 3.0 or 3.1 (Swagger 2.0"),
        ("openapi: 3.0.0\nx: &a [*a]\n", "a YAML alias refers to itself"),
        ('{"openapi": "3.0.0", "x": ' + "9" * 5000 + "}", "(line 1: a number of 5000 digits"),
        ("openapi: 3.0.0\nx: " + "9" * 5000 + "\n", "cannot be read: Exceeds the limit"),
        ('{"openapi": "3.0.0", "x": NaN}', "not usable JSON (line 1: NaN is not a JSON value)"),
        ("openapi: 3.0.0\nx: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
        ("- just\n- a list\n", "no top-level mapping"),
        ("openapi: 3.0.0\nx: .inf\n", "which JSON cannot hold"),
    ],
)
def test_unreadable_files_give_a_message_and_write_nothing(tmp_path, capsys, text, message):
    source = tmp_path / "api.yaml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "spec"
    assert main(["import-openapi", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.startswith("sphinx-techspec: error: ") and err.count("\n") == 1
    assert not out.exists()


def test_validation_problems_are_reported_and_the_rest_imported(make_app, tmp_path, capsys):
    source = write(
        tmp_path / "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: Invalid}
        paths:
          /ok:
            get:
              responses:
                '200': {description: fine}
                '999': {description: not a status}
          /bad path:
            get:
              responses: {'200': {description: x}}
        """,
    )
    app = import_and_build(make_app, source, tmp_path / "spec")
    assert warnings_of(app) == []
    err = capsys.readouterr().err
    assert err.startswith(f"sphinx-techspec: warning: {source}: not valid OpenAPI 3.0 at /info:")
    assert "(and 1 more); imported what could be imported, see import-report.txt" in err
    report = (tmp_path / "spec" / "import-report.txt").read_text(encoding="utf-8")
    assert 'not valid OpenAPI 3.0 at /info: "version" is a required property\n' in report
    assert (
        "GET /bad path: endpoint path '/bad path' must start with '/' and hold no spaces" in report
    )
    assert "GET /ok: response status '999' is not a status; left out" in report
    endpoints = app.env.get_domain(DOMAIN).items_of_type("api-endpoint")
    assert [(e.fields["method"], e.fields["path"]) for e in endpoints] == [("GET", "/ok")]


def test_existing_output_is_never_overwritten(tmp_path, capsys):
    out = tmp_path / "spec"
    out.mkdir()
    (out / "index.rst").write_text("mine", encoding="utf-8")
    assert main(["import-openapi", str(CORPUS / "petstore.yaml"), "--out", str(out)]) == 2
    assert "already exist; nothing was written" in capsys.readouterr().err
    assert (out / "index.rst").read_text(encoding="utf-8") == "mine"
    assert not (out / "conf.py").exists()


def test_lone_surrogates_and_control_characters_are_replaced(make_app, tmp_path):
    text = "x\u0000\u001b[31m\ud800"
    document = {
        "openapi": "3.1.0",
        "info": {"title": text, "version": "1", "description": text},
        "paths": {
            "/x": {
                "get": {
                    "summary": text,
                    "parameters": [{"name": "q", "in": "query", "description": text}],
                    "responses": {"200": {"description": text}},
                }
            }
        },
        "components": {"schemas": {"M" + text: {"type": "object", "properties": {}}}},
    }
    source = tmp_path / "api.json"
    source.write_text(json.dumps(document), encoding="ascii")  # \u escapes, as JSON allows
    app = import_and_build(make_app, source, tmp_path / "spec")
    assert warnings_of(app) == []
    endpoint = app.env.get_domain(DOMAIN).items_of_type("api-endpoint")[0]
    assert endpoint.fields["summary"] == "x\ufffd\ufffd[31m\ufffd"
    models = [m.id for m in app.env.get_domain(DOMAIN).items_of_type("data-model")]
    assert models == ["Mx_31m"]
    report = (tmp_path / "spec" / "import-report.txt").read_text(encoding="utf-8")
    assert "6 strings hold control characters or lone surrogates (first on line 1)" in report


def test_yaml_with_control_characters_is_noted_in_the_report(tmp_path, capsys):
    source = tmp_path / "api.yaml"
    source.write_text(
        'openapi: 3.1.0\ninfo: {title: "T\\e[31m", version: "1"}\npaths: {}\n',
        encoding="utf-8",
    )
    assert main(["import-openapi", str(source), "--out", str(tmp_path / "spec")]) == 0
    capsys.readouterr()
    report = (tmp_path / "spec" / "import-report.txt").read_text(encoding="utf-8")
    assert "a string holds control characters or lone surrogates; they are read as U+FFFD" in report
    conf = (tmp_path / "spec" / "conf.py").read_text(encoding="utf-8")
    assert "'T\ufffd[31m'" in conf


def _parameters(document: dict) -> dict[tuple[str, str, str, str], str]:
    """(path, method, in, name) → description of every parameter ($ref followed once)."""
    found = {}
    shared = document.get("components", {}).get("parameters", {})
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or method == "parameters":
                continue
            for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
                if "$ref" in parameter:
                    parameter = shared[parameter["$ref"].rsplit("/", 1)[-1]]
                if parameter.get("description"):
                    key = (path, method, parameter["in"], parameter["name"])
                    found[key] = parameter["description"]
    return found


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_exported_descriptions_equal_the_source(make_app, tmp_path, fmt):
    """Descriptions are escaped on the page (they render as text) and exported as that text."""
    source = read_document(CORPUS / "museum.yaml")
    app = import_and_build(make_app, CORPUS / "museum.yaml", tmp_path / "spec", fmt)
    assert warnings_of(app) == []
    exported = json.loads((app.outdir / "openapi.json").read_text(encoding="utf-8"))
    fields = {
        (model, name): prop["description"]
        for model, schema in source["components"]["schemas"].items()
        for name, prop in schema.get("properties", {}).items()
        if prop.get("description")
    }
    assert ("MuseumDailyHours", "timeOpen") in fields
    for (model, name), description in fields.items():
        got = exported["components"]["schemas"][model]["properties"][name]["description"]
        assert got == description
    parameters = _parameters(source)
    assert parameters and _parameters(exported) == parameters


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_a_description_full_of_markup_stays_text_and_exports_exactly(make_app, tmp_path, fmt):
    text = (
        r"Use *x*, ``y``, :download:`z </etc/passwd>`, {download}`w`, <b>b</b>, \path\ "
        "[a](javascript:alert(1)), file:x, $math$, |sub|, HH:mm_"
    )
    document = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "parameters": [{"name": "q", "in": "query", "description": text, "schema": {}}],
                    "responses": {"200": {"description": "OK"}},
                }
            }
        },
        "components": {
            "schemas": {
                "M": {
                    "type": "object",
                    "properties": {"a": {"type": "string", "description": text}},
                }
            }
        },
    }
    source = tmp_path / "api.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    app = import_and_build(make_app, source, tmp_path / "spec", fmt)
    assert warnings_of(app) == []
    exported = json.loads((app.outdir / "openapi.json").read_text(encoding="utf-8"))
    assert exported["components"]["schemas"]["M"]["properties"]["a"]["description"] == text
    assert exported["paths"]["/x"]["get"]["parameters"][0]["description"] == text
    html = "\n".join(p.read_text(encoding="utf-8") for p in app.outdir.rglob("*.html"))
    assert "<em>x</em>" not in html and "<b>b</b>" not in html
    assert 'href="javascript:' not in html
    assert not (app.outdir / "_downloads").exists()
    assert html.count("HH:mm_") >= 2  # the text as written, in both tables
