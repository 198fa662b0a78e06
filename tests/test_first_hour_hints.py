"""Common first-hour mistakes: each a located warning with a hint in the page's syntax."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import techspec_warnings, warnings_of

from sphinx_techspec.suggestions import closest, did_you_mean

pytestmark = pytest.mark.sphinx("html", testroot="first-hour", freshenv=True)


@pytest.fixture
def built(app):
    app.build()
    return app


def one(app, subtype: str, text: str) -> str:
    (line,) = [line for line in techspec_warnings(app, subtype) if text in line]
    return line


def test_one_helper_suggests_case_and_spelling():
    assert closest("req-1", ["REQ-1", "REQ-2"]) == "REQ-1"
    assert closest("priorty", ["priority", "status"]) == "priority"
    assert closest("zzz", ["priority"]) is None
    assert did_you_mean("implemnts", ["implements"], show=lambda n: f":{n}:") == (
        " (did you mean :implements:?)"
    )


def test_misspelt_option_and_link_type_are_suggested(built):
    assert "index.rst:11:" in one(built, "bad_option", "unknown option :priorty:")
    assert "(did you mean :priority:?)" in one(built, "bad_option", ":priorty:")
    assert "index.rst:14:" in one(built, "bad_option", ":implemnts:")
    assert "(did you mean :implements:?)" in one(built, "bad_option", ":implemnts:")


def test_unknown_ids_in_links_and_roles_are_suggested(built):
    link = one(built, "unknown_ref", "TC-001: :verifies:")
    assert "index.rst:17:" in link and "(did you mean 'REQ-F-001'?)" in link
    role = one(built, "unknown_ref", "reference to unknown ID 'REQ-F-01'")
    assert "index.rst:21:" in role and "(did you mean 'REQ-F-001'?)" in role
    markdown = one(built, "unknown_ref", "'REQ-F-0001'")
    assert "page.md:10:" in markdown and "(did you mean 'REQ-F-001'?)" in markdown


def test_unknown_item_type_is_suggested(built):
    line = one(built, "unknown_type", "'requirment'")
    assert "index.rst:24:" in line and "(did you mean 'requirement'?)" in line


def test_wrong_role_names_the_right_role_in_the_page_syntax(built):
    rst = one(built, "wrong_link_type", "role :comp:")
    assert "index.rst:21:" in rst
    assert "write :req:`REQ-F-001` (or :spec:`REQ-F-001`, for any item)" in rst
    markdown = one(built, "wrong_link_type", "role {test}")
    assert "page.md:10:" in markdown
    assert "write {req}`REQ-F-001` (or {spec}`REQ-F-001`, for any item)" in markdown


def test_missing_id_hint_is_in_the_page_syntax(built):
    assert "write '.. requirement:: ID Title'" in one(built, "bad_id", "index.rst:19:")
    assert "write '```{test-case} ID Title'" in one(built, "bad_id", "page.md:7:")


def test_invalid_json_example_names_the_item(built):
    line = one(built, "bad_json", "not valid JSON")
    assert "page.md:15:" in line and "GET-users-id: example 'response 200'" in line


def test_unquoted_myst_value_says_how_to_quote_it(built):
    line = one(built, "bad_option", ":version:")
    assert "page.md:4:" in line
    assert "DEP-1: the value of :version: starts with '>'" in line
    assert "quote it: :version: '>=15'" in line


def test_duplicate_id_names_both_places_and_the_one_links_follow(built):
    line = one(built, "duplicate_id", "REQ-DUP")
    assert "b_old.rst:6:" in line
    assert "also defined at a_new.rst:4, which links resolve to" in line
    html = (built.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="a_new.html#REQ-DUP"' in html


def _link_and_warning(app) -> tuple[bool, list[str]]:
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    lines = [line.split("WARNING: ")[1] for line in techspec_warnings(app, "duplicate_id")]
    return 'href="a_new.html#REQ-DUP"' in html, lines


def test_duplicate_rule_is_the_same_in_parallel_and_incremental_builds(make_app, app_params):
    args, kwargs = app_params
    serial = make_app(*args, **kwargs)
    serial.build()
    expected = _link_and_warning(serial)
    assert expected[0] and len(expected[1]) == 1

    parallel = make_app(*args, **{**kwargs, "parallel": 2, "freshenv": True})
    parallel.build()
    assert _link_and_warning(parallel) == expected

    # Incremental: the older page is edited (re-read after the newer one), then the newer.
    srcdir = Path(kwargs["srcdir"])
    for page in ("b_old.rst", "a_new.rst"):
        time.sleep(0.01)
        path = srcdir / page
        path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
        again = make_app(*args, **{**kwargs, "freshenv": False})
        again.build()
        assert _link_and_warning(again)[0], page
        rewarned = [w for w in warnings_of(again) if "duplicate_id" in w]
        assert rewarned and all("also defined at a_new.rst:4" in w for w in rewarned)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx_techspec.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_misspelt_command_is_suggested():
    result = run_cli("reveiw")
    assert result.returncode == 2
    assert "unknown command 'reveiw' (did you mean 'review'?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_version():
    from sphinx_techspec import __version__

    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sphinx-techspec {__version__}"


def test_misspelt_option_of_a_command_is_suggested():
    result = run_cli("review", "--targt", "REQ-1")
    assert result.returncode == 2
    assert "unrecognized arguments: --targt (did you mean --target?)" in result.stderr
    assert "Traceback" not in result.stderr
