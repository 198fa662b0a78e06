"""Items, fields, links and reverse links, as the reader sees them."""

from __future__ import annotations

import pytest
from conftest import warnings_of
from docutils import nodes


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_builds_without_warnings(app):
    app.build()
    assert warnings_of(app) == []


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_domain_holds_items_with_fields_and_links(app):
    app.build()
    domain = app.env.get_domain("techspec")
    req = domain.get("REQ-001")
    assert req.type == "requirement"
    assert req.title == "Users can reset their password"
    assert req.docname == "requirements"
    assert req.anchor == "REQ-001"
    assert req.fields == {
        "status": "approved",
        "priority": "high",
        "kind": "functional",
        "tags": ["auth", "account"],
    }
    assert domain.get("TC-002").links == {"verifies": ("REQ-002", "REQ-001")}
    assert domain.incoming("REQ-001") == [
        ("implements", "AUTH"),
        ("refines", "REQ-002"),
        ("verifies", "TC-001"),
        ("verifies", "TC-002"),
    ]


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_reverse_links_rendered_in_html(app):
    app.build()
    html = (app.outdir / "requirements.html").read_text()
    card = html.split('id="REQ-001"')[1].split('id="REQ-002"')[0]
    assert "Verified by" in card
    assert 'href="tests.html#TC-001" title="TC-001: Reset email is sent"' in card
    assert 'href="tests.html#TC-002"' in card
    assert "Implemented by" in card and 'href="components.html#AUTH"' in card
    assert "Refined by" in card
    tests_html = (app.outdir / "tests.html").read_text()
    assert "Verifies" in tests_html
    assert 'href="requirements.html#REQ-001"' in tests_html


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_roles_resolve_with_title_tooltip(app):
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert (
        'href="requirements.html#REQ-001" title="REQ-001: Users can reset their password"' in html
    )
    assert ">the reset rule<" in html


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_item_doctree_is_standard_nodes(app):
    app.build()
    try:
        doctree = app.env.get_and_resolve_doctree("requirements", app.builder, tags=app.tags)
    except TypeError:  # Sphinx < 9 takes no tags
        doctree = app.env.get_and_resolve_doctree("requirements", app.builder)
    containers = [n for n in doctree.findall(nodes.container) if "techspec-item" in n["classes"]]
    assert len(containers) == 2
    first = containers[0]
    header = next(first.findall(nodes.paragraph))
    assert "techspec-header" in header["classes"]
    assert header.astext() == "Requirement REQ-001: Users can reset their password (approved)"
    field_names = [n.astext() for n in first.findall(nodes.field_name)]
    assert field_names == [
        "Priority",
        "Kind",
        "Tags",
        "Verified by",
        "Implemented by",
        "Refined by",
    ]


@pytest.mark.sphinx("text", testroot="basic", freshenv=True)
def test_text_output_lists_links(app):
    app.build()
    text = (app.outdir / "requirements.txt").read_text()
    assert "Requirement **REQ-001**: Users can reset their password (approved)" in text
    assert "Verified by:" in text
    assert "TC-001 Reset email is sent" in text


@pytest.mark.sphinx("latex", testroot="basic", freshenv=True)
def test_latex_output_labels_and_links_items(app):
    app.build()
    tex = (app.outdir / "basic.tex").read_text()
    assert r"\label{\detokenize{requirements:REQ-001}}" in tex
    assert r"\hyperref[\detokenize{tests:TC-001}]" in tex


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_objects_inventory_lists_items(app):
    from sphinx.util.inventory import InventoryFile

    app.build()
    data = (app.outdir / "objects.inv").read_bytes()
    inventory = InventoryFile.loads(data, uri="").data
    assert inventory["techspec:requirement"]["REQ-001"].uri == "requirements.html#REQ-001"
    assert inventory["techspec:test-case"]["TC-002"].uri == "tests.html#TC-002"
    assert "MAIL" in inventory["techspec:component"]


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_general_index_lists_items(app):
    app.build()
    genindex = (app.outdir / "genindex.html").read_text()
    assert "REQ-001" in genindex and "(requirement)" in genindex


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_domain_directive_names(app):
    app.build()
    html = (app.outdir / "components.html").read_text()
    assert 'id="AUTH"' in html and 'id="MAIL"' in html


@pytest.mark.sphinx("text", testroot="myst", freshenv=True)
def test_myst_gives_the_same_items_and_links(app, make_app, rootdir, tmp_path):
    app.build()
    myst = app.env.get_domain("techspec")
    rst_app = make_app("text", srcdir=rootdir / "test-basic", builddir=tmp_path / "rst")
    rst_app.build()
    rst = rst_app.env.get_domain("techspec")
    assert {
        i: (it.type, it.title, it.docname, it.fields, it.links) for i, it in myst.items.items()
    } == {i: (it.type, it.title, it.docname, it.fields, it.links) for i, it in rst.items.items()}
    assert (app.outdir / "requirements.txt").read_text() == (
        rst_app.outdir / "requirements.txt"
    ).read_text()
    assert warnings_of(app) == []
