"""spec.reqif is reproducible: no clock time, the same bytes for the same sources (and for
``-j 2``), LAST-CHANGE is when the page last changed (SOURCE_DATE_EPOCH, else its last commit,
else its modification time), every item of techspec.json is in it
(test items made from pytest results too), and control characters never stop the build."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOTS, techspec_warnings
from lxml import etree
from test_results_build import run_suite

pytestmark = pytest.mark.slow(seconds=5)

pytest_plugins = ("pytester",)

REQIF = "{http://www.omg.org/spec/ReqIF/20110401/reqif.xsd}"


def build(make_app, srcdir: Path, **kwargs):
    app = make_app("html", srcdir=srcdir, **kwargs)
    app.build()
    return app, (app.outdir / "spec.reqif").read_bytes()


def copy_root(tmp_path: Path, name: str, root: str = "test-interchange-reqif") -> Path:
    target = tmp_path / name
    shutil.copytree(ROOTS / root, target)
    return target


def last_changes(data: bytes) -> dict[str, str]:
    """SPEC-OBJECT long name (the item ID) → LAST-CHANGE."""
    root = etree.fromstring(data)
    return {
        element.get("LONG-NAME"): element.get("LAST-CHANGE")
        for element in root.iter(f"{REQIF}SPEC-OBJECT")
        if element.get("LONG-NAME")
    }


#: The items of each page of the root, and two times a person can read.
PAGES = {
    "index.rst": {"HAZ-1"},
    "requirements.rst": {"REQ-001", "REQ-002", "REQ-003"},
    "tests.rst": {"TC-001", "TC-002"},
}
JAN_2024, MARCH_2025 = 1_704_067_200, 1_740_960_000


def page_times(data: bytes) -> dict[str, set[str]]:
    """Page → the LAST-CHANGE values of its items' objects."""
    changes = last_changes(data)
    return {page: {changes[i] for i in ids} for page, ids in PAGES.items()}


def set_mtimes(srcdir: Path, seconds: int) -> None:
    for path in srcdir.iterdir():
        os.utime(path, (seconds, seconds))


