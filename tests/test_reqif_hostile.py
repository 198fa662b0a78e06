# ruff: noqa: E501  (the ReqIF template lines are long XML)
"""A supplier's ReqIF file is data: import-reqif never turns it into a file read, a script, a
live ``javascript:`` link, a directive, Python code or a lost page, in RST or MyST; every case
is reported."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOTS, warnings_of

from sphinx_techspec.cli import main
from sphinx_techspec.domain import DOMAIN
from sphinx_techspec.interchange.pages import PageItem, item_directive
from sphinx_techspec.interchange.project_writer import (
    ProjectDeclarations,
    conf_text,
    literal_only,
)

SECRET = "TOP-SECRET-CONTENT-1234"
R = "{http://www.omg.org/spec/ReqIF/20110401/reqif.xsd}"
DOWNLOAD = ":download:`secret <{secret}>`"
MYST_DOWNLOAD = "{{download}}`secret <{secret}>`"

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
        xmlns:xhtml="http://www.w3.org/1999/xhtml">
<THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><TITLE>t</TITLE></REQ-IF-HEADER></THE-HEADER>
<CORE-CONTENT><REQ-IF-CONTENT>
<DATATYPES>
  <DATATYPE-DEFINITION-STRING IDENTIFIER="DT-S" LAST-CHANGE="2020-01-01T00:00:00Z" MAX-LENGTH="9999"/>
  <DATATYPE-DEFINITION-XHTML IDENTIFIER="DT-X" LAST-CHANGE="2020-01-01T00:00:00Z"/>
</DATATYPES>
<SPEC-TYPES>
  <SPEC-OBJECT-TYPE IDENTIFIER="T" LAST-CHANGE="2020-01-01T00:00:00Z" LONG-NAME="{type_name}">
    <SPEC-ATTRIBUTES>
      <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="A-ID" LAST-CHANGE="2020-01-01T00:00:00Z" LONG-NAME="ReqIF.ForeignID"><TYPE><DATATYPE-DEFINITION-STRING-REF>DT-S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
      <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="A-NAME" LAST-CHANGE="2020-01-01T00:00:00Z" LONG-NAME="ReqIF.Name"><TYPE><DATATYPE-DEFINITION-STRING-REF>DT-S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
      <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="A-TEXT" LAST-CHANGE="2020-01-01T00:00:00Z" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-XHTML-REF>DT-X</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
      <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="A-NOTE" LAST-CHANGE="2020-01-01T00:00:00Z" LONG-NAME="{note_name}"><TYPE><DATATYPE-DEFINITION-XHTML-REF>DT-X</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
      <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="A-PLAIN" LAST-CHANGE="2020-01-01T00:00:00Z" LONG-NAME="Plain"><TYPE><DATATYPE-DEFINITION-STRING-REF>DT-S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
    </SPEC-ATTRIBUTES>
  </SPEC-OBJECT-TYPE>
</SPEC-TYPES>
<SPEC-OBJECTS>
"""

OBJECT = """<SPEC-OBJECT IDENTIFIER="{id}" LAST-CHANGE="2020-01-01T00:00:00Z">
  <TYPE><SPEC-OBJECT-TYPE-REF>T</SPEC-OBJECT-TYPE-REF></TYPE>
  <VALUES>
    <ATTRIBUTE-VALUE-STRING THE-VALUE="{id}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>A-ID</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
    <ATTRIBUTE-VALUE-STRING THE-VALUE="{title}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>A-NAME</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
    <ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>A-TEXT</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><xhtml:div>{text}</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
    <ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>A-NOTE</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><xhtml:div>{note}</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
    <ATTRIBUTE-VALUE-STRING THE-VALUE="{plain}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>A-PLAIN</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
  </VALUES>
</SPEC-OBJECT>
"""


def esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def hostile_objects(secret: str) -> list[dict[str, str]]:
    download = DOWNLOAD.format(secret=secret)
    myst = MYST_DOWNLOAD.format(secret=secret)
    return [
        {  # roles in a title, the text, a <pre> in a table cell, <code> holding backticks
            "id": "REQ-1",
            "title": esc(f"Call `reset()` first {download} {myst}"),
            "text": (
                f"<xhtml:p>{esc(download)} and {esc(myst)}</xhtml:p>"
                "<xhtml:table><xhtml:tr><xhtml:td><xhtml:pre>"
                f"{esc(download)}\n.. raw:: html\n\n   &lt;script&gt;alert(1)&lt;/script&gt;"
                "</xhtml:pre></xhtml:td><xhtml:td>cell</xhtml:td></xhtml:tr></xhtml:table>"
                f"<xhtml:p><xhtml:code>`` {esc(download)} ``</xhtml:code></xhtml:p>"
            ),
            "note": esc(download),
            "plain": esc(f".. raw:: html\n\n   <script>alert(1)</script>\n{download}"),
        },
        {  # markup that runs: scripts, event handlers, frames, javascript: links and text
            "id": "REQ-2",
            "title": "Scripts",
            "text": (
                "<xhtml:p>before<xhtml:script>alert(1)</xhtml:script>after</xhtml:p>"
                '<xhtml:p><xhtml:img src="x.png" onerror="alert(2)" alt="pic"/></xhtml:p>'
                '<xhtml:p><xhtml:iframe src="javascript:alert(3)">f</xhtml:iframe></xhtml:p>'
                '<xhtml:p><xhtml:a href="javascript:alert(4)">click</xhtml:a> and '
                '<xhtml:a href="data:text/html,x">data</xhtml:a> and '
                '<xhtml:a href="https://example.org/ok">fine</xhtml:a></xhtml:p>'
                "<xhtml:p>bare javascript:alert(5) text</xhtml:p>"
                f'<xhtml:object data="{esc(secret)}" type="image/png">obj</xhtml:object>'
                '<xhtml:object data="../outside.png" type="image/png">up</xhtml:object>'
            ),
            "note": "&lt;script&gt;alert(6)&lt;/script&gt; &lt;img src=x onerror=alert(7)&gt;",
            "plain": "&lt;iframe src=javascript:alert(8)&gt;",
        },
    ]


