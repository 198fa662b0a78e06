"""Code references in a build: card rows, checks, the view, the matrix column, coverage rules,
the export, and incremental and parallel builds (the ``code_refs`` store)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOTS, techspec_warnings, warnings_of

from sphinx_techspec.code_trace.store import STORE
from sphinx_techspec.exports.techspec_json import export_schema

pytestmark = pytest.mark.slow(seconds=6)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CODE_RULE = {"type": "requirement", "link": "implements", "statuses": ["approved"], "in": "code"}


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the root outside any git work tree: the globs are expanded on disk."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-code-build", src)
    return src


def state(app):
    return app.env.get_domain("techspec").store(STORE).state


def written_docs(app) -> list[str]:
    status = ANSI.sub("", app.status.getvalue())
    return re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", status)


def read_docs(app) -> list[str]:
    status = ANSI.sub("", app.status.getvalue())
    return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status)


def output(outdir: Path) -> dict[str, str]:
    found = {path.name: path.read_text() for path in sorted(outdir.glob("*.txt"))}
    for name in ("techspec.json", "needs.json"):
        found[name] = (outdir / name).read_text()
    return found


def test_cards_show_where_items_are_implemented_and_verified(make_app, project):
    app = make_app("text", srcdir=project)
    app.build()
    assert warnings_of(app) == []
    cart = (app.outdir / "cart.txt").read_text()
    implemented = cart.split("Implemented in code:")[1].split("Verified in code:")[0]
    assert '"src/shop/cart.py:5 add_item()"' in implemented
    assert '"src/shop/checkout.js:4 showCart()"' in implemented
    assert '"checks/test_cart.py:5 test_cart_keeps_items()"' in cart.split("Verified in code:")[1]
    pay = (app.outdir / "pay.txt").read_text()
    assert '"src/shop/pay.py:5 take_payment()"' in pay and "Verified in code" not in pay
    # A component has no marker: no code rows on its card.
    assert "in code:" not in (app.outdir / "shop.txt").read_text()


def test_references_link_to_the_repository_when_a_url_is_set(make_app, project):
    url = "https://git.example/shop/blob/{commit}/{path}#L{line}"
    app = make_app("html", srcdir=project, confoverrides={"techspec_code_url": url})
    app.build()
    html = (app.outdir / "pay.html").read_text()
    # Outside git there is no commit: the URL names HEAD.
    assert 'href="https://git.example/shop/blob/HEAD/src/shop/pay.py#L5"' in html
    assert (
        '<span class="pre">src/shop/pay.py:5</span> <span class="pre">take_payment()</span>' in html
    )


def test_an_unsafe_code_url_is_left_out(make_app, project):
    url = "javascript:alert('{path}')"
    app = make_app("html", srcdir=project, confoverrides={"techspec_code_url": url})
    app.build()
    assert "javascript:" not in (app.outdir / "pay.html").read_text()
    assert techspec_warnings(app, "bad_url")


def test_wrong_markers_warn_at_the_source_file_and_line(make_app, project):
    (project / "src" / "shop" / "bad.py").write_text(
        "# @implements REQ-CARTS\ndef a():\n    pass\n\n\n"
        "# @implements TC-CART\ndef b():\n    pass\n"
    )
    app = make_app("text", srcdir=project)
    app.build()
    bad = (project / "src" / "shop" / "bad.py").resolve()
    assert techspec_warnings(app, "code_ref") == [
        f"{bad}:1: WARNING: @implements REQ-CARTS: no item has the ID REQ-CARTS "
        "(did you mean 'REQ-CART'?) [techspec.code_ref]",
        f"{bad}:6: WARNING: @implements TC-CART: TC-CART is a test case; implements points at "
        "requirement items only [techspec.code_ref]",
    ]
    # Neither counts: no row on the test case's card, none for an unknown ID.
    assert "in code" not in (app.outdir / "shop.txt").read_text()


def test_wrong_markers_fail_a_strict_build(project, tmp_path):
    (project / "src" / "shop" / "bad.py").write_text("x = 1  # @verifies NOPE-1\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "text",
            str(project),
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    bad = (project / "src" / "shop" / "bad.py").resolve()
    assert f"{bad}:1: WARNING: @verifies NOPE-1: no item has the ID NOPE-1" in done.stderr
    assert "[techspec.code_ref]" in done.stderr


def test_files_not_scanned_are_counted_in_one_info_line(make_app, project):
    (project / "src" / "blob.py").write_bytes(b"\0\1\2# @implements REQ-CART\n")
    (project / "src" / "latin1.py").write_bytes(
        "# caf\xe9 @implements REQ-CART\n".encode("latin-1")
    )
    app = make_app("text", srcdir=project)
    app.build()
    # The binary file is only counted; the source file that is not UTF-8 is a warning at it.
    (warning,) = warnings_of(app)
    assert warning.startswith(f"{project / 'src' / 'latin1.py'}:1: WARNING: src/latin1.py: ")
    assert warning.endswith("not UTF-8 text; its markers were not read [techspec.code_file]")
    status = ANSI.sub("", app.status.getvalue())
    assert "techspec_code_paths: 2 files not scanned (1 binary file, 1 not UTF-8 text)" in status


def test_the_view_lists_references_and_filters_them(make_app, project):
    (project / "views.rst").write_text(
        (project / "views.rst").read_text()
        + "\n.. code-references::\n   :ids: REQ-PAY\n\n.. code-references::\n   :links: verifies\n"
        "\n.. code-references::\n   :links: implemented\n"
    )
    app = make_app("text", srcdir=project)
    app.build()
    text = (app.outdir / "views.txt").read_text()
    assert "| Item     | File:line                | Symbol                  | Link type  |" in text
    assert '| REQ-CART | "src/shop/checkout.js:4" | showCart()              | implements |' in text
    assert text.count('"src/shop/pay.py:5"') == 3  # all, :ids: REQ-PAY, the matrix
    assert text.count('"checks/test_cart.py:5"') == 3  # all, :links: verifies, the matrix
    [warning] = techspec_warnings(app, "unknown_type")
    assert warning.startswith(
        f"{project / 'views.rst'}:17: WARNING: unknown link type 'implemented' in :links: ("
    )


def test_the_matrix_takes_code_as_a_column(make_app, project):
    app = make_app("text", srcdir=project)
    app.build()
    text = (app.outdir / "views.txt").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| ID"))
    assert [cell.strip() for cell in header.strip("|").split("|")] == [
        "ID",
        "Title",
        "Verified by",
        "Code",
        "Coverage",
    ]
    assert 'Implemented in code: "src/shop/pay.py:5' in text
    assert "* In code: 2 of 2 requirements (100 %)" in text
    assert warnings_of(app) == []


def test_a_coverage_rule_requires_code(make_app, project):
    overrides = {"techspec_coverage_rules": [CODE_RULE]}
    app = make_app("text", srcdir=project, confoverrides=overrides)
    app.build()
    assert warnings_of(app) == []
    (project / "src" / "shop" / "pay.py").write_text('"""Payments, not written yet."""\n')
    app = make_app("text", srcdir=project, confoverrides=overrides)
    app.build()
    # SHOP implements REQ-PAY too, but a rule on code counts markers only.
    assert techspec_warnings(app, "uncovered") == [
        f"{project / 'pay.rst'}:4: WARNING: REQ-PAY (Payment is taken once) has no "
        "'implements' link in code: techspec_coverage_rules requires 'Requirement (approved) "
        "implemented in code' [techspec.uncovered]"
    ]


def test_a_strict_build_fails_on_an_approved_requirement_no_code_claims(project, tmp_path):
    conf = project / "conf.py"
    conf.write_text(conf.read_text() + f"techspec_coverage_rules = [{CODE_RULE!r}]\n")
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "text", str(project)]
    assert subprocess.run([*command, str(tmp_path / "a")], capture_output=True).returncode == 0
    (project / "src" / "shop" / "pay.py").unlink()
    done = subprocess.run([*command, str(tmp_path / "b")], capture_output=True, text=True)
    assert done.returncode == 1
    assert "REQ-PAY (Payment is taken once) has no 'implements' link in code" in done.stderr


def test_an_unknown_coverage_source_is_a_config_warning(make_app, project):
    rule = {**CODE_RULE, "in": "tests"}
    app = make_app("text", srcdir=project, confoverrides={"techspec_coverage_rules": [rule]})
    app.build()
    assert [w.split("WARNING: ")[1] for w in techspec_warnings(app, "bad_config")] == [
        "techspec_coverage_rules: 'in' names 'tests', not one of: code [techspec.bad_config]"
    ]


def test_the_export_holds_code_references_and_validates(make_app, project):
    app = make_app("html", srcdir=project)
    app.build()
    data = json.loads((app.outdir / "techspec.json").read_text())
    jsonschema.Draft202012Validator(export_schema()).validate(data)
    assert data["items"]["REQ-PAY"]["code"] == [
        {
            "file": "src/shop/pay.py",
            "line": 5,
            "end_line": 6,
            "symbol": "take_payment",
            "link_type": "implements",
            "marker_line": 4,
            "commit": "",
        }
    ]
    assert [c["link_type"] for c in data["items"]["REQ-CART"]["code"]] == [
        "verifies",
        "implements",
        "implements",
    ]
    assert "code" not in data["items"]["SHOP"]
    needs = json.loads((app.outdir / "needs.json").read_text())
    pay = needs["versions"][""]["needs"]["REQ-PAY"]
    assert json.loads(pay["code"])[0]["file"] == "src/shop/pay.py"


def test_the_export_names_the_commit_in_git(make_app, project):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run([git, *args], cwd=project, check=True)
    subprocess.run(
        [git, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "code"],
        cwd=project,
        check=True,
    )
    head = subprocess.run(
        [git, "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.strip()
    app = make_app("html", srcdir=project)
    app.build()
    data = json.loads((app.outdir / "techspec.json").read_text())
    assert {c["commit"] for c in data["items"]["REQ-CART"]["code"]} == {head}


def test_a_code_edit_rewrites_exactly_the_pages_that_show_it(make_app, project, tmp_path):
    build = tmp_path / "build"
    app = make_app("text", srcdir=project, builddir=build)
    app.build()
    assert state(app).scanned == 4

    app = make_app("text", srcdir=project, builddir=build)
    app.build()
    assert state(app).scanned == 0  # nothing changed: nothing scanned again
    assert written_docs(app) == []

    pay = project / "src" / "shop" / "pay.py"
    pay.write_text(pay.read_text().replace("# @implements REQ-PAY\n", "\n# @implements REQ-PAY\n"))
    app = make_app("text", srcdir=project, builddir=build)
    app.build()
    assert state(app).scanned == 1
    assert read_docs(app) == []
    # The card of REQ-PAY, the page showing its ID (SHOP implements it) and the views; not
    # the cart. Sphinx itself writes the toctree's parent of a rewritten page (index).
    assert set(written_docs(app)) - {"index"} == {"pay", "shop", "views"}
    assert '"src/shop/pay.py:6 take_payment()"' in (build / "text" / "pay.txt").read_text()

    fresh = make_app("text", srcdir=project, builddir=tmp_path / "fresh")
    fresh.build()
    assert output(build / "text") == output(tmp_path / "fresh" / "text")


def test_a_parallel_build_equals_a_serial_one(make_app, project, tmp_path):
    serial = make_app("text", srcdir=project, builddir=tmp_path / "serial")
    serial.build()
    parallel = make_app("text", srcdir=project, builddir=tmp_path / "parallel", parallel=2)
    parallel.build()
    assert parallel.parallel == 2
    assert output(tmp_path / "parallel" / "text") == output(tmp_path / "serial" / "text")


def test_html_builds_make_a_source_page_per_file_with_references(make_app, project):
    pay = project / "src" / "shop" / "pay.py"
    pay.write_text("# <script>alert(1)</script> & more\n" + pay.read_text())
    app = make_app("html", srcdir=project)
    app.build()
    assert warnings_of(app) == []
    page = (app.outdir / "_code" / "src" / "shop" / "pay.py.html").read_text()
    # The references first, each to its line and its item, then the code with line anchors.
    assert (
        '<li><a href="#L-6"><code>src/shop/pay.py:6 take_payment()</code></a> implements '
        '<a href="../../../pay.html#REQ-PAY">REQ-PAY</a> Payment is taken once</li>'
    ) in page
    assert '<a id="L-6" name="L-6"></a>' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert '<span class="k">def</span>' in page  # highlighted as Python
    assert (app.outdir / "_code" / "src" / "shop" / "checkout.js.html").is_file()
    # A file with no reference that counts gets no page.
    assert sorted(p.name for p in (app.outdir / "_code").rglob("*.html")) == [
        "cart.py.html",
        "checkout.js.html",
        "pay.py.html",
        "test_cart.py.html",
    ]
    # Cards and the view link to the line on the source page.
    card = (app.outdir / "pay.html").read_text()
    assert 'href="_code/src/shop/pay.py.html#L-6"' in card
    view = (app.outdir / "views.html").read_text()
    assert 'href="_code/src/shop/cart.py.html#L-5"' in view


def test_a_repository_url_replaces_the_source_pages(make_app, project):
    url = "https://git.example/shop/blob/{commit}/{path}#L{line}"
    app = make_app("html", srcdir=project, confoverrides={"techspec_code_url": url})
    app.build()
    assert not (app.outdir / "_code").exists()


def test_spec_reqif_carries_the_code_references_and_stays_valid(make_app, project, tmp_path):
    from lxml import etree

    from sphinx_techspec.cli import main

    xmlschema = pytest.importorskip("xmlschema")
    reqif = pytest.importorskip("reqif")
    overrides = {"techspec_export_reqif": True}
    app = make_app("html", srcdir=project, confoverrides=overrides)
    app.build()
    assert warnings_of(app) == []
    path = app.outdir / "spec.reqif"
    xsd = Path(reqif.__file__).parent / "reqif_schema" / "reqif.xsd"
    assert [e.reason for e in xmlschema.XMLSchema(str(xsd)).iter_errors(str(path))] == []
    ns = {"r": "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"}
    tree = etree.parse(str(path))

    def code_of(item_id: str) -> list[str]:
        return tree.xpath(
            f"//r:SPEC-OBJECT[@LONG-NAME='{item_id}']//r:ATTRIBUTE-VALUE-STRING"
            "[r:DEFINITION/r:ATTRIBUTE-DEFINITION-STRING-REF[contains(., 'techspec.Code')]]"
            "/@THE-VALUE",
            namespaces=ns,
        )

    assert code_of("REQ-CART") == [
        "checks/test_cart.py:5 test_cart_keeps_items (verifies)\n"
        "src/shop/cart.py:5 add_item (implements)\n"
        "src/shop/checkout.js:4 showCart (implements)"
    ]
    assert code_of("SHOP") == []  # no marker names it: no value, no attribute for its type
    definitions = tree.xpath("//r:ATTRIBUTE-DEFINITION-STRING/@LONG-NAME", namespaces=ns)
    assert definitions.count("techspec.Code") == 1  # requirements only
    # The same sources give the same bytes.
    again = make_app("html", srcdir=project, builddir=tmp_path / "again", confoverrides=overrides)
    again.build()
    assert (again.outdir / "spec.reqif").read_bytes() == path.read_bytes()
    # An import leaves the references out: the markers in the code say them.
    out = tmp_path / "imported"
    assert main(["import-reqif", str(path), "--out", str(out)]) == 0
    imported = "".join(p.read_text() for p in out.rglob("*.rst"))
    assert "REQ-CART" in imported and "techspec.Code" not in imported
    assert "add_item" not in imported
