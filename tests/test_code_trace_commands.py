"""``sphinx-techspec trace-code`` and ``impact`` on a built tiny project (and the example)."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOTS
from sphinx.testing.util import SphinxTestApp

from sphinx_techspec.cli import main

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def build(project: Path) -> Path:
    """Build the project into project/_build/html, as a user would; the techspec.json path."""
    app = SphinxTestApp("html", srcdir=project, builddir=project / "_build")
    try:
        app.build()
    finally:
        app.cleanup()
    return project / "_build" / "html" / "techspec.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The test root, built once; tests copy it before they change anything."""
    project = tmp_path_factory.mktemp("built") / "code-trace"
    shutil.copytree(ROOTS / "test-code-trace", project)
    assert build(project).is_file()
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    copy = tmp_path / "code-trace"
    shutil.copytree(built, copy)
    return copy


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


# -- trace-code -------------------------------------------------------------------------


def test_trace_code_lists_every_marker_with_its_item(built, capsys, monkeypatch):
    monkeypatch.chdir(built)
    status, out, err = run(capsys, "trace-code")
    assert status == 0, err
    assert out.splitlines() == [
        "checks/test_cart.py:5 test_cart_keeps_items  verifies REQ-CART Cart keeps items",
        "src/shop/cart.py:5 Cart  implements REQ-CART Cart keeps items",
        "src/shop/cart.py:13 pay  implements REQ-PAY Payment is taken once",
        "src/shop/checkout.js:2 checkout  implements REQ-PAY Payment is taken once",
        "4 references in 3 files (3 files scanned) name 2 items.",
    ]


