"""The data paths: parallel reading, incremental edits, removed pages, merged domain data."""

from __future__ import annotations

import copy
import shutil

from hardening_projects import build, write_project

from sphinx_techspec.domain import StoreData
from sphinx_techspec.feature import stores

PAGES = 8


def _files(verified: str = "REQ-1") -> dict[str, str]:
    files = {
        "index.rst": ".. toctree::\n\n"
        + "".join(f"   p{n}\n" for n in range(PAGES))
        + "\n.. traceability-matrix::\n   :columns: verifies\n",
    }
    for n in range(PAGES - 1):
        files[f"p{n}.rst"] = f"Page {n}\n=======\n\n.. requirement:: REQ-{n} Requirement {n}\n"
    files["p2.rst"] += "\n.. requirement:: REQ-D First definition\n"
    files["p5.rst"] += "\n.. requirement:: REQ-D Second definition\n"
    files[f"p{PAGES - 1}.rst"] = (
        f"Tests\n=====\n\n.. test-case:: TC-1 A test\n   :verifies: {verified}\n"
    )
    return files


def _matrix_row(html: str, item_id: str) -> str:
    return html.split(f">{item_id}<")[1].split("</tr>")[0]


def test_parallel_build_then_incremental_edit(tmp_path):
    serial = build(tmp_path / "serial", _files())
    first = build(tmp_path / "parallel", _files(), parallel=2)
    assert first.app.parallel == 2 and first.app.is_parallel_allowed("read")
    assert first.typed("duplicate_id") == [
        w.replace("/serial/", "/parallel/") for w in serial.typed("duplicate_id")
    ]
    assert "p5.rst:6:" in first.typed("duplicate_id")[0]
    assert "UNCOVERED" in _matrix_row(first.page(), "REQ-2")

    write_project(tmp_path / "parallel", {"p7.rst": _files("REQ-1, REQ-2")["p7.rst"]})
    again = build(tmp_path / "parallel", parallel=2, fresh=False)
    assert "p7" in again.status  # read again, not a full build
    assert "TC-1" in _matrix_row(again.page(), "REQ-2")  # the matrix page follows
    assert again.typed("duplicate_id") == first.typed("duplicate_id")

    full = build(tmp_path / "full", _files("REQ-1, REQ-2"))
    data_again = again.app.env.get_domain("techspec").data
    data_full = full.app.env.get_domain("techspec").data
    for key in ("items", "duplicates", "documents", "references", "views"):
        assert _comparable(data_again[key]) == _comparable(data_full[key]), key


def _comparable(value):
    if isinstance(value, StoreData):
        return _comparable(value.__getstate__())
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return sorted(map(repr, value))
    if isinstance(value, set):
        return sorted(value)
    return value


def test_removing_the_page_of_the_first_duplicate(tmp_path):
    files = {
        "index.rst": ".. toctree::\n\n   a\n   b\n\nSee :spec:`REQ-D`.\n",
        "a.rst": "A\n=\n\n.. requirement:: REQ-D In a\n",
        "b.rst": "B\n=\n\n.. requirement:: REQ-D In b\n",
    }
    first = build(tmp_path, files)
    (line,) = first.typed("duplicate_id")
    assert "b.rst:4:" in line and "also defined at a.rst:4" in line
    assert 'href="a.html#REQ-D"' in first.page()

    (tmp_path / "a.rst").unlink()
    (tmp_path / "index.rst").write_text(".. toctree::\n\n   b\n\nSee :spec:`REQ-D`.\n")
    again = build(tmp_path, fresh=False)
    assert again.typed("duplicate_id") == []
    assert 'href="b.html#REQ-D"' in again.page()
    item = again.app.env.get_domain("techspec").items["REQ-D"]
    assert (item.docname, item.title) == ("b", "In b")


def test_merge_domaindata_merges_every_key(tmp_path):
    """A parallel build's domain data equals a serial build's, key by key."""
    files = _files()
    files["p3.rst"] += "\n.. item-table::\n   :types: requirement\n\nSee :spec:`REQ-4`.\n"
    serial = build(tmp_path / "serial", files)
    shutil.copytree(
        tmp_path / "serial", tmp_path / "parallel", ignore=shutil.ignore_patterns("_build")
    )
    parallel = build(tmp_path / "parallel", parallel=2)
    serial_data = serial.app.env.get_domain("techspec").data
    parallel_data = parallel.app.env.get_domain("techspec").data
    keys = set(serial_data) - {"version"}
    core = {"items", "duplicates", "documents", "references", "views", "reads", "snapshot"}
    assert keys == core | set(stores())  # every feature store is in the domain's data
    for key in sorted(keys):
        assert _comparable(parallel_data[key]) == _comparable(serial_data[key]), key
    assert parallel_data["views"]["p3"] == {"requirement"}
    assert "REQ-4" in parallel_data["references"]["p3"]
    assert len(parallel_data["duplicates"]) == 1


def test_merge_domaindata_directly(tmp_path):
    """Each key of another reader's data arrives, for its documents only."""
    built = build(tmp_path, _files())
    domain = built.app.env.get_domain("techspec")
    other = copy.deepcopy(domain.data)
    kept = {"p2", "p5"}
    for docname in ("p2", "p5"):
        domain.clear_doc(docname)
    assert "REQ-2" not in domain.items and "REQ-D" not in domain.items
    assert "p2" not in domain.store("template_pages").parts  # clear_doc purges every store
    assert "p2" in other["template_pages"].parts
    domain.merge_domaindata(kept, other)
    assert domain.items["REQ-D"].docname == "p2"
    assert [d.docname for d in domain.duplicates] == ["p5"]
    assert set(domain.data["documents"]["p2"]) == {"REQ-2", "REQ-D"}
    for key in ("documents", "references", "views", "reads"):
        for docname in kept:
            assert domain.data[key].get(docname) == other[key].get(docname), key
    for name in stores():  # and merge_domaindata merges every store's parts
        for docname in kept:
            assert domain.store(name).parts.get(docname) == other[name].parts.get(docname), name
