"""Change control in MyST, in a parallel build, and in the text and LaTeX builders."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOTS, techspec_warnings

from sphinx_techspec.cli import main


@pytest.fixture
def myst_project(tmp_path):
    srcdir = tmp_path / "myst"
    shutil.copytree(ROOTS / "test-change-myst", srcdir)
    return srcdir


def test_myst_views_show_changes_and_suspects(make_app, myst_project):
    app = make_app("html", srcdir=myst_project)
    app.build()
    shutil.copy(app.outdir / "techspec.json", myst_project / "old.json")
    assert main(["review", "--all", "--project", str(myst_project)]) == 0
    page = myst_project / "index.md"
    page.write_text(page.read_text().replace("by email", "by text message"))
    with (myst_project / "conf.py").open("a") as stream:
        stream.write('techspec_baseline = "old.json"\n')
    app = make_app("text", srcdir=myst_project, freshenv=True)
    app.build()
    text = (app.outdir / "index.txt").read_text()
    assert "0 added, 0 removed, 1 changed." in text.replace("\n", " ")
    assert "[-email.-] {+text message.+}" in text
    assert "TC-001 | verifies | REQ-001 suspect" in text
    assert len(techspec_warnings(app, "suspect")) == 1
    assert len(techspec_warnings(app, "changed_approved")) == 1


def test_parallel_build_rewrites_the_view_page_when_the_lock_changes(make_app, tmp_path):
    srcdir = tmp_path / "change"
    shutil.copytree(ROOTS / "test-change", srcdir)
    assert main(["review", "--all", "--project", str(srcdir)]) == 0
    requirements = srcdir / "requirements.rst"
    requirements.write_text(requirements.read_text().replace("by email", "by SMS"))
    app = make_app("html", srcdir=srcdir, parallel=2)
    app.build()
    assert "2 suspect links" in (app.outdir / "changes.html").read_text()
    # Reviewed from the build's own export: the lock changes, no page source does.
    exported = app.outdir / "techspec.json"
    assert main(["review", "--all", "--project", str(srcdir), "--from", str(exported)]) == 0
    app = make_app("html", srcdir=srcdir, parallel=2)
    app.build()
    assert "No suspect links" in (app.outdir / "changes.html").read_text()
    assert ">suspect<" not in (app.outdir / "tests.html").read_text()


@pytest.mark.parametrize("builder", ["latex", "text", "man"])
def test_other_builders_write_the_changes_page(make_app, tmp_path, builder):
    srcdir = tmp_path / "change"
    shutil.copytree(ROOTS / "test-change", srcdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    baseline = json.loads((app.outdir / "techspec.json").read_text())
    baseline["items"]["REQ-001"]["text"] = "A user gets a reset link by email."
    (srcdir / "old.json").write_text(json.dumps(baseline))
    app = make_app(
        builder, srcdir=srcdir, freshenv=True, confoverrides={"techspec_baseline": "old.json"}
    )
    app.build()
    output = "\n".join(
        path.read_text(errors="replace")
        for path in app.outdir.rglob("*")
        if path.suffix in (".tex", ".txt", ".1")
    )
    markers = {
        "latex": r"\DUrole{techspec-diff-marker}{\{+}who forgot the password",
        "text": "{+who forgot the password+}",
        "man": "{+who forgot the password+}",
    }
    assert markers[builder] in output.replace("\n", " ")
    assert "Changed (1)" in output
