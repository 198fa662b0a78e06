"""What a rebuild that changes nothing does again: the checks (their warnings must come
back, so ``-W`` keeps failing), and not the exports' serialisation (their files are
what the previous build wrote, unless someone touched them).

Nothing here measures time (``bench/run.py`` does); these tests count work and read files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, techspec_warnings

from sphinx_techspec import export_writer
from sphinx_techspec.change_control import records


@pytest.fixture
def basic_copy(tmp_path: Path) -> Path:
    srcdir = tmp_path / "basic"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    return srcdir


@pytest.fixture
def serialised(monkeypatch) -> list[str]:
    """The exports serialised during the test, in order (only their first key)."""
    calls: list[str] = []
    original = export_writer.serialise

    def counting(content, indent):
        calls.append(
            next(iter(content), "") if isinstance(content, dict) else type(content).__name__
        )
        return original(content, indent)

    monkeypatch.setattr(export_writer, "serialise", counting)
    return calls


def test_a_noop_rebuild_serialises_no_export(make_app, basic_copy, serialised) -> None:
    make_app("html", srcdir=basic_copy).build()
    assert len(serialised) == 2  # techspec.json and needs.json
    outdir = basic_copy / "_build" / "html"
    exports = {name: outdir / name for name in ("techspec.json", "needs.json")}
    before = {name: (path.read_bytes(), path.stat().st_mtime_ns) for name, path in exports.items()}

    serialised.clear()
    again = make_app("html", srcdir=basic_copy)
    again.build()
    assert serialised == []
    assert {n: (p.read_bytes(), p.stat().st_mtime_ns) for n, p in exports.items()} == before


def test_exports_follow_an_edit_after_a_noop_rebuild(make_app, basic_copy, serialised) -> None:
    make_app("html", srcdir=basic_copy).build()
    make_app("html", srcdir=basic_copy).build()
    page = basic_copy / "tests.rst"
    page.write_text(page.read_text().replace("Reset email is sent", "Reset email goes out"))
    serialised.clear()
    app = make_app("html", srcdir=basic_copy)
    app.build()
    assert len(serialised) == 2
    document = json.loads((app.outdir / "techspec.json").read_text())
    assert document["items"]["TC-001"]["title"] == "Reset email goes out"
    # And a fresh build writes the same bytes (the memory keeps nothing stale).
    fresh = make_app("html", srcdir=basic_copy, builddir=basic_copy.parent / "fresh")
    fresh.build()
    for name in ("techspec.json", "needs.json"):
        assert (app.outdir / name).read_bytes() == (fresh.outdir / name).read_bytes()


def test_an_export_changed_on_disk_is_written_again(make_app, basic_copy, serialised) -> None:
    app = make_app("html", srcdir=basic_copy)
    app.build()
    path = app.outdir / "techspec.json"
    written = path.read_bytes()
    path.write_text("{}\n")  # edited by hand, or by another tool
    (app.outdir / "needs.json").unlink()
    serialised.clear()
    again = make_app("html", srcdir=basic_copy)
    again.build()
    assert len(serialised) == 2
    assert path.read_bytes() == written
    assert (again.outdir / "needs.json").is_file()


def test_an_unreadable_export_memory_is_ignored(make_app, basic_copy, serialised) -> None:
    app = make_app("html", srcdir=basic_copy)
    app.build()
    memory = Path(app.doctreedir) / export_writer.ExportMemory.FILE
    assert memory.is_file()
    memory.write_text("[not json")
    serialised.clear()
    make_app("html", srcdir=basic_copy).build()
    assert len(serialised) == 2
    assert isinstance(json.loads(memory.read_text()), dict)


WARNINGS_PAGE = """\
Spec
====

.. requirement:: REQ-001 First

.. requirement:: REQ-001 Second definition of the same ID

.. test-case:: TC-001 Checks a requirement that is not there
   :verifies: REQ-009
"""


def test_a_noop_rebuild_warns_again_and_fails_under_w(make_app, tmp_path) -> None:
    srcdir = tmp_path / "warned"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinx_techspec"]\n')
    (srcdir / "index.rst").write_text(WARNINGS_PAGE)
    first = make_app("html", srcdir=srcdir)
    first.build()
    expected = {
        subtype: techspec_warnings(first, subtype) for subtype in ("duplicate_id", "unknown_ref")
    }
    assert all(len(lines) == 1 for lines in expected.values())

    again = make_app("html", srcdir=srcdir, warningiserror=True)
    again.build()
    assert "no targets are out of date" in again.status.getvalue()  # nothing was read
    for subtype, lines in expected.items():
        assert techspec_warnings(again, subtype) == lines
    assert again.statuscode == 1


@pytest.fixture
def fingerprinted(monkeypatch) -> list[str]:
    """The IDs change control computed a fingerprint for, in order."""
    calls: list[str] = []
    original = records.item_fingerprint

    def counting(item, ignored_fields):
        calls.append(item.id)
        return original(item, ignored_fields)

    monkeypatch.setattr(records, "item_fingerprint", counting)
    return calls


def exported_fingerprints(app) -> dict[str, str]:
    items = json.loads((app.outdir / "techspec.json").read_text())["items"]
    return {item_id: item["fingerprint"] for item_id, item in items.items()}


def test_a_rebuild_fingerprints_only_items_whose_content_changed(
    make_app, basic_copy, fingerprinted
) -> None:
    first = make_app("html", srcdir=basic_copy)
    first.build()
    ids = sorted(exported_fingerprints(first))
    assert sorted(fingerprinted) == ids
    before = exported_fingerprints(first)

    fingerprinted.clear()
    make_app("html", srcdir=basic_copy).build()  # no-op
    assert fingerprinted == []

    # Only TC-001's body text changes; its page is read again, TC-002 with it.
    page = basic_copy / "tests.rst"
    page.write_text(page.read_text().replace("holds a link.", "holds a fresh link."))
    fingerprinted.clear()
    edited = make_app("html", srcdir=basic_copy)
    edited.build()
    assert fingerprinted == ["TC-001"]
    after = exported_fingerprints(edited)
    assert after["TC-001"] != before["TC-001"]
    assert {i: f for i, f in after.items() if i != "TC-001"} == {
        i: f for i, f in before.items() if i != "TC-001"
    }
    # The same fingerprints as a build that computes every one of them afresh.
    fresh = make_app("html", srcdir=basic_copy, builddir=basic_copy.parent / "fresh")
    fresh.build()
    assert exported_fingerprints(fresh) == after