def hostile_file(tmp_path: Path, secret: str, spec_names: tuple[str, ...]) -> Path:
    objects = hostile_objects(secret)
    text = HEADER.format(type_name="note", note_name=esc('x", "label": exec("1"), "y": "'))
    text += "".join(OBJECT.format(**o) for o in objects)
    text += OBJECT.format(id="REQ-9", title="Lost", text="in no spec", note="", plain="")
    text += "</SPEC-OBJECTS><SPECIFICATIONS>"
    for number, name in enumerate(spec_names):
        text += (
            f'<SPECIFICATION IDENTIFIER="S{number}" LAST-CHANGE="2020-01-01T00:00:00Z" '
            f'LONG-NAME="{name}"><CHILDREN><SPEC-HIERARCHY IDENTIFIER="H{number}" '
            'LAST-CHANGE="2020-01-01T00:00:00Z"><OBJECT><SPEC-OBJECT-REF>'
            f"{objects[number % 2]['id']}</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>"
            "</CHILDREN></SPECIFICATION>"
        )
    text += "</SPECIFICATIONS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"
    path = tmp_path / "package" / "supplier.reqif"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def live_markup(outdir: Path) -> list[str]:
    """What in the HTML would run or link out: inline scripts, handlers, frames, bad URLs."""
    found = []
    for page in sorted(outdir.glob("*.html")):
        tree = lxml.html.parse(str(page))
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.lower()
            # Sphinx's and the theme's own inline scripts hold none of the payloads.
            if tag == "script" and "alert(" in (element.text or ""):
                found.append(f"{page.name}: inline <script> from the file")
            if tag in ("iframe", "frame", "embed", "object"):
                found.append(f"{page.name}: <{tag}>")
            for name, value in element.attrib.items():
                if name.lower().startswith("on"):
                    found.append(f"{page.name}: {name}= on <{tag}>")
                if name.lower() in (
                    "href",
                    "src",
                    "action",
                    "data",
                ) and value.strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:", "file:")
                ):
                    found.append(f"{page.name}: {name}={value[:40]!r}")
    return found


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_a_hostile_file_stays_data(make_app, tmp_path, fmt, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    path = hostile_file(tmp_path, str(secret), ("Index", "Unplaced", "index"))
    out = tmp_path / "spec"
    assert main(["import-reqif", str(path), "--out", str(out), "--format", fmt]) == 0
    capsys.readouterr()

    # Generated Python is literals only, whatever the file's names hold.
    conf = (out / "conf.py").read_text(encoding="utf-8")
    literal_only(conf)
    assert "exec" not in [n.id for n in ast.walk(ast.parse(conf)) if isinstance(n, ast.Name)]

    app = make_app("html", srcdir=out)
    app.build()
    assert not (app.outdir / "_downloads").exists()
    everything = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in app.outdir.rglob("*")
        if p.is_file() and p.suffix in (".html", ".txt", ".js", ".png", ".json")
    )
    assert SECRET not in everything
    html = "\n".join(p.read_text(encoding="utf-8") for p in app.outdir.glob("*.html"))
    assert live_markup(app.outdir) == []
    assert 'href="https://example.org/ok"' in html
    # Text survives as text.
    assert "Call `reset()` first" in html
    assert ":download:" in html and "javascript:alert(5)" in html

    # No page lost: both SPECIFICATIONs named like generated pages are kept, renamed.
    domain = app.env.get_domain(DOMAIN)
    assert {"REQ-1", "REQ-2", "REQ-9"} <= set(domain.items)
    assert domain.items["REQ-1"].title.startswith("Call `reset()` first :download:")
    pages = sorted(p.stem for p in out.glob(f"*.{fmt}"))
    assert pages == ["index", "index-2", "index-3", "unplaced", "unplaced-2"], pages
    toc = (out / f"index.{fmt}").read_text(encoding="utf-8")
    assert all(name in toc for name in ("index-2", "index-3", "unplaced-2", "unplaced"))

    report = (out / "import-report.txt").read_text(encoding="utf-8")
    assert "the page name 'index' is taken: written as 'index-2'" in report
    assert "the page name 'unplaced' is taken: written as 'unplaced-2'" in report
    assert "'note' is a directive already; written as note-item" in report
    assert "<script> is not text; left out" in report
    assert "<iframe> is not text; left out" in report
    assert "the link 'javascript:alert(4)' is not http, https, mailto or relative" in report
    assert "the link 'data:text/html,x'" in report
    assert "the image '../outside.png' is not an image file inside the package" in report
    # The build itself has nothing to say about the imported project: all was text.
    problems = [w for w in warnings_of(app) if "WARNING" in w]
    assert problems == [], problems


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_an_image_inside_the_package_becomes_a_figure(make_app, tmp_path, fmt):
    package = tmp_path / "package"
    package.mkdir()
    (package / "files").mkdir()
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    (package / "files" / "diagram one.png").write_bytes(png)
    text = HEADER.format(type_name="Requirement", note_name="Note") + OBJECT.format(
        id="REQ-1",
        title="With a picture",
        text='<xhtml:p>See:</xhtml:p><xhtml:object data="files/diagram%20one.png" '
        'type="image/png">The diagram: a &amp; &lt;b&gt; #1</xhtml:object>',
        note="",
        plain="",
    )
    text += "</SPEC-OBJECTS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"
    (package / "in.reqif").write_text(text, encoding="utf-8")
    out = tmp_path / "spec"
    args = ["import-reqif", str(package / "in.reqif"), "--out", str(out), "--format", fmt]
    assert main(args) == 0
    assert (out / "_reqif_files" / "files-diagram-one.png").read_bytes() == png
    app = make_app("html", srcdir=out, confoverrides={"nitpicky": True})
    app.build()
    assert warnings_of(app) == []
    html = (app.outdir / "unplaced.html").read_text(encoding="utf-8")
    assert 'alt="The diagram: a &amp; &lt;b&gt; #1"' in html and "files-diagram-one.png" in html


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_a_backtick_title_keeps_its_item_in_every_format(make_app, tmp_path, fmt):
    page = item_directive(
        PageItem("requirement", "REQ-1", "Call `reset()` first", {"status": "draft"}, "Body ``x``"),
        fmt,
    )
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / f"index.{fmt}").write_text(f"Title\n=====\n\n{page}", encoding="utf-8")
    (tmp_path / "spec" / "conf.py").write_text(
        conf_text("p", fmt, ProjectDeclarations()), encoding="utf-8"
    )
    app = make_app("html", srcdir=tmp_path / "spec")
    app.build()
    assert warnings_of(app) == []
    item = app.env.get_domain(DOMAIN).items["REQ-1"]
    assert item.title == "Call `reset()` first"
    assert item.fields == {"status": "draft"}