def test_two_builds_and_a_parallel_build_give_the_same_bytes(make_app, tmp_path, monkeypatch):
    """Outside git, LAST-CHANGE is the page's modification time: never the build's clock."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    sources = [copy_root(tmp_path, name) for name in "abc"]
    for srcdir in sources:
        set_mtimes(srcdir, JAN_2024)
        os.utime(srcdir / "tests.rst", (MARCH_2025, MARCH_2025))
    _app, first = build(make_app, sources[0])
    time.sleep(1.1)  # a clock in the file would differ now
    _app, second = build(make_app, sources[1])
    _app, parallel = build(make_app, sources[2], parallel=2)
    assert first == second == parallel
    assert page_times(first) == {
        "index.rst": {"2024-01-01T00:00:00Z"},
        "requirements.rst": {"2024-01-01T00:00:00Z"},
        "tests.rst": {"2025-03-03T00:00:00Z"},
    }
    # The types are conf.py's; the file was made when its latest page changed.
    assert b"<CREATION-TIME>2025-03-03T00:00:00Z</CREATION-TIME>" in first
    root = etree.fromstring(first)
    types = {e.get("LAST-CHANGE") for e in root.iter(f"{REQIF}SPEC-OBJECT-TYPE")}
    assert types == {"2024-01-01T00:00:00Z"}
    specifications = {
        e.get("LONG-NAME"): e.get("LAST-CHANGE") for e in root.iter(f"{REQIF}SPECIFICATION")
    }
    assert set(specifications.values()) == {"2024-01-01T00:00:00Z", "2025-03-03T00:00:00Z"}


def test_source_date_epoch_is_every_time(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    _app, data = build(make_app, copy_root(tmp_path, "a"))
    assert b"<CREATION-TIME>2026-01-01T00:00:00Z</CREATION-TIME>" in data
    assert set(last_changes(data).values()) == {"2026-01-01T00:00:00Z"}
    assert set(re.findall(rb'LAST-CHANGE="([^"]+)"', data)) == {b"2026-01-01T00:00:00Z"}
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    _app, other = build(make_app, copy_root(tmp_path, "b"))
    assert b"<CREATION-TIME>2026-01-01T00:00:00Z</CREATION-TIME>" not in other


def git(srcdir: Path, *args: str, date: int | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Spec Writer",
        "GIT_AUTHOR_EMAIL": "writer@example.com",
        "GIT_COMMITTER_NAME": "Spec Writer",
        "GIT_COMMITTER_EMAIL": "writer@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{date} +0000"
    subprocess.run(["git", *args], cwd=srcdir, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_in_git_last_change_is_the_last_commit_touching_the_page(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    srcdir = copy_root(tmp_path, "a")
    git(srcdir, "init", "-q")
    git(srcdir, "add", "-A")
    git(srcdir, "commit", "-q", "-m", "first", date=JAN_2024)
    _app, before = build(make_app, srcdir)
    # The commit's time, not the files' (they were copied just now).
    assert page_times(before) == {page: {"2024-01-01T00:00:00Z"} for page in PAGES}
    # A commit touching one page moves the LAST-CHANGE of that page's objects only.
    page = srcdir / "requirements.rst"
    page.write_text(page.read_text(encoding="utf-8").replace("reset link", "fresh link", 1))
    git(srcdir, "commit", "-q", "-a", "-m", "second", date=MARCH_2025)
    _app, after = build(make_app, srcdir, freshenv=True)
    assert page_times(after) == {
        "index.rst": {"2024-01-01T00:00:00Z"},
        "requirements.rst": {"2025-03-03T00:00:00Z"},
        "tests.rst": {"2024-01-01T00:00:00Z"},
    }
    assert b"<CREATION-TIME>2025-03-03T00:00:00Z</CREATION-TIME>" in after
    _app, again = build(make_app, srcdir, freshenv=True)
    assert again == after


def test_test_items_from_pytest_results_are_in_spec_reqif(make_app, tmp_path, pytester):
    srcdir = tmp_path / "results"
    shutil.copytree(ROOTS / "test-results-basic", srcdir)
    (srcdir / "reports").mkdir(exist_ok=True)
    shutil.copy(run_suite(pytester), srcdir / "reports" / "junit.xml")
    app = make_app("html", srcdir=srcdir, confoverrides={"techspec_export_reqif": True})
    app.build()
    techspec = json.loads((app.outdir / "techspec.json").read_text(encoding="utf-8"))
    json_ids = set(techspec["items"])
    assert "test_token::test_audit_entry_written" in json_ids
    root = etree.parse(str(app.outdir / "spec.reqif")).getroot()
    assert set(last_changes(etree.tostring(root))) == json_ids
    # Under its page's SPECIFICATION, and its link to REQ-3 is a relation.
    spec_text = (app.outdir / "spec.reqif").read_text(encoding="utf-8")
    automatic = "SO-test_token__test_audit_entry_written"
    assert spec_text.count(automatic) >= 3  # the object, its hierarchy entry, its relation
    xsd_check = pytest.importorskip("xmlschema")
    reqif = pytest.importorskip("reqif")
    xsd = Path(reqif.__file__).parent / "reqif_schema" / "reqif.xsd"
    schema = xsd_check.XMLSchema(str(xsd))
    assert [e.reason for e in schema.iter_errors(str(app.outdir / "spec.reqif"))] == []


def test_an_escape_character_is_replaced_with_a_warning_naming_the_item(make_app, tmp_path):
    srcdir = copy_root(tmp_path, "a")
    page = srcdir / "requirements.rst"
    text = page.read_text(encoding="utf-8")
    marked = text.replace(
        ".. requirement:: REQ-001 ", ".. requirement:: REQ-001 \x1b[31mRed\x1b[0m ", 1
    ).replace("gets a *reset link*", "gets a \x1b[1m*reset link*", 1)
    assert marked != text
    page.write_text(marked, encoding="utf-8")
    app, data = build(make_app, srcdir)
    found = techspec_warnings(app, "reqif_text")
    assert len(found) == 1
    assert (
        "requirements.rst:" in found[0]
        and "REQ-001: characters XML cannot hold (U+001B)" in found[0]
    )
    assert b"\x1b" not in data
    root = etree.fromstring(data)
    assert any(
        "\ufffd[31mRed" in (v.get("THE-VALUE") or "")
        for v in root.iter(f"{REQIF}ATTRIBUTE-VALUE-STRING")
    )
