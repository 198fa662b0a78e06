"""Fingerprints: stable under moving and rewrapping, sensitive to a word, a field, a link."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOTS

from sphinx_techspec.change_control.records import fingerprint


@pytest.fixture
def project(tmp_path):
    srcdir = tmp_path / "change"
    shutil.copytree(ROOTS / "test-change", srcdir)
    return srcdir


def fingerprints(make_app, srcdir, name: str) -> dict[str, str]:
    """Build a copy of the project as it is now; the fingerprints of its techspec.json."""
    copy = srcdir.parent / name
    shutil.copytree(srcdir, copy)
    app = make_app("text", srcdir=copy)
    app.build()
    items = json.loads((app.outdir / "techspec.json").read_text())["items"]
    return {item_id: item["fingerprint"] for item_id, item in items.items()}


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_fingerprints_are_in_techspec_json_with_the_text(make_app, project):
    app = make_app("text", srcdir=project)
    app.build()
    item = json.loads((app.outdir / "techspec.json").read_text())["items"]["REQ-001"]
    assert len(item["fingerprint"]) == 16
    # The body as written, whitespace-normalised: the two source lines are one line.
    assert item["text"] == (
        "A user who forgot the password gets a reset link by email. The link works once."
    )


def test_moving_an_item_to_another_page_keeps_its_fingerprint(make_app, project):
    before = fingerprints(make_app, project, "before")
    requirements = project / "requirements.rst"
    text = requirements.read_text()
    start = text.index(".. requirement:: REQ-002")
    requirements.write_text(text[:start])
    # Moved to the end of another page, at another line.
    tests = project / "tests.rst"
    tests.write_text(tests.read_text() + "\n\n" + text[start:])
    after = fingerprints(make_app, project, "after")
    assert after == before


def test_rewrapping_a_paragraph_keeps_the_fingerprint(make_app, project):
    before = fingerprints(make_app, project, "before")
    edit(
        project / "requirements.rst",
        "   A user who forgot the password gets a reset link by email.\n   The link works once.",
        "   A user who forgot the password gets\n   a reset link   by email. The link\n"
        "   works once.",
    )
    assert fingerprints(make_app, project, "after") == before


def test_a_changed_word_changes_the_fingerprint_of_that_item_only(make_app, project):
    before = fingerprints(make_app, project, "before")
    edit(project / "requirements.rst", "reset link by email", "reset link by SMS")
    after = fingerprints(make_app, project, "after")
    assert after["REQ-001"] != before["REQ-001"]
    assert {k: v for k, v in after.items() if k != "REQ-001"} == {
        k: v for k, v in before.items() if k != "REQ-001"
    }


def test_a_new_link_changes_the_fingerprint_of_its_source(make_app, project):
    before = fingerprints(make_app, project, "before")
    edit(project / "tests.rst", ":verifies: REQ-001\n", ":verifies: REQ-001, REQ-002\n")
    after = fingerprints(make_app, project, "after")
    assert after["TC-001"] != before["TC-001"]
    assert after["REQ-002"] == before["REQ-002"]  # a link belongs to its source


def test_what_goes_into_a_fingerprint():
    base = fingerprint("Title", "Some text.", {"kind": "functional"}, {"verifies": ["A", "B"]})
    assert (
        fingerprint(" Title ", "Some\n  text.", {"kind": "functional"}, {"verifies": ["B", "A"]})
        == base
    )
    assert (
        fingerprint("Title", "Some text!", {"kind": "functional"}, {"verifies": ["A", "B"]}) != base
    )
    assert (
        fingerprint("Title", "Some text.", {"kind": "security"}, {"verifies": ["A", "B"]}) != base
    )
    assert fingerprint("Title", "Some text.", {"kind": "functional"}, {"verifies": ["A"]}) != base
    assert (
        fingerprint("Other", "Some text.", {"kind": "functional"}, {"verifies": ["A", "B"]}) != base
    )
    # The status is the outcome of a review, not content (techspec_fingerprint_ignore).
    with_status = {"kind": "functional", "status": "approved"}
    assert fingerprint("Title", "Some text.", with_status, {"verifies": ["A", "B"]}) == base
    assert fingerprint("Title", "Some text.", with_status, {"verifies": ["A", "B"]}, ()) != base
