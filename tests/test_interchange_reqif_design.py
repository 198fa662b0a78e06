"""ReqIF round trip of the detailed-design types: endpoints, models and error codes come
back in their own directive syntax (RST and MyST) with the same items, fields and links."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOTS, warnings_of

from sphinx_techspec.cli import main
from sphinx_techspec.domain import DOMAIN

pytestmark = pytest.mark.slow(seconds=3)

EXAMPLE = Path(__file__).parent.parent / "example_project"
DESIGN_TYPES = ("api-endpoint", "data-model", "error-code")


def without_lines(value: Any) -> Any:
    """Fields minus the source ``line`` of each parameter, field and example (pages differ)."""
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list | tuple):
        return [without_lines(v) for v in value]
    return value


def design_items(app) -> dict[str, tuple]:
    domain = app.env.get_domain(DOMAIN)
    return {
        item.id: (
            item.type,
            item.title,
            without_lines(item.fields),
            {k: list(v) for k, v in item.links.items()},  # in their written order
        )
        for item in domain.items.values()
        if item.type in DESIGN_TYPES
    }


def build_warnings(app) -> list[str]:
    """The build's warnings, without Sphinx's notes that a second app in one process registers
    nodes and directives again."""
    return [w for w in warnings_of(app) if "while setting up extension" not in w]


def import_and_build(make_app, reqif: Path, out: Path, fmt: str, conf: str):
    assert main(["import-reqif", str(reqif), "--out", str(out), "--format", fmt]) == 0
    (out / "conf.py").write_text(conf + '\nextensions.append("myst_parser")\n', encoding="utf-8")
    imported = make_app("html", srcdir=out)
    imported.build()
    return imported


@pytest.fixture
def exported(make_app, tmp_path):
    src = tmp_path / "spec"
    shutil.copytree(ROOTS / "test-interchange-reqif-design", src)
    app = make_app("html", srcdir=src)
    app.build()
    assert build_warnings(app) == []
    return app, app.outdir / "spec.reqif"


def test_design_export_validates_and_carries_the_directive_syntax(exported):
    xmlschema = pytest.importorskip("xmlschema")
    reqif = pytest.importorskip("reqif")
    from reqif.parser import ReqIFParser

    _app, path = exported
    xsd = Path(reqif.__file__).parent / "reqif_schema" / "reqif.xsd"
    assert [e.reason for e in xmlschema.XMLSchema(str(xsd)).iter_errors(str(path))] == []
    bundle = ReqIFParser.parse(str(path))
    assert bundle.exceptions == []
    text = path.read_text(encoding="utf-8")
    assert 'THE-VALUE="GET /users/{id}"' in text
    assert 'THE-VALUE="User A person who signs in"' in text
    # Multi-line values survive as character references.
    assert ":field id: uuid, pk -- User ID.&#10;:field email:" in text
    assert ":auth: oauth2(users:read, users:write), api-key" in text


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_design_round_trip_gives_the_same_items_fields_and_links(exported, make_app, tmp_path, fmt):
    app, path = exported
    conf = (app.srcdir / "conf.py").read_text(encoding="utf-8")
    imported = import_and_build(make_app, path, tmp_path / f"imported-{fmt}", fmt, conf)
    assert build_warnings(imported) == []
    original = design_items(app)
    assert len(original) == 11
    assert design_items(imported) == original

    page = (imported.srcdir / f"api.{fmt}").read_text(encoding="utf-8")
    model_page = (imported.srcdir / f"models.{fmt}").read_text(encoding="utf-8")
    if fmt == "rst":
        assert ".. api-endpoint:: GET /users/{id}\n" in page
        assert ".. data-model:: Address\n   :id: Address\n   :open:\n" in model_page
    else:
        assert "```{api-endpoint} GET /users/{id}\n" in page
        assert "{data-model} Address\n:id: Address\n:open:\n" in model_page
    assert ':query role: enum("admin", "member", "7"), optional -- Only users' in page
    # The description is prose again, not the generated tables.
    html = (imported.outdir / "api.html").read_text(encoding="utf-8")
    assert "<em>one</em> user" in html
    assert html.count("techspec-parameters") == (app.outdir / "api.html").read_text(
        encoding="utf-8"
    ).count("techspec-parameters")


def test_example_project_round_trips_its_design_items(make_app, tmp_path):
    """The example's own spec.reqif: 35 endpoints, models and error codes come back equal."""
    src = tmp_path / "example"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build", ".pytest_cache"))
    app = make_app("html", srcdir=src)
    app.build()
    reqif = app.outdir / "spec.reqif"
    conf = 'extensions = ["sphinx_techspec"]\nproject = "imported"\n'
    conf += 'exclude_patterns = ["_build"]\n'
    imported = import_and_build(make_app, reqif, tmp_path / "imported", "rst", conf)
    # Page links (``:doc:`` in a field description) may name pages the import renamed;
    # nothing the techspec domain reads may warn.
    assert [w for w in build_warnings(imported) if "[techspec." in w] == []
    original = design_items(app)
    assert {item[0] for item in original.values()} == set(DESIGN_TYPES)
    assert len(original) == 35
    assert design_items(imported) == original


