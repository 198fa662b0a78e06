"""Real projects' needs.json (tests/corpus/needs/SOURCES.md): each one migrates into a
project that builds with ``-W -n`` as written, every need an item, every link either
resolved or reported as pointing outside the file; and ``needs-import`` brings every need
into a project that only enables the extension.

The committed files of tests/corpus/needs/ always run. The larger files built from the
projects' sources are not in git (see SOURCES.md): when present, the ``*.json`` of the folder
named by ``TECHSPEC_NEEDS_CORPUS`` and of ``shared/corpus/needs/`` beside the project root run
too. One build per file and per command."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import built_app, warnings_of

from sphinx_techspec.cli import main
from sphinx_techspec.domain import DOMAIN
from sphinx_techspec.interchange.migrate import REPORT
from sphinx_techspec.interchange.needs import read_needs, title_from_content, version_needs

COMMITTED = Path(__file__).parent / "corpus" / "needs"
BUILT = [
    Path(folder)
    for folder in (
        os.environ.get("TECHSPEC_NEEDS_CORPUS", ""),
        Path(__file__).resolve().parents[2] / "shared" / "corpus" / "needs",
    )
    if str(folder)
]


def corpus_files() -> list[Path]:
    """Every needs.json to run: the committed ones, then the built ones (first name wins)."""
    found: dict[str, Path] = {}
    for folder in [COMMITTED, *BUILT]:
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                found.setdefault(path.name, path)
    return list(found.values())


FILES = corpus_files()


def test_a_committed_needs_json_is_in_the_corpus():
    assert sorted(COMMITTED.glob("*.json")), "tests/corpus/needs holds no committed needs.json"


def raw_needs(path: Path) -> dict:
    return version_needs(json.loads(path.read_text(encoding="utf-8")))[0]


@pytest.fixture(scope="module", params=FILES, ids=[f.stem for f in FILES])
def migrated(request, tmp_path_factory):
    source: Path = request.param
    out = tmp_path_factory.mktemp(source.stem) / "out"
    assert main(["migrate-needs", str(source), "--out", str(out)]) == 0
    app = built_app(out)
    return source, out, app


def test_every_need_is_an_item_and_the_build_is_clean(migrated):
    source, _, app = migrated
    assert warnings_of(app) == []
    assert set(app.env.get_domain(DOMAIN).items) == {
        need.id for need in read_needs(json.loads(source.read_text(encoding="utf-8")))
    }
    assert len(app.env.get_domain(DOMAIN).items) == len(raw_needs(source))


def test_every_link_resolves_or_is_reported_outside(migrated):
    source, out, app = migrated
    report = (out / REPORT).read_text(encoding="utf-8")
    match = re.search(r"Links: (\d+) of (\d+) resolve in the file; (\d+) from", report)
    assert match, report[:300]
    resolved, total, outside = map(int, match.groups())
    assert resolved + outside == total
    domain = app.env.get_domain(DOMAIN)
    built = sum(len(targets) for item in domain.items.values() for targets in item.links.values())
    assert built == resolved  # every link written is a link in the build
    needs = read_needs(json.loads(source.read_text(encoding="utf-8")))
    ids = {need.id for need in needs}
    inside = sum(t in ids for need in needs for targets in need.links.values() for t in targets)
    assert resolved >= 0.98 * inside
    # Outside targets are listed once each, with their count of links.
    listed = re.findall(r"^  '.*': (\d+)$", report, re.M)
    assert sum(map(int, listed)) == outside
    conditions = sum(len(need.conditions) for need in needs)
    assert f"Link conditions: {conditions} " in report
    if conditions:
        with_field = [i for i in domain.items.values() if "link-conditions" in i.fields]
        assert sum(i.fields["link-conditions"].count("[") for i in with_field) >= conditions


def test_needs_import_brings_every_need_into_a_bare_project(migrated, tmp_path):
    source, _, _ = migrated
    src = tmp_path / "bare"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_techspec"]\n', encoding="utf-8")
    (src / "needs.json").write_bytes(source.read_bytes())
    (src / "index.rst").write_text("Imported\n========\n\n.. needs-import:: needs.json\n")
    app = built_app(src, "dummy")
    assert len(app.env.get_domain(DOMAIN).items) == len(raw_needs(source))
    warnings = warnings_of(app)
    # Only the import's own summary lines: what changed, counted, never per link.
    assert all(w.endswith("[techspec.needs_import]") for w in warnings), warnings[:3]
    assert len(warnings) <= 3


def test_needs_without_a_title_get_one_from_their_content(migrated):
    """sphinx-needs allows a need without a title (the Rust guidelines' examples and
    rationales have none); an item needs one: the first sentence of its prose, else its
    type's name, and the report says so for each."""
    source, out, app = migrated
    report = (out / REPORT).read_text(encoding="utf-8")
    raw = raw_needs(source)
    untitled = {key: need for key, need in raw.items() if not str(need.get("title") or "").strip()}
    items = app.env.get_domain(DOMAIN).items
    for key, need in untitled.items():
        expected = title_from_content(need.get("content") or "") or need.get("type_name")
        assert items[key].title == expected, key
        assert f"{key}: it had no title" in report


def test_title_from_content_takes_the_first_prose_sentence():
    assert title_from_content("Explanation of code example.\n\n.. code-block:: rust") == (
        "Explanation of code example."
    )
    assert title_from_content(" .. code-block:: rust\n\n   fn f() {}") == ""
    long = "word " * 40 + "end."
    cut = title_from_content(long)
    assert cut.endswith("\u2026") and len(cut) <= 80 and long.startswith(cut[:-1])
