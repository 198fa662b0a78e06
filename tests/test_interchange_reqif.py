"""ReqIF: spec.reqif validates against the ReqIF 1.2 XSD, parses with the reqif library,
and imports back (RST and MyST) into a project with the same items, fields and links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of

from sphinx_techspec.cli import main
from sphinx_techspec.domain import DOMAIN

pytestmark = pytest.mark.slow(seconds=6)


def domain_items(app) -> dict[str, tuple]:
    domain = app.env.get_domain(DOMAIN)
    return {
        item.id: (item.type, item.title, item.fields, {k: set(v) for k, v in item.links.items()})
        for item in domain.items.values()
    }


@pytest.fixture
def exported(make_app, tmp_path):
    src = tmp_path / "spec"
    shutil.copytree(ROOTS / "test-interchange-reqif", src)
    app = make_app("html", srcdir=src)
    app.build()
    return app, app.outdir / "spec.reqif"


def test_spec_reqif_validates_against_the_xsd_and_parses_with_reqif(exported):
    xmlschema = pytest.importorskip("xmlschema")
    reqif = pytest.importorskip("reqif")
    from reqif.parser import ReqIFParser

    _app, path = exported
    xsd = Path(reqif.__file__).parent / "reqif_schema" / "reqif.xsd"
    errors = [error.reason for error in xmlschema.XMLSchema(str(xsd)).iter_errors(str(path))]
    assert errors == []

    bundle = ReqIFParser.parse(str(path))
    assert bundle.exceptions == []
    content = bundle.core_content.req_if_content
    # Toctree order, one specification per document.
    assert [spec.long_name for spec in content.specifications] == [
        "ReqIF spec",
        "Requirements",
        "Tests",
    ]
    types = {t.long_name for t in content.spec_types}
    assert {"requirement", "test-case", "hazard", "section", "verifies", "refines"} <= types
    objects = {o.identifier: o for o in content.spec_objects}
    assert "SO-REQ-001" in objects
    # REQ-003's link to the unknown REQ-404 is not exported; the others are.
    pairs = sorted((r.source, r.target) for r in content.spec_relations)
    assert ("SO-REQ-003", "SO-REQ-001") in pairs
    assert len(pairs) == 5
    # The hierarchy: the Accounts and Audit sections hold the requirements.
    requirements = content.specifications[1]
    assert [len(child.children or []) for child in requirements.children] == [2, 1]


def test_item_text_is_xhtml_from_the_docutils_tree(exported):
    _app, path = exported
    text = path.read_text(encoding="utf-8")
    assert "<xhtml:em>reset link</xhtml:em>" in text
    assert '<xhtml:a href="https://example.org/guide">the guide</xhtml:a>' in text
    assert "<xhtml:li>" in text and "<xhtml:td>" in text
    assert "<xhtml:code>RESET_TTL</xhtml:code>" in text
    assert "<xhtml:pre>RESET_TTL = 1800</xhtml:pre>" in text
    # Escaped by the serialiser, never pasted.
    assert "A mail can be lost &lt;in transit&gt; &amp; never arrive." in text


def test_export_is_off_by_default_and_unchanged_on_rebuild(make_app, tmp_path, exported):
    app, path = exported
    mtime = path.stat().st_mtime_ns
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert path.stat().st_mtime_ns == mtime

    plain = tmp_path / "plain"
    shutil.copytree(ROOTS / "test-views", plain)
    other = make_app("html", srcdir=plain)
    other.build()
    assert not (other.outdir / "spec.reqif").exists()


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_round_trip_gives_the_same_items_fields_and_links(exported, make_app, tmp_path, fmt):
    app, path = exported
    out = tmp_path / f"imported-{fmt}"
    assert main(["import-reqif", str(path), "--out", str(out), "--format", fmt]) == 0
    shutil.copy(app.srcdir / "conf.py", out / "conf.py")
    if fmt == "md":
        with (out / "conf.py").open("a") as conf:
            conf.write('extensions.append("myst_parser")\n')
    imported = make_app("html", srcdir=out)
    imported.build()
    assert [w for w in warnings_of(imported) if "[techspec." in w] == []

    original = domain_items(app)
    # The link to the unknown REQ-404 cannot travel: ReqIF relations need both ends.
    original["REQ-003"][3]["refines"].discard("REQ-404")
    assert domain_items(imported) == original
    body = (imported.outdir / "requirements.html").read_text(encoding="utf-8")
    assert "<em>reset link</em>" in body
    assert '<a class="reference external" href="https://example.org/guide">' in body
    assert "single use</strong>" in body
    assert "RESET_TTL" in body and "1800</span>" in body


def test_import_maps_types_and_reports_what_it_could_not_map(tmp_path, capsys):
    reqif_file = tmp_path / "other.reqif"
    reqif_file.write_text(OTHER_TOOL, encoding="utf-8")
    out = tmp_path / "out"
    args = ["import-reqif", str(reqif_file), "--out", str(out), "--map", "Sys Req=requirement"]
    assert main(args) == 0
    page = (out / "system.rst").read_text(encoding="utf-8")
    assert ".. requirement:: SR-1 Start in two seconds" in page
    assert ":priority: high" in page
    assert ":refines: SR-2" in page
    assert "Must \\*start\\* fast." in page  # text is escaped, never markup
    report = (out / "import-report.txt").read_text(encoding="utf-8")
    assert "ATTRIBUTE-VALUE-SOUND" in report and "unknown datatype" in report
    assert "unknown SPEC-OBJECT 'GONE'" in report
    # Standard output gets the counts; the details are in the report file.
    printed = capsys.readouterr().out
    assert "unknown datatype" not in printed
    assert "2 objects: 2 items, 0 headings; 1 of 2 relations became links." in printed
    assert "2 notes in import-report.txt" in printed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<REQ-IF><unclosed></REQ-IF>", "not well-formed XML"),
        ("<NOT-REQIF/>", "the root element is <NOT-REQIF>"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            "<REQ-IF>&lol2;</REQ-IF>",
            "declares a DTD (<!DOCTYPE …>), which is never read",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<REQ-IF>&x;</REQ-IF>",
            "declares a DTD (<!DOCTYPE …>), which is never read",
        ),
        ("<REQ-IF/>", "no CORE-CONTENT"),
        ("<REQ-IF " + "A='" + "x" * 11_000_000 + "'/>", "not well-formed XML"),
    ],
)
def test_hostile_or_broken_xml_is_refused_with_nothing_written(tmp_path, capsys, text, message):
    reqif_file = tmp_path / "bad.reqif"
    reqif_file.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import-reqif", str(reqif_file), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert message in error and str(reqif_file) in error
    assert not out.exists()


def test_import_never_overwrites(exported, tmp_path, capsys):
    _app, path = exported
    out = tmp_path / "out"
    out.mkdir()
    (out / "tests.rst").write_text("mine\n", encoding="utf-8")
    assert main(["import-reqif", str(path), "--out", str(out)]) == 2
    assert "already exist" in capsys.readouterr().err
    assert (out / "tests.rst").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in out.iterdir()) == ["tests.rst"]


@pytest.mark.sphinx(
    "html", testroot="interchange-reqif", confoverrides={"techspec_export_reqif": 3}
)
def test_bad_config_value_warns_and_keeps_the_default(app):
    app.build()
    assert techspec_warnings(app, "bad_config")
    assert not (app.outdir / "spec.reqif").exists()


OTHER_TOOL = """<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
        xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><TITLE>t</TITLE></REQ-IF-HEADER></THE-HEADER>
  <CORE-CONTENT><REQ-IF-CONTENT>
    <DATATYPES>
      <DATATYPE-DEFINITION-STRING IDENTIFIER="s" MAX-LENGTH="100"/>
      <DATATYPE-DEFINITION-ENUMERATION IDENTIFIER="prio">
        <SPECIFIED-VALUES><ENUM-VALUE IDENTIFIER="p-high" LONG-NAME="high"/></SPECIFIED-VALUES>
      </DATATYPE-DEFINITION-ENUMERATION>
    </DATATYPES>
    <SPEC-TYPES>
      <SPEC-OBJECT-TYPE IDENTIFIER="sr" LONG-NAME="Sys Req">
        <SPEC-ATTRIBUTES>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-id" LONG-NAME="ID"/>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-name" LONG-NAME="Title"/>
          <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="a-text" LONG-NAME="Description"/>
          <ATTRIBUTE-DEFINITION-ENUMERATION IDENTIFIER="a-prio" LONG-NAME="Priority"/>
        </SPEC-ATTRIBUTES>
      </SPEC-OBJECT-TYPE>
      <SPEC-RELATION-TYPE IDENTIFIER="rt" LONG-NAME="refines"/>
    </SPEC-TYPES>
    <SPEC-OBJECTS>
      <SPEC-OBJECT IDENTIFIER="o1"><TYPE><SPEC-OBJECT-TYPE-REF>sr</SPEC-OBJECT-TYPE-REF></TYPE>
        <VALUES>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="SR-1"><DEFINITION>
            <ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF>
          </DEFINITION></ATTRIBUTE-VALUE-STRING>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="Start in two seconds"><DEFINITION>
            <ATTRIBUTE-DEFINITION-STRING-REF>a-name</ATTRIBUTE-DEFINITION-STRING-REF>
          </DEFINITION></ATTRIBUTE-VALUE-STRING>
          <ATTRIBUTE-VALUE-XHTML><DEFINITION>
            <ATTRIBUTE-DEFINITION-XHTML-REF>a-text</ATTRIBUTE-DEFINITION-XHTML-REF>
          </DEFINITION><THE-VALUE><xhtml:div><xhtml:p>Must *start* fast.</xhtml:p></xhtml:div>
          </THE-VALUE></ATTRIBUTE-VALUE-XHTML>
          <ATTRIBUTE-VALUE-ENUMERATION><DEFINITION>
            <ATTRIBUTE-DEFINITION-ENUMERATION-REF>a-prio</ATTRIBUTE-DEFINITION-ENUMERATION-REF>
          </DEFINITION><VALUES><ENUM-VALUE-REF>p-high</ENUM-VALUE-REF></VALUES>
          </ATTRIBUTE-VALUE-ENUMERATION>
          <ATTRIBUTE-VALUE-SOUND THE-VALUE="beep"/>
        </VALUES>
      </SPEC-OBJECT>
      <SPEC-OBJECT IDENTIFIER="o2"><TYPE><SPEC-OBJECT-TYPE-REF>sr</SPEC-OBJECT-TYPE-REF></TYPE>
        <VALUES>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="SR-2"><DEFINITION>
            <ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF>
          </DEFINITION></ATTRIBUTE-VALUE-STRING>
        </VALUES>
      </SPEC-OBJECT>
    </SPEC-OBJECTS>
    <SPEC-RELATIONS>
      <SPEC-RELATION IDENTIFIER="r1">
        <TYPE><SPEC-RELATION-TYPE-REF>rt</SPEC-RELATION-TYPE-REF></TYPE>
        <SOURCE><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF></SOURCE>
        <TARGET><SPEC-OBJECT-REF>o2</SPEC-OBJECT-REF></TARGET></SPEC-RELATION>
      <SPEC-RELATION IDENTIFIER="r2">
        <TYPE><SPEC-RELATION-TYPE-REF>rt</SPEC-RELATION-TYPE-REF></TYPE>
        <SOURCE><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF></SOURCE>
        <TARGET><SPEC-OBJECT-REF>GONE</SPEC-OBJECT-REF></TARGET></SPEC-RELATION>
    </SPEC-RELATIONS>
    <SPECIFICATIONS>
      <SPECIFICATION IDENTIFIER="spec" LONG-NAME="System">
        <CHILDREN>
          <SPEC-HIERARCHY IDENTIFIER="h1"><OBJECT><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF></OBJECT>
          </SPEC-HIERARCHY>
          <SPEC-HIERARCHY IDENTIFIER="h2"><OBJECT><SPEC-OBJECT-REF>o2</SPEC-OBJECT-REF></OBJECT>
          </SPEC-HIERARCHY>
        </CHILDREN>
      </SPECIFICATION>
    </SPECIFICATIONS>
  </REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>
