"""spec.reqif is reproducible: no clock time, the same bytes for the same sources (and for
``-j 2``), LAST-CHANGE moves only with an item's content, every item of techspec.json is in it
(test items made from pytest results too), and control characters never stop the build."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOTS, techspec_warnings
from lxml import etree
from test_results_build import run_suite

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


def test_two_builds_and_a_parallel_build_give_the_same_bytes(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _app, first = build(make_app, copy_root(tmp_path, "a"))
    time.sleep(1.1)  # a clock in the file would differ now
    _app, second = build(make_app, copy_root(tmp_path, "b"))
    _app, parallel = build(make_app, copy_root(tmp_path, "c"), parallel=2)
    assert first == second == parallel
    text = first.decode("utf-8")
    this_year = time.strftime("%Y")
    # Nothing from today: the stamps come from the content.
    assert f'"{this_year}-' not in text and f">{this_year}-" not in text
    assert all(
        re.fullmatch(r"20[01]\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", v) for v in last_changes(first).values()
    )


def test_source_date_epoch_is_the_creation_time(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    _app, data = build(make_app, copy_root(tmp_path, "a"))
    assert b"<CREATION-TIME>2026-01-01T00:00:00Z</CREATION-TIME>" in data
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    _app, other = build(make_app, copy_root(tmp_path, "b"))
    assert b"<CREATION-TIME>2026" not in other
    assert last_changes(data) == last_changes(other)


def test_last_change_moves_only_with_the_item_content(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    srcdir = copy_root(tmp_path, "a")
    _app, before = build(make_app, srcdir)
    page = srcdir / "requirements.rst"
    text = page.read_text(encoding="utf-8")
    # Rewrapping and moving nothing but whitespace keeps every fingerprint.
    page.write_text(text.replace("\n\n", "\n\n\n"), encoding="utf-8")
    _app, rewrapped = build(make_app, srcdir, freshenv=True)
    assert last_changes(rewrapped) == last_changes(before)
    # A new word in REQ-001 changes its LAST-CHANGE, and only its own.
    changed = text.replace("gets a *reset link*", "gets a *fresh reset link*", 1)
    assert changed != text
    page.write_text(changed, encoding="utf-8")
    _app, after = build(make_app, srcdir, freshenv=True)
    old, new = last_changes(before), last_changes(after)
    moved = sorted(k for k in old if old[k] != new.get(k))
    assert len(moved) == 1, moved
    assert new[moved[0]] != old[moved[0]]


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
