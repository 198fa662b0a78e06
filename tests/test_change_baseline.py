"""Baselines: the changes-since view, the diff CLI, and git: baselines."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import ROOTS, techspec_warnings

from sphinx_techspec.cli import main


@pytest.fixture
def project(tmp_path):
    srcdir = tmp_path / "change"
    shutil.copytree(ROOTS / "test-change", srcdir)
    return srcdir


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def make_baseline(make_app, project, name: str = "baseline/techspec-1.0.json"):
    """Build the project as it is now and keep its techspec.json as the baseline."""
    app = make_app("html", srcdir=project, freshenv=True)
    app.build()
    target = project / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(app.outdir / "techspec.json", target)
    return target


def change_the_spec(project) -> None:
    """A changed word in an approved requirement, a status, a new test, a removed link."""
    edit(project / "requirements.rst", "reset link by email", "reset link by SMS")
    edit(project / "requirements.rst", ":status: draft", ":status: proposed")
    edit(project / "tests.rst", ":verifies: REQ-002, REQ-001", ":verifies: REQ-002")
    with (project / "tests.rst").open("a") as stream:
        stream.write(
            "\n.. test-case:: TC-003 Link works once\n   :verifies: REQ-001\n\n"
            "   Follow the link twice.\n"
        )


def set_baseline(project, setting: str) -> None:
    with (project / "conf.py").open("a") as stream:
        stream.write(f"\ntechspec_baseline = {setting!r}\n")


def test_changes_view_lists_added_removed_and_changed(make_app, project):
    make_baseline(make_app, project)
    set_baseline(project, "baseline/techspec-1.0.json")
    change_the_spec(project)
    app = make_app("text", srcdir=project, freshenv=True)
    app.build()
    text = (app.outdir / "changes.txt").read_text()
    assert (
        "Compared with the baseline baseline/techspec-1.0.json: 1 added, 0\nremoved, 3 changed."
        in text
    )
    assert "Added (1)" in text and "TC-003 Link works once (test case)" in text
    assert "Changed (3)" in text
    # Word-level diff with visible markers for text and PDF.
    assert "reset link by\n[-email.-] {+SMS.+} The link works once." in text
    # Field by field.
    assert "| Status | draft    | proposed |" in text
    assert "**Links removed:** verifies REQ-001" in text
    # An approved item that changed: an info line in the view, a warning at the item.
    assert "REQ-001 is approved and changed since the baseline: it needs re-" in text
    assert techspec_warnings(app, "changed_approved") == [
        f"{project / 'requirements.rst'}:4: WARNING: REQ-001 is approved but changed since the "
        f"baseline (baseline/techspec-1.0.json); it needs re-approval [techspec.changed_approved]"
    ]


def test_changes_view_html_marks_words_with_classes(make_app, project):
    make_baseline(make_app, project)
    set_baseline(project, "baseline/techspec-1.0.json")
    change_the_spec(project)
    app = make_app("html", srcdir=project, freshenv=True)
    app.build()
    html = (app.outdir / "changes.html").read_text()
    assert (
        '<span class="techspec-diff-delete"><span class="techspec-diff-marker">[-</span>email.'
        '<span class="techspec-diff-marker">-]</span></span>'
    ) in html
    assert '<span class="techspec-diff-insert">' in html and "SMS." in html
    assert "techspec-changed-approved" in html
    # The removed item of a baseline shows without a link; added ones link to their card.
    assert 'href="tests.html#TC-003"' in html


def test_changes_view_filters(make_app, project):
    make_baseline(make_app, project)
    set_baseline(project, "baseline/techspec-1.0.json")
    change_the_spec(project)
    edit(
        project / "changes.rst", ".. changes-since::", ".. changes-since::\n   :types: requirement"
    )
    app = make_app("text", srcdir=project, freshenv=True)
    app.build()
    text = (app.outdir / "changes.txt").read_text()
    assert "0 added, 0\nremoved, 2 changed." in text
    assert "TC-003" not in text.split("Suspect links")[0]


def test_nothing_changed_and_no_baseline(make_app, project):
    app = make_app("text", srcdir=project)
    app.build()
    assert "No baseline is configured" in (app.outdir / "changes.txt").read_text()
    make_baseline(make_app, project)
    set_baseline(project, "baseline/techspec-1.0.json")
    app = make_app("text", srcdir=project, freshenv=True)
    app.build()
    assert "Nothing changed since the baseline." in (app.outdir / "changes.txt").read_text()


def test_changing_the_baseline_file_rewrites_the_changes_page(make_app, project):
    baseline = make_baseline(make_app, project)
    set_baseline(project, "baseline/techspec-1.0.json")
    app = make_app("text", srcdir=project, freshenv=True)
    app.build()
    assert "Nothing changed" in (app.outdir / "changes.txt").read_text()
    data = json.loads(baseline.read_text())
    data["items"]["REQ-002"]["title"] = "Reset links expire soon"
    baseline.write_text(json.dumps(data, indent=2))
    app = make_app("text", srcdir=project)  # incremental: same outdir, no -E
    app.build()
    text = (app.outdir / "changes.txt").read_text()
    assert "0 added, 0 removed, 1 changed" in text.replace("\n", " ")
    assert "Reset links expire soon" in text


def test_diff_cli_prints_markdown_and_json(make_app, project, capsys):
    old = make_baseline(make_app, project, "old.json")
    change_the_spec(project)
    new = make_baseline(make_app, project, "new.json")
    assert main(["diff", str(old), str(new)]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("## Spec changes: old.json (change) → new.json (change)\n")
    assert "1 added, 0 removed, 3 changed." in markdown
    assert "- **TC-003** Link works once (test-case)" in markdown
    assert (
        "Text: A user who forgot the password gets a reset link by ~~email.~~ **SMS.**" in markdown
    )
    assert "| status | draft | proposed |" in markdown
    assert "Links removed: verifies REQ-001" in markdown
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"added": 1, "removed": 0, "changed": 3}
    req = next(c for c in data["changed"] if c["id"] == "REQ-001")
    assert {"op": "delete", "text": "email."} in req["text"]
    assert {"op": "insert", "text": "SMS."} in req["text"]
    removed = next(c for c in data["changed"] if c["id"] == "TC-002")["links_removed"]
    assert removed == [{"link": "verifies", "target": "REQ-001"}]


def test_markdown_escapes_user_text(tmp_path, capsys):
    def document(title: str) -> dict:
        item = {"id": "R-1", "type": "requirement", "title": title, "fields": {}, "links": {}}
        return {"format_version": 2, "items": {"R-1": {**item, "text": "x"}}}

    (tmp_path / "a.json").write_text(json.dumps(document("plain")))
    (tmp_path / "b.json").write_text(json.dumps(document("<img src=x> *bold* | pipe")))
    assert main(["diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")]) == 0
    out = capsys.readouterr().out
    assert r"\<img src=x\> \*bold\* \| pipe" in out
    assert "<img" not in out.replace("\\<img", "")


def git(cwd, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_git_baseline_reads_a_committed_techspec_json(make_app, project):
    make_baseline(make_app, project, "techspec.json")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "v1")
    git(project, "tag", "v1.0")
    (project / "techspec.json").unlink()  # only the commit has it now
    set_baseline(project, "git:v1.0")
    change_the_spec(project)
    app = make_app("text", srcdir=project, freshenv=True)
    app.build()
    text = (app.outdir / "changes.txt").read_text()
    assert "Compared with the baseline techspec.json at v1.0: 1 added" in text
    assert "[-email.-] {+SMS.+}" in text
    assert techspec_warnings(app, "bad_baseline") == []


def test_git_baseline_with_a_path(make_app, project):
    make_baseline(make_app, project, "release/spec.json")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "v1")
    change_the_spec(project)
    set_baseline(project, "git:HEAD:release/spec.json")
    app = make_app("text", srcdir=project, freshenv=True)
    app.build()
    assert "Changed (3)" in (app.outdir / "changes.txt").read_text()


def test_editing_an_item_rewrites_the_changes_page_without_reading_it(make_app, project):
    import re

    make_baseline(make_app, project)
    set_baseline(project, "baseline/techspec-1.0.json")
    app = make_app("text", srcdir=project, freshenv=True)
    app.build()
    assert "Nothing changed" in (app.outdir / "changes.txt").read_text()
    edit(project / "requirements.rst", "Links expire after 30 minutes", "Links expire after 1 h")
    app = make_app("text", srcdir=project)  # incremental
    app.build()
    status = re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())
    assert re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status) == ["requirements"]
    text = (app.outdir / "changes.txt").read_text()
    assert "[-30 minutes.-] {+1 h.+}" in text


def test_a_baseline_without_text_still_compares_fields_and_links(make_app, project):
    baseline = make_baseline(make_app, project)
    data = json.loads(baseline.read_text())
    for item in data["items"].values():
        del item["text"], item["fingerprint"]
    baseline.write_text(json.dumps(data))
    set_baseline(project, "baseline/techspec-1.0.json")
    change_the_spec(project)
    app = make_app("text", srcdir=project, freshenv=True)
    app.build()
    text = (app.outdir / "changes.txt").read_text()
    assert "| Status | draft    | proposed |" in text
    assert "[-email" not in text
    assert "The baseline has no item text" in text


def test_only_content_changes_of_still_approved_items_need_reapproval(make_app, project):
    make_baseline(make_app, project)
    set_baseline(project, "baseline/techspec-1.0.json")
    # REQ-002 gets approved (a status change only), REQ-001 goes back to review with its edit.
    edit(project / "requirements.rst", ":status: draft", ":status: approved")
    edit(project / "requirements.rst", "reset link by email", "reset link by SMS")
    edit(
        project / "requirements.rst",
        ":status: approved\n   :kind: functional",
        ":status: proposed\n   :kind: functional",
    )
    app = make_app("text", srcdir=project, freshenv=True)
    app.build()
    text = (app.outdir / "changes.txt").read_text()
    assert "Changed (2)" in text
    assert "needs re-" not in text
    assert techspec_warnings(app, "changed_approved") == []
