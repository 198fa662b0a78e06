"""Build cost: the collector policy is applied for the build only, timers are opt-in,
and ``sphinx-techspec init`` leaves alabaster's global-toctree sidebar out.

Nothing here measures time (``bench/run.py`` does); these tests check behaviour.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_techspec.performance import gc_policy
from sphinx_techspec.template.skeleton import render_conf

ROOTS = Path(__file__).parent / "roots"


def _record_thresholds(app, seen: list) -> None:
    app.connect("doctree-resolved", lambda app, doctree, docname: seen.append(gc.get_threshold()))


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_collector_is_tuned_during_the_build_and_restored_after(app) -> None:
    before, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    seen: list = []
    _record_thresholds(app, seen)
    app.build()
    assert seen and all(t == gc_policy.THRESHOLDS for t in seen)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen_before
    assert not gc_policy.POLICY.parts


@pytest.mark.sphinx(
    "html", testroot="basic", freshenv=True, confoverrides={"techspec_gc_tuning": False}
)
def test_gc_tuning_false_leaves_the_collector_alone(app) -> None:
    before = gc.get_threshold()
    seen: list = []
    _record_thresholds(app, seen)
    app.build()
    assert seen and all(t == before for t in seen)


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_collector_is_restored_when_the_build_fails(app) -> None:
    before, frozen_before = gc.get_threshold(), gc.get_freeze_count()

    def fail(app, doctree, docname) -> None:
        raise RuntimeError("boom")

    app.connect("doctree-resolved", fail)
    with pytest.raises(Exception, match="boom"):
        app.build()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen_before


THEME_LINE = 'html_theme = "furo" if importlib.util.find_spec("furo") else "alabaster"'


def alabaster_conf() -> str:
    """init's conf.py as on a machine without furo (its theme falls back to alabaster)."""
    conf = render_conf("Spec", "Me", "rst")
    assert THEME_LINE in conf
    return conf.replace(THEME_LINE, 'html_theme = "alabaster"')


def test_init_conf_leaves_out_the_navigation_sidebar_for_alabaster() -> None:
    namespace: dict = {}
    exec(alabaster_conf(), namespace)
    sidebars = namespace["html_sidebars"]["**"]
    assert "navigation.html" not in sidebars and "localtoc.html" in sidebars
    # Another theme keeps its own sidebars (the block only fits alabaster).
    other: dict = {}
    exec(render_conf("Spec", "Me", "rst").replace(THEME_LINE, 'html_theme = "furo"'), other)
    assert other["html_theme"] == "furo" and "html_sidebars" not in other


def test_init_sidebar_drops_the_global_toctree_from_pages(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(alabaster_conf())
    (source / "index.rst").write_text("Spec\n====\n\n.. toctree::\n\n   other\n")
    (source / "other.rst").write_text("Other page\n==========\n\nText.\n\nSub\n---\n\nMore.\n")
    out = tmp_path / "html"
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(source), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    page = (out / "other.html").read_text()
    sidebar = page[page.index('class="sphinxsidebar"') :]
    assert "Navigation" not in sidebar  # alabaster's navigation.html heading
    assert "Sub" in sidebar  # the page's own contents instead


def test_timing_report_names_the_extension_sections(tmp_path: Path) -> None:
    report = tmp_path / "timing.json"
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(ROOTS / "test-basic"),
         str(tmp_path / "html")],
        capture_output=True, text=True, check=False,
        env={**os.environ, "TECHSPEC_TIMING": str(report)},
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    data = json.loads(report.read_text())
    sections = data["sections"]
    assert any(name.startswith("directive sphinx_techspec.directives.") for name in sections)
    assert "event sphinx_techspec.nodes.resolve_placeholders" in sections
    # Each hook of the phases after reading (derive, checks, gates) is timed on its own.
    assert "event sphinx_techspec.views.coverage.check_coverage_gates" in sections
    assert "event sphinx_techspec.flows.links.derive_links" in sections
    assert data["extension_seconds"] >= 0 and data["docs_read"] > 0
    assert set(data) >= {"gc_seconds", "gc_collections", "foreign_seconds"}


def test_item_index_sorts_once_in_natural_order() -> None:
    from sphinx_techspec.domain import ItemIndex
    from sphinx_techspec.model import Item

    def item(item_id: str, item_type: str, **links: tuple[str, ...]) -> Item:
        return Item(item_id, item_type, "t", "page", 1, item_id, links=dict(links))

    items = {
        i.id: i
        for i in (
            item("REQ-10", "requirement"),
            item("REQ-2", "requirement"),
            item("TC-10", "test-case", verifies=("REQ-2",)),
            item("TC-9", "test-case", verifies=("REQ-2",)),
            item("COMP-1", "component", implements=("REQ-2",)),
        )
    }
    index = ItemIndex(items)
    assert [i.id for i in index.by_type["requirement"]] == ["REQ-2", "REQ-10"]
    assert index.incoming_by_link["REQ-2"] == {
        "implements": ["COMP-1"],
        "verifies": ["TC-9", "TC-10"],
    }
    assert index.incoming["REQ-2"] == [
        ("implements", "COMP-1"), ("verifies", "TC-9"), ("verifies", "TC-10")
    ]  # fmt: skip
    assert index.sorted_ids(["TC-10", "X-3", "REQ-10", "TC-9", "X-20"]) == [
        "REQ-10", "TC-9", "TC-10", "X-3", "X-20"
    ]  # fmt: skip
