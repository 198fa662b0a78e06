"""Incremental builds rewrite views and checklists that show other pages' data."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOTS


def touch_later(path: Path, text: str) -> None:
    """Rewrite a source so Sphinx sees it as changed even within one clock second."""
    path.write_text(text)
    later = time.time() + 5
    os.utime(path, (later, later))


@pytest.fixture
def template_src(tmp_path) -> Path:
    """The MyST template root plus a sibling page with a checklist.

    The index is the toctree parent of every page, so Sphinx rewrites it anyway
    when a page changes; ``status`` is rewritten only if we say so.
    """
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-template-myst", src)
    (src / "status.md").write_text("# Status\n\n```{spec-completeness}\n```\n")
    index = src / "index.md"
    text = index.read_text()
    assert "notes\n```" in text
    index.write_text(text.replace("notes\n```", "notes\nstatus\n```"))
    return src


def rebuild(make_app, src: Path, build: Path):
    app = make_app("text", srcdir=src, builddir=build)
    app.build()
    assert "0 added, 1 changed, 0 removed" in app.status.getvalue()  # incremental
    return app


def test_deleting_a_guide_updates_the_checklist_on_another_page(make_app, template_src, tmp_path):
    build = tmp_path / "build"
    app = make_app("text", srcdir=template_src, builddir=build)
    app.build()
    assert "| 9. Security                   | ✎ to write" in (app.outdir / "status.txt").read_text()

    security = template_src / "security.md"
    text = security.read_text()
    guide = text[text.index("```{spec-guide}") : text.index("```{risk}")]
    touch_later(security, text.replace(guide, ""))
    app2 = rebuild(make_app, template_src, build)
    assert "| 9. Security                   | ✓ done" in (app2.outdir / "status.txt").read_text()


def test_a_new_heading_updates_the_checklist(make_app, template_src, tmp_path):
    build = tmp_path / "build"
    app = make_app("text", srcdir=template_src, builddir=build)
    app.build()
    assert "| 14. Conclusion                | ✗ missing" in (app.outdir / "status.txt").read_text()

    security = template_src / "security.md"
    touch_later(security, security.read_text() + "\n## Conclusion\n\nAll is well.\n")
    app2 = rebuild(make_app, template_src, build)
    assert "| 14. Conclusion                | ✓ done" in (app2.outdir / "status.txt").read_text()


def test_a_new_risk_on_another_page_appears_in_the_register(make_app, template_src, tmp_path):
    build = tmp_path / "build"
    app = make_app("text", srcdir=template_src, builddir=build)
    app.build()
    assert "1 risk, 0 unmitigated." in (app.outdir / "security.txt").read_text()

    index = template_src / "index.md"
    touch_later(
        index,
        index.read_text() + "\n```{risk} RISK-9 Late risk\n:likelihood: high\n:impact: high\n```\n",
    )
    app2 = rebuild(make_app, template_src, build)
    security = (app2.outdir / "security.txt").read_text()
    assert "2 risks, 1 unmitigated." in security
    assert "RISK-9 Late risk" in security