"""


def test_parallel_build_writes_the_same_file(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    files = []
    for parallel in (1, 2):
        src = tmp_path / f"spec-{parallel}"
        shutil.copytree(ROOTS / "test-interchange-reqif", src)
        app = make_app("html", srcdir=src, parallel=parallel)
        app.build()
        files.append((app.outdir / "spec.reqif").read_bytes())
    assert files[0] == files[1]
    assert b"<CREATION-TIME>2026-01-01T00:00:00Z</CREATION-TIME>" in files[0]


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_xhtml_becomes_markup_that_parses_back_to_the_same_inline_nodes(fmt):
    from docutils import nodes
    from docutils.core import publish_doctree
    from lxml import etree

    from sphinx_techspec.interchange.xhtml import xhtml_to_markup

    xhtml = etree.fromstring(
        '<x:div xmlns:x="http://www.w3.org/1999/xhtml"><x:p>1. end.<x:em>x</x:em>word, '
        "<x:strong>b</x:strong>; a<x:code>c</x:code>d *not em* `no code` |sub|_</x:p></x:div>"
    )
    markup = xhtml_to_markup(xhtml, fmt)
    if fmt == "md":
        from myst_parser.parsers.docutils_ import Parser

        doctree = publish_doctree(markup, parser=Parser())
    else:
        doctree = publish_doctree(markup, settings_overrides={"report_level": 5})
    (paragraph,) = doctree.findall(nodes.paragraph)
    assert paragraph.astext() == "1. end.xword, b; acd *not em* `no code` |sub|_"
    assert [n.astext() for n in paragraph.findall(nodes.emphasis)] == ["x"]
    assert [n.astext() for n in paragraph.findall(nodes.strong)] == ["b"]
    assert [n.astext() for n in paragraph.findall(nodes.literal)] == ["c"]