def test_an_endpoint_mapped_to_another_type_is_written_as_id_and_title(exported, tmp_path):
    _app, path = exported
    out = tmp_path / "mapped"
    args = ["import-reqif", str(path), "--out", str(out), "--map", "api-endpoint=requirement"]
    assert main(args) == 0
    page = (out / "api.rst").read_text(encoding="utf-8")
    assert ".. requirement:: GET-users-id Get a user\n" in page
    assert "techspec.Signature" not in page and ":query limit:" not in page


def test_foreign_markup_in_the_directive_attributes_is_left_out_and_reported(
    exported, tmp_path, capsys
):
    """Body lines go into the page as they are: anything but spec lines would be markup
    nobody wrote (a raw HTML directive), so it is dropped and the report names it."""
    _app, path = exported
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'THE-VALUE=":path id: uuid, required -- The user',
        'THE-VALUE=".. raw:: html&#10;&#10;   &lt;script&gt;&#10;'
        ":path id: uuid, required -- The user",
        1,
    )
    text = text.replace("&#10;:summary: Get a user&#10;", "&#10;summary Get a user&#10;", 1)
    hostile = tmp_path / "hostile.reqif"
    hostile.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import-reqif", str(hostile), "--out", str(out)]) == 0
    report = (out / "import-report.txt").read_text(encoding="utf-8")
    assert "GET-users-id: techspec.BodyLines line '.. raw:: html' is not a parameter" in report
    assert "line '<script>' is not a parameter" in report
    assert "techspec.Options line 'summary Get a user' is not ':name: value'" in report
    page = (out / "api.rst").read_text(encoding="utf-8")
    assert "raw::" not in page and "<script>" not in page
    assert "   :path id: uuid, required -- The user's ID.\n" in page
    assert "summary Get a user" not in page


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_a_plain_text_body_from_a_foreign_file_stays_text(tmp_path, fmt):
    """A STRING text attribute is text, not markup: a directive or role in it is escaped."""
    from docutils.core import publish_doctree

    from sphinx_techspec.interchange.reqif_import import Converter, Reading

    converter = Converter(Reading(tmp_path / "x.reqif"), {}, fmt)
    body = converter.plain_text_body(
        ".. raw:: html\n\n   <script>x</script>\n:ref:`y` *z*\n```{raw} html\n<b>\n```"
    )
    lines = body.splitlines()
    starts = (".. ", "```", ":::", "<") if fmt == "rst" else ("```", ":::", "<", "{")
    assert not any(line.startswith(starts) for line in lines), body
    if fmt == "rst":
        tree = publish_doctree(body, settings_overrides={"report_level": 5})
        text = tree.astext()
        assert ".. raw:: html" in text and "<script>x</script>" in text and "*z*" in text
        assert not list(tree.findall(lambda n: n.tagname in ("raw", "emphasis", "pending_xref")))
