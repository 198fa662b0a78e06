"""The ``impact`` view: what a change reaches, on a page (the ``impact`` command's walk over
this build's items), and hostile code comments reaching the HTML escaped."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of

from sphinx_techspec.cli import main

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="1" failures="1" errors="0">
<testcase classname="checks.test_cart" name="test_cart_keeps_items" time="0.1">
<failure message="boom">boom</failure></testcase>
</testsuite></testsuites>
"""


@pytest.fixture
def project(tmp_path) -> Path:
    """The code-build root (two requirements, a component, a test, code naming them)."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-code-build", src)
    return src


def add_page(src: Path, name: str, body: str) -> None:
    (src / f"{name}.rst").write_text(f"{name.title()}\n{'=' * len(name)}\n\n{body}")
    index = src / "index.rst"
    index.write_text(index.read_text() + f"   {name}\n")


def text_of(app, page: str) -> str:
    return (Path(app.outdir) / f"{page}.txt").read_text()


def flat(text: str) -> str:
    """Text output with its line breaks as spaces (the text writer wraps long lines)."""
    return re.sub(r"\s+", " ", text)


def main_html(app, page: str) -> str:
    html = (Path(app.outdir) / f"{page}.html").read_text()
    return html[html.index('role="main"') : html.index('class="sphinxsidebar"')]


def test_named_items_show_what_they_reach_with_paths_code_and_tests(make_app, project):
    add_page(project, "impact", ".. impact::\n   :ids: REQ-CART\n")
    app = make_app("text", srcdir=project)
    app.build()
    assert warnings_of(app) == []
    page = text_of(app, "impact")
    assert "This requirement reaches 1 component, 2 code locations and 2 tests." in page
    assert "* REQ-CART Cart keeps items (named)" in page
    body = page.split("=|\n", 1)[1]  # the rows after the header
    rows = [re.sub(r"\s+", " ", row) for row in body.split("-+\n") if row.strip()]
    assert rows[0].startswith("| SHOP Shop service | Components | REQ-CART → implemented by → SHOP")
    assert '"src/shop/cart.py:5 add_item()" | Code | REQ-CART → implemented by code →' in rows[1]
    assert " TC-CART Cart round trip | Tests | REQ-CART → verified by → TC-CART" in rows[3]
    assert '"checks/test_cart.py:5 | Tests |' in rows[4]
    assert len(rows) == 5


def test_the_view_and_the_command_walk_the_same_way(make_app, project, capsys):
    add_page(project, "impact", ".. impact::\n   :ids: REQ-CART, REQ-PAY\n")
    app = make_app("html", srcdir=project)
    app.build()
    assert warnings_of(app) == []
    spec = Path(app.outdir) / "techspec.json"
    status = main(
        [
            "impact",
            "REQ-CART",
            "REQ-PAY",
            "--project",
            str(project),
            "--spec",
            str(spec),
            "--format",
            "json",
        ]
    )
    out, err = capsys.readouterr()
    assert status == 0, err
    reached = json.loads(out)["reached"]
    html = main_html(app, "impact")
    assert "These 2 requirements reach 1 component, 3 code locations and 2 tests." in html
    # Every reached node of the command is a row of the view, with the same path.
    assert html.count('<tr class="row-odd">') + html.count('<tr class="row-even">') - 1 == len(
        reached
    )
    for entry in reached:
        label = entry["id"] if entry["kind"] == "item" else f"{entry['file']}:{entry['line']}"
        assert label in html, label
    # Code locations link to their line on the source page; items to their cards.
    assert 'href="_code/src/shop/pay.py.html#L-5"' in html
    assert 'href="shop.html#SHOP"' in html


def test_changes_since_a_baseline_start_the_walk_and_failed_tests_are_counted(
    make_app, project, tmp_path
):
    add_page(project, "impact", ".. impact::\n   :since: baseline.json\n")
    add_page(project, "narrowed", ".. impact::\n   :since: baseline.json\n   :types: requirement\n")
    first = make_app("html", srcdir=project, builddir=tmp_path / "first")
    first.build()
    shutil.copy(Path(first.outdir) / "techspec.json", project / "baseline.json")
    nothing = make_app("text", srcdir=project, builddir=tmp_path / "nothing")
    nothing.build()
    assert [line for line in warnings_of(nothing) if "[techspec." in line] == []
    assert "Nothing changed since the baseline baseline.json" in text_of(nothing, "impact")

    pay = project / "pay.rst"
    pay.write_text(pay.read_text().replace("exactly once", "once and only once"))
    shop = project / "shop.rst"
    shop.write_text(shop.read_text() + "   :junit: checks.test_cart::test_cart_keeps_items\n")
    (project / "junit.xml").write_text(JUNIT)
    app = make_app(
        "text",
        srcdir=project,
        builddir=tmp_path / "changed",
        confoverrides={"techspec_test_results": ["junit.xml"]},
    )
    app.build()
    page = flat(text_of(app, "impact"))
    # REQ-PAY changed; TC-CART changed too (its :junit:), and it failed.
    assert "REQ-PAY Payment is taken once (changed)" in page
    assert "TC-CART Cart round trip failed (changed)" in page
    assert "These 2 changed items reach 1 component, 1 code location and 0 tests" in page
    # The filter narrows the changed items that start the walk: REQ-PAY only.
    narrowed = flat(text_of(app, "narrowed"))
    assert "This changed requirement reaches 1 component, 1 code location and 0 tests." in narrowed
    assert "TC-CART" not in narrowed


def test_bad_input_is_a_warning_and_a_line_on_the_page(make_app, project, tmp_path):
    add_page(
        project,
        "impact",
        ".. impact::\n   :since: missing.json\n\n.. impact::\n   :ids: NOPE-1\n\n.. impact::\n",
    )
    app = make_app("text", srcdir=project)
    app.build()
    page = flat(text_of(app, "impact"))
    assert "The baseline of :since: cannot be read" in page
    assert "No item of :ids: exists" in page
    assert "No baseline is configured: set techspec_baseline in conf.py" in page
    (bad,) = techspec_warnings(app, "bad_baseline")
    assert "impact.rst:4" in bad and "missing.json" in bad
    (unknown,) = techspec_warnings(app, "unknown_ref")
    assert "NOPE-1" in unknown


def test_failed_and_unrun_tests_are_marked_and_counted(make_app, project):
    add_page(project, "impact", ".. impact::\n   :ids: REQ-CART\n")
    shop = project / "shop.rst"
    shop.write_text(shop.read_text() + "   :junit: checks.test_cart::test_cart_keeps_items\n")
    (project / "junit.xml").write_text(JUNIT)
    app = make_app("html", srcdir=project, confoverrides={"techspec_test_results": ["junit.xml"]})
    app.build()
    html = main_html(app, "impact")
    assert (
        "This requirement reaches 1 component, 2 code locations and 2 tests; "
        "1 of those tests failed or did not run."
    ) in html
    row = html.split('href="shop.html#TC-CART"', 1)[1].split("</tr>", 1)[0]
    assert "<p>failed</p>" in row  # the result column


def test_myst_gives_the_same_view(make_app, project):
    (project / "impact.md").write_text("# Impact\n\n```{impact}\n:ids: REQ-CART\n```\n")
    index = project / "index.rst"
    index.write_text(index.read_text() + "   impact\n")
    app = make_app(
        "text",
        srcdir=project,
        confoverrides={"extensions": ["myst_parser", "sphinx_techspec"]},
    )
    app.build()
    assert warnings_of(app) == []
    page = flat(text_of(app, "impact"))
    assert "This requirement reaches 1 component, 2 code locations and 2 tests." in page
    assert "REQ-CART → implemented by → SHOP" in page


def test_suspect_links_are_marked_on_the_reached_items(make_app, project, tmp_path):
    add_page(project, "impact", ".. impact::\n   :ids: REQ-CART\n")
    first = make_app("html", srcdir=project, builddir=project / "_build")
    first.build()
    assert main(["review", "--all", "--project", str(project)]) == 0
    cart = project / "cart.rst"
    cart.write_text(cart.read_text().replace("what the reader put", "whatever the reader put"))
    app = make_app("html", srcdir=project, builddir=tmp_path / "after")
    app.build()
    html = main_html(app, "impact")
    # REQ-CART changed since its links were reviewed: both links to it are suspect.
    rows = html.split("<tbody>", 1)[1].split("</tr>")
    tc_row = next(row for row in rows if 'href="shop.html#TC-CART"' in row)
    assert "→ verified by (suspect) → " in tc_row and "<p>suspect link</p>" in tc_row
    shop_row = next(row for row in rows if 'href="shop.html#SHOP"' in row)
    assert "→ implemented by (suspect) → " in shop_row and "<p>suspect link</p>" in shop_row
    code_rows = [row for row in rows if "add_item" in row]
    assert code_rows and "suspect" not in code_rows[0]