def test_trace_code_json(built, capsys):
    status, out, _ = run(capsys, "trace-code", "--project", str(built), "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["items"] == ["REQ-CART", "REQ-PAY"]
    assert data["problems"] == 0
    assert data["references"][1] == {
        "path": "src/shop/cart.py",
        "line": 5,
        "end_line": 10,
        "symbol": "Cart",
        "link_type": "implements",
        "item_id": "REQ-CART",
        "marker_line": 4,
        "item": {"type": "requirement", "title": "Cart keeps items"},
        "problem": None,
    }


def test_trace_code_exits_1_on_unknown_ids_and_wrong_types(project, capsys, monkeypatch):
    (project / "src" / "shop" / "bad.py").write_text(
        "# @implements REQ-CARTT\ndef a():\n    pass\n\n\n# @implements TC-CART\ndef b():\n"
        "    pass\n"
    )
    monkeypatch.chdir(project)
    status, out, _ = run(capsys, "trace-code")
    assert status == 1
    assert (
        "src/shop/bad.py:1: error: implements REQ-CARTT: no item has the ID REQ-CARTT "
        "(did you mean 'REQ-CART'?)" in out
    )
    assert (
        "src/shop/bad.py:6: error: implements TC-CART: TC-CART is a test-case; implements "
        "points at requirement items" in out
    )
    assert out.rstrip().endswith("; 2 problems.")
    status, out, _ = run(capsys, "trace-code", "--format", "json")
    assert status == 1
    problems = [r for r in json.loads(out)["references"] if r["problem"]]
    assert [(r["item_id"], r["item"]) for r in problems] == [
        ("REQ-CARTT", None),
        ("TC-CART", {"type": "test-case", "title": "Cart round trip"}),
    ]


def test_trace_code_on_named_paths_and_hostile_files(project, capsys, monkeypatch):
    extra = project / "extra"
    extra.mkdir()
    (extra / "page.html").write_text("<!-- @implements REQ-PAY --><!-- @implements <b>x</b> -->")
    (extra / "blob.bin").write_bytes(b"\0\1\2 @implements REQ-PAY")
    (extra / "old.py").write_bytes("# @implements REQ-PAY caf\xe9\n".encode("latin-1"))
    monkeypatch.chdir(project)
    status, out, err = run(capsys, "trace-code", "extra", "src/shop/*.js")
    assert status == 0
    assert out.splitlines() == [
        "extra/page.html:1  implements REQ-PAY Payment is taken once",
        "src/shop/checkout.js:2 checkout  implements REQ-PAY Payment is taken once",
        "2 references in 2 files (2 files scanned) name 1 item. Skipped: 1 binary file, "
        "1 file not UTF-8.",
    ]
    assert "extra/old.py: warning: not UTF-8 text" in err
    assert "Traceback" not in err


def test_trace_code_without_a_build_says_so_and_exits_2(tmp_path, capsys):
    project = tmp_path / "p"
    shutil.copytree(ROOTS / "test-code-trace", project)
    status, out, err = run(capsys, "trace-code", "--project", str(project))
    assert status == 2 and out == ""
    assert "no build found" in err and "--spec" in err
    status, _, err = run(capsys, "trace-code", "--project", str(tmp_path))
    assert status == 2 and "holds no conf.py" in err


def test_trace_code_reads_a_named_techspec_json(built, tmp_path, capsys):
    spec = tmp_path / "spec.json"
    shutil.copy(built / "_build" / "html" / "techspec.json", spec)
    status, out, _ = run(
        capsys, "trace-code", "--project", str(built), "--spec", str(spec), "--format", "json"
    )
    assert status == 0 and json.loads(out)["spec"] == str(spec)
    spec.write_text("{")
    status, _, err = run(capsys, "trace-code", "--project", str(built), "--spec", str(spec))
    assert status == 2 and "not valid JSON" in err


def test_bad_settings_in_conf_py_are_errors(project, capsys):
    conf = project / "conf.py"
    conf.write_text(conf.read_text() + "techspec_code_paths = 'src'\n")
    status, _, err = run(capsys, "trace-code", "--project", str(project))
    assert status == 2 and "techspec_code_paths must be a list, not str" in err
    conf.write_text(conf.read_text() + "techspec_code_paths = []\n")
    status, _, err = run(capsys, "trace-code", "--project", str(project))
    assert status == 2 and "set techspec_code_paths in conf.py, or name PATHS" in err
    conf.write_text(conf.read_text() + "raise RuntimeError('boom')\n")
    status, _, err = run(capsys, "trace-code", "--project", str(project))
    assert status == 2 and "RuntimeError: boom" in err and "Traceback" not in err


def test_a_configured_prefix_is_used(project, capsys):
    conf = project / "conf.py"
    conf.write_text(conf.read_text() + "techspec_code_marker_prefix = 'req:'\n")
    (project / "src" / "shop" / "tagged.py").write_text("# req:implements REQ-PAY\nx = 1\n")
    status, out, _ = run(capsys, "trace-code", "--project", str(project))
    assert status == 0
    # Docstring fields (:implements:) need no prefix; comments need the configured one.
    assert out.splitlines() == [
        "src/shop/cart.py:13 pay  implements REQ-PAY Payment is taken once",
        "src/shop/tagged.py:1  implements REQ-PAY Payment is taken once",
        "2 references in 2 files (4 files scanned) name 1 item.",
    ]


# -- impact -----------------------------------------------------------------------------


def test_impact_of_a_use_case_follows_dependence_down_to_code_and_tests(built, capsys):
    status, out, err = run(capsys, "impact", "UC-BUY", "--project", str(built), "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert data["starts"] == [
        {"kind": "item", "id": "UC-BUY", "type": "use-case", "title": "Buy a book", "why": "named"}
    ]
    reached = {r.get("id") or f"{r['file']}:{r['line']}": r for r in data["reached"]}
    assert set(reached) == {
        "REQ-CART",
        "REQ-PAY",
        "SHOP",
        "TC-CART",
        "src/shop/cart.py:5",
        "src/shop/cart.py:13",
        "src/shop/checkout.js:2",
        "checks/test_cart.py:5",
    }
    assert [(s["link"], s["to"]) for s in reached["src/shop/cart.py:5"]["via"]] == [
        ("refined by", "REQ-CART"),
        ("implemented by code", "src/shop/cart.py:5 Cart"),
    ]
    assert reached["SHOP"]["via"] == [{"link": "involves", "to": "SHOP", "suspect": False}]
    assert reached["TC-CART"]["test"] and reached["TC-CART"]["result"] is None
    assert reached["checks/test_cart.py:5"]["test"]
    assert data["summary"] == {"items": 3, "code": 3, "tests": 2, "tests_not_passing": 0}


def test_impact_of_a_component_does_not_climb_to_its_requirements(built, capsys):
    status, out, _ = run(capsys, "impact", "SHOP", "--project", str(built))
    assert status == 0
    assert "Reaches 0 items, 0 code locations and 0 tests." in out


def test_impact_text_and_markdown(built, capsys):
    status, text, _ = run(capsys, "impact", "REQ-CART", "--project", str(built))
    assert status == 0
    assert text.splitlines()[:4] == [
        "Impact of REQ-CART",
        "",
        "  REQ-CART Cart keeps items (named)",
        "",
    ]
    assert "Reaches 1 item, 1 code location and 2 tests." in text
    assert "      REQ-CART → implemented by code → src/shop/cart.py:5 Cart" in text
    status, markdown, _ = run(
        capsys, "impact", "REQ-CART", "--project", str(built), "--format", "markdown"
    )
    assert status == 0
    assert markdown.startswith("## Impact of REQ-CART\n")
    assert "| TC-CART Cart round trip | REQ-CART → verified by → TC-CART |" in markdown
    assert "### Tests (2)" in markdown


def test_impact_markdown_escapes_what_code_names(project, capsys):
    odd = project / "src" / "shop" / "<b>odd_*x*.js"
    odd.write_text("// @implements REQ-PAY\nfunction pay() {}\n")
    status, markdown, _ = run(
        capsys, "impact", "REQ-PAY", "--project", str(project), "--format", "markdown"
    )
    assert status == 0
    assert r"src/shop/\<b\>odd\_\*x\*.js:2 pay" in markdown
    assert "<b>" not in markdown


def test_impact_errors_exit_2(built, capsys):
    status, _, err = run(capsys, "impact", "NOPE", "--project", str(built))
    assert status == 2 and "no item has the ID NOPE" in err
    status, _, err = run(capsys, "impact", "--project", str(built))
    assert status == 2 and "--since" in err


def test_impact_since_a_baseline_file(project, capsys):
    baseline = project / "baseline.json"
    shutil.copy(project / "_build" / "html" / "techspec.json", baseline)
    index = project / "index.rst"
    index.write_text(index.read_text().replace("exactly once", "exactly once, or refunded"))
    build(project)
    status, out, err = run(
        capsys, "impact", "--since", "baseline.json", "--project", str(project), "--format", "json"
    )
    assert status == 0, err
    data = json.loads(out)
    assert [(s["id"], s["why"]) for s in data["starts"]] == [("REQ-PAY", "changed")]
    assert sorted(r.get("id") or r["file"] for r in data["reached"]) == [
        "src/shop/cart.py",
        "src/shop/checkout.js",
    ]


@needs_git
def test_impact_since_a_git_ref_starts_from_changed_items_and_code(project, capsys):
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=project,
            check=True,
            capture_output=True,
        )

    (project / ".gitignore").write_text("_build/\n")
    shutil.copy(project / "_build" / "html" / "techspec.json", project / "techspec.json")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "v1")
    git("tag", "v1")
    index = project / "index.rst"
    index.write_text(index.read_text().replace("A reader buys a book.", "A reader buys books."))
    cart = project / "src" / "shop" / "cart.py"
    cart.write_text(cart.read_text().replace("return amount > 0", "return amount >= 1"))
    build(project)
    status, out, err = run(
        capsys, "impact", "--since", "git:v1", "--project", str(project), "--format", "json"
    )
    assert status == 0, err
    data = json.loads(out)
    assert [(s.get("id") or s["symbol"], s["why"]) for s in data["starts"]] == [
        ("UC-BUY", "changed"),
        ("pay", "code changed since v1"),
    ]
    status, _, err = run(capsys, "impact", "--since", "git:nope", "--project", str(project))
    assert status == 2 and "'nope' is not a commit, tag or branch" in err
    # A commit without techspec.json: the code changed since then starts the walk alone.
    (project / "techspec.json").unlink()
    git("commit", "-qam", "no export")
    cart.write_text(cart.read_text().replace("self.items.append(item)", "self.items += [item]"))
    status, out, err = run(
        capsys, "impact", "--since", "git:HEAD", "--project", str(project), "--format", "json"
    )
    assert status == 0
    assert "git:HEAD holds no techspec.json beside conf.py" in err
    data = json.loads(out)
    assert [(s.get("symbol"), s["why"]) for s in data["starts"]] == [
        ("Cart", "code changed since HEAD")
    ]
    # Changed code reaches the tests of what it implements: the test item and the test code.
    assert [(r.get("id") or r["file"], r["via"][0]["link"]) for r in data["reached"]] == [
        ("TC-CART", "tested with REQ-CART by"),
        ("checks/test_cart.py", "tested with REQ-CART by"),
    ]


def test_impact_shows_suspect_links_and_test_results(project, capsys):
    assert main(["review", "--all", "--project", str(project)]) == 0
    index = project / "index.rst"
    index.write_text(index.read_text().replace("what the reader put", "whatever the reader put"))
    build(project)
    capsys.readouterr()
    status, out, _ = run(capsys, "impact", "REQ-CART", "--project", str(project))
    assert status == 0
    assert "  TC-CART Cart round trip [suspect link]" in out
    assert "REQ-CART → verified by (suspect) → TC-CART" in out


def test_commands_stay_out_of_builds():
    code = (
        "import sys, sphinx_techspec.feature as f; f.all_features(); "
        "print(sorted(m for m in sys.modules if m.startswith('sphinx_techspec.code_trace')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.rpartition(".")[2] for name in ast.literal_eval(done.stdout.strip())}
    # The build scans (store, scanner); the commands' own modules load only when run.
    assert "store" in loaded and "scanner" in loaded
    commands = {"trace_command", "impact_command", "impact", "impact_output", "spec", "since"}
    assert not loaded & commands
