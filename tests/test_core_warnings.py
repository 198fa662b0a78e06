"""Every warning subtype of the core: located, typed, and the build goes on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of


@pytest.fixture
def built(app):
    app.build()
    return app


pytestmark = pytest.mark.sphinx("html", testroot="warnings", freshenv=True)


def only(app, subtype: str) -> list[str]:
    return techspec_warnings(app, subtype)


def test_duplicate_id_names_both_locations(built):
    lines = only(built, "duplicate_id")
    assert len(lines) == 2
    assert lines[0].endswith(
        "index.rst:14: WARNING: duplicate ID 'REQ-1': also defined at index.rst:8, "
        "which links resolve to (the first definition by page name, then line); "
        "give one of them another ID [techspec.duplicate_id]"
    )
    assert "other.rst:4: WARNING: duplicate ID 'REQ-A': also defined at index.rst:26" in lines[1]


def test_unknown_ref_from_link_and_role(built):
    lines = only(built, "unknown_ref")
    assert any("index.rst:21:" in line and "'REQ-404'" in line for line in lines)
    assert any("index.rst:36:" in line and "'MISSING-9'" in line for line in lines)
    assert len(lines) == 2


def test_wrong_link_type_target_source_and_role(built):
    lines = only(built, "wrong_link_type")
    expected = [
        ("index.rst:21:", "COMP-1 is a component"),
        ("index.rst:36:", "role :test: refers to REQ-1"),
    ]
    for where, what in expected:
        assert any(where in line and what in line for line in lines), what
    # A link option on a type that cannot be its source is not offered there at all:
    # it is reported at the option's line, naming the types that may have it.
    misplaced = [line for line in only(built, "bad_option") if ":verifies:" in line]
    assert len(misplaced) == 1
    assert "index.rst:24:" in misplaced[0]
    assert "a component cannot have :verifies: (only test-case can)" in misplaced[0]


def test_bad_value_for_status_priority_kind(built):
    lines = only(built, "bad_value")
    assert [line.split("WARNING: ")[1].split(" is not")[0] for line in lines] == [
        "status 'bogus'",
        "priority 'urgent'",
        "kind 'magic'",
    ]
    # Each at its option's line, not the directive's (8).
    assert [line.split(": WARNING")[0].rsplit(":", 1)[1] for line in lines] == ["9", "10", "11"]


def test_bad_id_and_missing_id(built):
    lines = only(built, "bad_id")
    assert any("index.rst:16:" in line and "'bad/id' does not match" in line for line in lines)
    assert any("index.rst:32:" in line and "requirement has no ID" in line for line in lines)


def test_missing_title(built):
    (line,) = only(built, "missing_title")
    assert "index.rst:18:" in line and "REQ-NOTITLE has no title" in line


def test_bad_option(built):
    (line,) = [line for line in only(built, "bad_option") if ":colour:" in line]
    assert "index.rst:12:" in line and "unknown option :colour:" in line


def test_link_cycle(built):
    (line,) = only(built, "link_cycle")
    assert "index.rst:27:" in line and "REQ-A -> REQ-B -> REQ-A" in line


def test_every_warning_is_typed_and_located(built):
    for line in warnings_of(built):
        assert "[techspec." in line, line
        assert ".rst:" in line, line


def test_nothing_is_lost(built):
    html = (built.outdir / "index.html").read_text()
    # Items with problems still render, the body of an ID-less item too.
    for text in ("REQ-NOTITLE", "bad/id", "No ID at all.", "Verifies a component", "REQ-404"):
        assert text in html


@pytest.mark.sphinx(
    "html",
    testroot="warnings",
    freshenv=True,
    confoverrides={"suppress_warnings": ["techspec.unknown_ref", "techspec.bad_value"]},
)
def test_suppress_warnings_by_subtype(built):
    assert only(built, "unknown_ref") == []
    assert only(built, "bad_value") == []
    assert only(built, "duplicate_id")


@pytest.mark.sphinx("html", testroot="bad-config", freshenv=True)
def test_bad_config(built):
    lines = only(built, "bad_config")
    text = "\n".join(lines)
    assert "conf.py" in text
    assert "techspec_link_types[0]: 'reverse' is a required property" in text
    assert "names unknown item types: no-such-type" in text
    assert "techspec_link_types[2] must be a dict, not str" in text
    assert "techspec_item_types[0]['fields'][0]['kind']: 'colour' is not one of" in text
    assert "techspec_id_pattern: '[unclosed' is not a valid regular expression" in text
    assert "REQ-1" in (built.outdir / "index.html").read_text()


@pytest.mark.sphinx("html", testroot="custom-types", freshenv=True)
def test_custom_item_and_link_types(built):
    domain = built.env.get_domain("techspec")
    assert domain.get("HAZ-1").fields == {"status": "open", "severity": "high"}
    html = (built.outdir / "index.html").read_text()
    assert "Mitigated by" in html and "Mitigates" in html
    lines = only(built, "bad_value")
    assert len(lines) == 2
    assert "severity 'extreme'" in lines[1] or "severity 'extreme'" in lines[0]
    assert any("status 'approved' is not one of: open, closed" in line for line in lines)
    assert 'href="#HAZ-1"' in html


def test_sphinx_build_W_fails_naming_file_line_and_id(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    tests = src / "tests.rst"
    tests.write_text(tests.read_text().replace(":verifies: REQ-001", ":verifies: REQ-999"))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "tests.rst:5: WARNING: TC-001: :verifies: names unknown ID 'REQ-999'" in result.stderr
    assert "[techspec.unknown_ref]" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_declared_subtype_is_in_the_warnings_page():
    """A feature that adds a subtype documents it (docs/warnings.md lists them all)."""
    from sphinx_techspec.feature import warning_subtypes

    page = (Path(__file__).parent.parent / "docs" / "warnings.md").read_text()
    missing = [name for name in warning_subtypes() if f"| `{name}` |" not in page]
    assert not missing, missing
