"""The shared project writer: conf.py as data (literals only), a root page with a toctree,
safe page names; what it writes builds with ``-W -n`` as it is."""

from __future__ import annotations

import ast

import pytest
from conftest import warnings_of

from sphinx_techspec.domain import DOMAIN
from sphinx_techspec.interchange.pages import OutputError, PageItem, heading, item_directive
from sphinx_techspec.interchange.project_writer import (
    ProjectDeclarations,
    conf_text,
    literal_only,
    project_files,
    safe_docname,
    write_project,
)

HOSTILE = 'x", "label": exec("import os"), "y": "\n__import__("os")'


def assignments(text: str) -> dict[str, object]:
    values = {}
    for statement in ast.parse(text).body:
        assert isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name)
        values[statement.targets[0].id] = ast.literal_eval(statement.value)
    return values


def test_conf_is_data_and_keeps_every_value_as_given():
    declarations = ProjectDeclarations(
        item_types=[{"name": "std-req", "label": HOSTILE, "fields": [{"name": "version"}]}],
        link_types=[{"name": "complies", "reverse": HOSTILE}],
        statuses=["valid", HOSTILE],
        config={"techspec_id_pattern": r"[a-z_0-9]+"},
    )
    text = conf_text(HOSTILE, "md", declarations, "test")
    values = assignments(text)
    assert values["project"] == HOSTILE
    assert values["extensions"] == ["sphinx_techspec", "myst_parser"]
    assert values["techspec_item_types"][0]["label"] == HOSTILE
    assert values["techspec_link_types"] == [{"name": "complies", "reverse": HOSTILE}]
    assert values["techspec_statuses"][-2:] == ["valid", HOSTILE]
    assert "draft" in values["techspec_statuses"]  # the defaults stay
    assert values["techspec_id_pattern"] == r"[a-z_0-9]+"


@pytest.mark.parametrize(
    "source", ["import os\n", "x = f()\n", "x = [1] + [2]\n", "x.y = 1\n", "a = b = 1\n"]
)
def test_literal_only_refuses_code(source):
    with pytest.raises(ValueError):
        literal_only(source)


def test_safe_docnames_never_leave_the_folder_or_take_the_root():
    taken: set[str] = set()
    assert safe_docname("index", taken) == "index-page"
    assert safe_docname("Index", taken) == "Index-page-2"
    assert safe_docname("a/b", taken) == "a/b"
    assert safe_docname("A/B", taken) == "A/B-2"
    odd = safe_docname("../../etc/x\n.. raw:: html", taken)
    assert ".." not in odd.split("/") and "\n" not in odd and not odd.startswith("/")
    assert safe_docname("", taken) == "page"


def test_pages_must_come_from_safe_docname():
    for bad in ("index", "../x", "a b"):
        with pytest.raises(ValueError):
            project_files("rst", "T", {bad: "T\n=\n"}, ProjectDeclarations())


def test_a_written_project_builds_as_written(make_app, tmp_path):
    """What an importer does: pages of declared types, the report beside them."""
    taken: set[str] = set()
    item = PageItem("std-req", "R-1", "Call `reset()` first", {"version": "1", "status": "valid"})
    start, deep = safe_docname("index", taken), safe_docname("more/deep", taken)
    pages = {
        start: heading("🚗 Start", 0, "md") + "\n" + item_directive(item, "md"),
        deep: heading("More", 0, "md"),
    }
    declarations = ProjectDeclarations(
        item_types=[{"name": "std-req", "label": "Standard requirement", "fields": ["version"]}],
        statuses=["valid"],
    )
    out = tmp_path / "project"
    write_project(out, "md", "Written", pages, declarations, {"report.txt": "all fine\n"})
    assert sorted(p.name for p in out.iterdir()) == [
        "conf.py",
        "index-page.md",
        "index.md",
        "more",
        "report.txt",
    ]
    app = make_app("html", srcdir=out)
    app.build()
    assert warnings_of(app) == []
    assert app.env.get_domain(DOMAIN).items["R-1"].title == "Call `reset()` first"
    root = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="index-page.html"' in root and 'href="more/deep.html"' in root
    with pytest.raises(OutputError):
        write_project(out, "md", "Written", pages, declarations)


def test_rst_titles_are_as_wide_as_docutils_measures(make_app, tmp_path):
    out = tmp_path / "wide"
    pages = {
        "wide": heading("🚗 Automotive 機能", 0, "rst") + "\n" + heading("機能 section", 1, "rst")
    }
    write_project(out, "rst", "漢字 Title", pages, ProjectDeclarations())
    app = make_app("html", srcdir=out)
    app.build()
    assert warnings_of(app) == []


def test_myst_fences_hold_backticks_and_tildes():
    """A backtick in the argument ends a backtick fence's info string: tildes, longer
    than any run of tildes in the body."""
    item = PageItem("req", "R-1", "Call `x`", {"status": "draft"}, "Body ~~~~ here")
    assert item_directive(item, "md") == (
        "~~~~~{req} R-1 Call `x`\n:status: draft\n\nBody ~~~~ here\n~~~~~\n"
    )
    plain = PageItem("req", "R-1", "Plain", {}, "Body ``` here")
    assert item_directive(plain, "md") == "````{req} R-1 Plain\n\nBody ``` here\n````\n"