def test_generated_conf_is_literals_only_whatever_the_names():
    names = ['x", "label": exec("1"), "y": "', "a\nimport os", "__import__('os')", "'''"]
    declarations = ProjectDeclarations(
        item_types=[
            {"name": "t", "label": n, "fields": [{"name": "f", "label": n}]} for n in names
        ],
        link_types=[{"name": "l", "reverse": names[1], "label": names[2]}],
        statuses=names,
    )
    text = conf_text(names[0], "md", declarations, "import-reqif")
    literal_only(text)
    namespace: dict = {}
    exec(compile(text, "conf.py", "exec"), {"__builtins__": {}}, namespace)  # literals: no names
    assert namespace["project"] == names[0]
    assert namespace["techspec_statuses"][-len(names) :] == names
    with pytest.raises(ValueError):
        literal_only("x = 1\nimport os\n")
    with pytest.raises(ValueError):
        literal_only("x = exec('1')\n")


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_roles_in_body_lines_stay_text(make_app, tmp_path, fmt, capsys):
    """A parameter description in ``techspec.BodyLines`` is markup when read: no role there
    may read a file, and no ``javascript:`` link may come out of it."""
    from lxml import etree

    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    src = tmp_path / "design"
    shutil.copytree(ROOTS / "test-interchange-reqif-design", src)
    app = make_app("html", srcdir=src)
    app.build()
    capsys.readouterr()
    tree = etree.parse(str(app.outdir / "spec.reqif"))
    names = {e.get("IDENTIFIER"): e.get("LONG-NAME") for e in tree.iter() if e.get("LONG-NAME")}
    changed = 0
    for value in tree.iter(f"{R}ATTRIBUTE-VALUE-STRING"):
        definition = "".join(value.find(f"{R}DEFINITION")[0].itertext()).strip()
        if names.get(definition) == "techspec.BodyLines" and ":path id:" in value.get("THE-VALUE"):
            value.set(
                "THE-VALUE",
                value.get("THE-VALUE").replace(
                    "-- The user's ID.",
                    f"-- The ID, see :download:`x <{secret}>` and {{download}}`y <{secret}>` "
                    "and `z <javascript:alert(1)>`__\n      more :download:`w <"
                    f"{secret}>`",
                ),
            )
            changed += 1
    assert changed >= 1
    hostile = tmp_path / "hostile.reqif"
    tree.write(str(hostile))
    out = tmp_path / "imported"
    assert main(["import-reqif", str(hostile), "--out", str(out), "--format", fmt]) == 0
    imported = make_app("html", srcdir=out)
    imported.build()
    assert not (imported.outdir / "_downloads").exists()
    html = (imported.outdir / "api.html").read_text(encoding="utf-8")
    assert SECRET not in html
    assert "download" in html and "The ID, see" in html
    assert live_markup(imported.outdir) == []
