"""Round trip with the import's own conf.py: export → import → export gives the same items,
fields, links and text (in RST and MyST), and the imported project builds nitpicky as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, warnings_of
from lxml import etree

from sphinx_techspec.cli import main

R = "{http://www.omg.org/spec/ReqIF/20110401/reqif.xsd}"


def contents(path: Path) -> tuple[dict, set]:
    """ForeignID → (type, {attribute: text}); and (source, link type, target) relations."""
    root = etree.parse(str(path)).getroot()
    names = {e.get("IDENTIFIER"): e.get("LONG-NAME") for e in root.iter() if e.get("LONG-NAME")}
    items: dict[str, tuple] = {}
    objects: dict[str, str] = {}
    for spec_object in root.iter(f"{R}SPEC-OBJECT"):
        values = {}
        for value in spec_object.iter():
            tag = etree.QName(value).localname
            if not tag.startswith("ATTRIBUTE-VALUE-"):
                continue
            definition = "".join(value.find(f"{R}DEFINITION")[0].itertext()).strip()
            the_value = value.find(f"{R}THE-VALUE")
            text = (
                " ".join("".join(the_value.itertext()).split())
                if the_value is not None
                else value.get("THE-VALUE")
            )
            values[names[definition]] = text
        type_ref = "".join(spec_object.find(f"{R}TYPE")[0].itertext()).strip()
        if "ReqIF.ForeignID" in values:
            objects[spec_object.get("IDENTIFIER")] = values["ReqIF.ForeignID"]
            items[values["ReqIF.ForeignID"]] = (names[type_ref], values)
    relations = set()
    for relation in root.iter(f"{R}SPEC-RELATION"):
        ends = {
            etree.QName(c).localname: "".join(c[0].itertext()).strip()
            for c in relation
            if etree.QName(c).localname in ("SOURCE", "TARGET", "TYPE")
        }
        relations.add((objects[ends["SOURCE"]], names[ends["TYPE"]], objects[ends["TARGET"]]))
    return items, relations


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_export_import_export_keeps_items_links_and_text(make_app, tmp_path, fmt, capsys):
    src = tmp_path / "spec"
    shutil.copytree(ROOTS / "test-interchange-reqif", src)
    first = make_app("html", srcdir=src)
    first.build()
    exported = first.outdir / "spec.reqif"

    out = tmp_path / "imported"
    assert main(["import-reqif", str(exported), "--out", str(out), "--format", fmt]) == 0
    capsys.readouterr()
    # The conf.py the import wrote, with only the export switched on.
    with (out / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("techspec_export_reqif = True\n")
    second = make_app("html", srcdir=out, confoverrides={"nitpicky": True})
    second.build()
    # (A second app in one process re-registers Sphinx's own nodes: that is not the project's.)
    assert [w for w in warnings_of(second) if "while setting up extension" not in w] == []

    items, relations = contents(exported)
    again, relations_again = contents(second.outdir / "spec.reqif")
    assert again == items
    assert relations_again == relations
    assert len(items) >= 6 and len(relations) >= 5
    assert "hazard" in {type_name for type_name, _values in items.values()}
