"""Suspect links: review -> edit -> suspect -> review, through the CLI and the build."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of

from sphinx_techspec.cli import main

pytestmark = pytest.mark.slow(seconds=6)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def project(tmp_path):
    srcdir = tmp_path / "change"
    shutil.copytree(ROOTS / "test-change", srcdir)
    return srcdir


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def read_docs(app) -> list[str]:
    status = ANSI.sub("", app.status.getvalue())
    return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status)


def card(html: str, item_id: str) -> str:
    """The HTML of one item's card (up to the next card)."""
    start = html.index(f'id="{item_id}"')
    end = html.find('class="techspec-item', start)
    return html[start : end if end > 0 else None]


def test_without_a_lock_file_the_feature_is_silent(make_app, project):
    app = make_app("html", srcdir=project)
    app.build()
    assert techspec_warnings(app, "suspect") == []
    assert "techspec-state-attention" not in (app.outdir / "tests.html").read_text()
    changes = (app.outdir / "changes.html").read_text()
    assert "No lock file (techspec.lock)" in changes


def test_review_edit_suspect_review_cycle(make_app, project, capsys):
    # 1. Review every link against today's targets (a fresh quiet read of the project).
    assert main(["review", "--all", "--project", str(project)]) == 0
    assert "Reviewed 3 links of every item" in capsys.readouterr().out
    lock = (project / "techspec.lock").read_text()
    lines = lock.splitlines()
    assert lines[0] == "{" and '"format_version": 1,' in lines[1]
    entries = [json.loads(line.strip().rstrip(",")) for line in lines if line.strip()[:2] == '["']
    assert [entry[:3] for entry in entries] == [
        ["TC-001", "verifies", "REQ-001"],
        ["TC-002", "verifies", "REQ-001"],
        ["TC-002", "verifies", "REQ-002"],
    ]
    app = make_app("html", srcdir=project)
    app.build()
    assert techspec_warnings(app, "suspect") == []
    assert "No suspect links" in (app.outdir / "changes.html").read_text()
    assert main(["suspects", "--project", str(project)]) == 0
    assert "No suspect links." in capsys.readouterr().out

    # 2. Edit the requirement: both links to it are suspect, at their source items.
    edit(project / "requirements.rst", "reset link by email", "reset link by SMS")
    app = make_app("html", srcdir=project)
    app.build()
    assert read_docs(app) == ["requirements"]
    assert techspec_warnings(app, "suspect") == [
        f"{project / 'tests.rst'}:4: WARNING: TC-001 verifies REQ-001, which changed since the "
        f"link was reviewed; check it, then run sphinx-techspec review TC-001 "
        f"(review --target REQ-001: every link to it at once) [techspec.suspect]",
        f"{project / 'tests.rst'}:9: WARNING: TC-002 verifies REQ-001, which changed since the "
        f"link was reviewed; check it, then run sphinx-techspec review TC-002 "
        f"(review --target REQ-001: every link to it at once) [techspec.suspect]",
    ]
    tests_html = (app.outdir / "tests.html").read_text()
    tc_001 = card(tests_html, "TC-001")
    # The mark is a word in its state's class, with the reason as its tooltip.
    assert re.search(
        r'class="techspec-mark techspec-state-attention" title="[^"]*changed[^"]*">suspect<', tc_001
    ), tc_001
    tc_002 = card(tests_html, "TC-002")
    assert tc_002.count(">suspect<") == 1  # REQ-001 only, not REQ-002
    # The other end: REQ-001's "verified by" rows carry the mark too.
    requirements_html = (app.outdir / "requirements.html").read_text()
    assert card(requirements_html, "REQ-001").count(">suspect<") == 2
    assert ">suspect<" not in card(requirements_html, "REQ-002")
    changes_html = (app.outdir / "changes.html").read_text()
    assert "2 suspect links" in changes_html
    assert changes_html.count("techspec-suspect-row") == 2

    assert main(["suspects", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    assert "TC-001 verifies REQ-001, which changed since the link was reviewed" in out
    assert "TC-002 verifies REQ-001" in out and "2 suspect links." in out

    # 3. Review TC-001 only: TC-002 stays suspect; its REQ-002 entry is kept as it was.
    assert main(["review", "TC-001", "--project", str(project)]) == 0
    assert main(["suspects", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    assert "TC-001 verifies" not in out.split("Reviewed")[-1] and "TC-002 verifies REQ-001" in out

    # 4. The lock changed, no source did: the pages are rewritten, not re-read.
    app = make_app("html", srcdir=project)
    app.build()
    assert read_docs(app) == ["changes"]  # the view page depends on the lock file
    assert [w.split(": WARNING: ")[1][:24] for w in techspec_warnings(app, "suspect")] == [
        "TC-002 verifies REQ-001,"
    ]
    tests_html = (app.outdir / "tests.html").read_text()
    assert ">suspect<" not in card(tests_html, "TC-001")
    assert ">suspect<" in card(tests_html, "TC-002")
    assert card((app.outdir / "requirements.html").read_text(), "REQ-001").count(">suspect<") == 1

    # 5. Review the rest: nothing is suspect any more.
    assert main(["review", "TC-002", "--project", str(project)]) == 0
    assert main(["suspects", "--project", str(project)]) == 0
    app = make_app("html", srcdir=project)
    app.build()
    assert techspec_warnings(app, "suspect") == []
    assert ">suspect<" not in (app.outdir / "tests.html").read_text()
    assert "No suspect links" in (app.outdir / "changes.html").read_text()


def test_review_from_the_last_builds_techspec_json(make_app, project, capsys):
    app = make_app("html", srcdir=project)
    app.build()
    exported = app.outdir / "techspec.json"
    assert main(["review", "--all", "--project", str(project), "--from", str(exported)]) == 0
    edit(project / "requirements.rst", "Links expire after 30 minutes", "Links expire after 1 h")
    app = make_app("html", srcdir=project)
    app.build()
    assert main(["suspects", "--project", str(project), "--from", str(exported)]) == 1
    assert "TC-002 verifies REQ-002" in capsys.readouterr().out
    assert len(techspec_warnings(app, "suspect")) == 1


def test_unreviewed_links_are_new_unless_configured(make_app, project, capsys):
    (project / "techspec.lock").write_text('{"format_version": 1, "links": []}\n')
    app = make_app("html", srcdir=project)
    app.build()
    assert techspec_warnings(app, "suspect") == []
    app = make_app(
        "html", srcdir=project, confoverrides={"techspec_unreviewed_links_suspect": True}
    )
    app.build()
    found = techspec_warnings(app, "suspect")
    assert len(found) == 3
    assert "TC-001 verifies REQ-001, and the link was never reviewed" in found[0]
    assert main(["suspects", "--project", str(project), "--unreviewed"]) == 1
    assert "never reviewed" in capsys.readouterr().out


def test_concurrent_reviews_all_land(project):
    """Twelve ``review`` runs at once, each for its own item: every entry must land."""

    def item(item_id: str, item_type: str, links: dict) -> dict:
        return {
            "id": item_id,
            "type": item_type,
            "title": "",
            "fields": {},
            "links": links,
            "fingerprint": "0123456789abcdef",
        }

    items = {f"S-{n}": item(f"S-{n}", "test-case", {"verifies": ["REQ-001"]}) for n in range(12)}
    items["REQ-001"] = item("REQ-001", "requirement", {})
    exported = project / "today.json"
    exported.write_text(json.dumps({"format_version": 2, "items": items}))
    code = (
        "import sys; from sphinx_techspec.cli import main; "
        "sys.exit(main(['review', sys.argv[1], '--project', sys.argv[2], '--from', sys.argv[3]]))"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code, f"S-{n}", str(project), str(exported)])
        for n in range(12)
    ]
    assert [process.wait() for process in processes] == [0] * 12
    written = json.loads((project / "techspec.lock").read_text())
    assert sorted(entry[0] for entry in written["links"]) == sorted(items.keys() - {"REQ-001"})
    assert not list(project.glob(".techspec-lock-*"))  # no temporary file left behind


def test_warnings_name_no_python_traceback(make_app, project):
    (project / "techspec.lock").write_text('{"format_version": 1, "links": [\n')
    app = make_app("html", srcdir=project)
    app.build()
    assert "Traceback" not in "\n".join(warnings_of(app))


def test_reviewing_a_target_says_where_its_links_are_reviewed(project, capsys):
    assert main(["review", "REQ-001", "--project", str(project)]) == 0
    captured = capsys.readouterr()
    assert "Reviewed 0 links of REQ-001" in captured.out
    assert "note: REQ-001 links to nothing; to review the links to it, name their sources" in (
        captured.err
    )


def test_suspect_links_are_marked_in_matrices_and_item_tables(make_app, project, capsys):
    """A link mark shows wherever the link is shown: matrix cells and item-table cells too."""
    (project / "views.rst").write_text(
        "Views\n=====\n\n.. traceability-matrix::\n   :columns: verifies\n\n"
        ".. item-table::\n   :types: test-case\n   :columns: id, verifies\n"
    )
    edit(project / "index.rst", "   changes", "   changes\n   views")
    assert main(["review", "--all", "--project", str(project)]) == 0
    edit(project / "requirements.rst", "reset link by email", "reset link by SMS")
    app = make_app("html", srcdir=project)
    app.build()
    views_html = (app.outdir / "views.html").read_text()
    matrix, table = views_html.split("techspec-item-table", 1)
    row = matrix[matrix.index('href="requirements.html#REQ-001"') :]
    row = row[: row.index("</tr>")]
    assert row.count(">suspect<") == 2  # TC-001 and TC-002, in REQ-001's "verified by" cell
    req_002 = matrix[matrix.index('href="requirements.html#REQ-002"') :]
    assert ">suspect<" not in req_002[: req_002.index("</tr>")]
    assert table.count(">suspect<") == 2  # each test's :verifies: REQ-001 cell


def test_review_target_and_changed_clear_links_in_one_step(make_app, project, capsys):
    assert main(["review", "--all", "--project", str(project)]) == 0
    edit(project / "requirements.rst", "reset link by email", "reset link by SMS")
    capsys.readouterr()

    # suspects: each link with the file:line of its source and the command that clears it.
    assert main(["suspects", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    assert "tests.rst:4: TC-001 verifies REQ-001, which changed" in out
    assert "tests.rst:9: TC-002 verifies REQ-001, which changed" in out
    assert "  clear it: sphinx-techspec review TC-001" in out
    assert "2 links to REQ-001: sphinx-techspec review --target REQ-001 clears them" in out

    # One reworded requirement: one command reviews every link to it.
    assert main(["review", "--target", "REQ-001", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "reviewed TC-001 verifies REQ-001" in out and "reviewed TC-002 verifies REQ-001" in out
    assert "Reviewed 2 links to REQ-001" in out
    assert main(["suspects", "--project", str(project)]) == 0
    app = make_app("html", srcdir=project)
    app.build()
    assert techspec_warnings(app, "suspect") == []

    # --changed: every link suspect now, and only those.
    edit(project / "requirements.rst", "reset link by SMS", "reset link by post")
    before = (project / "techspec.lock").read_text()
    assert main(["review", "--changed", "--project", str(project)]) == 0
    assert "Reviewed 2 links suspect until now" in capsys.readouterr().out
    after = (project / "techspec.lock").read_text()
    assert before != after and len(before.splitlines()) == len(after.splitlines())
    assert main(["suspects", "--project", str(project)]) == 0


def test_review_misuse_says_what_to_give(project, capsys):
    assert main(["review", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert "say what you reviewed: item IDs" in err and "--target ID" in err
    assert "--changed" in err
    assert main(["review", "TC-001", "--all", "--project", str(project)]) == 2
    assert "one of them" in capsys.readouterr().err
    assert main(["review", "--target", "REQ-01", "--project", str(project)]) == 2
    assert "no item has the ID 'REQ-01' (did you mean 'REQ-001'?)" in capsys.readouterr().err
    assert not (project / "techspec.lock").exists()


def test_suspects_unreviewed_fails_without_a_lock(project, capsys):
    assert main(["suspects", "--unreviewed", "--project", str(project)]) == 1
    assert "no link was ever reviewed" in capsys.readouterr().out
    assert main(["suspects", "--project", str(project)]) == 0


def test_diff_of_a_file_that_is_no_export_names_it(project, capsys):
    conf = project / "conf.py"
    assert main(["diff", str(conf), str(conf)]) == 2
    err = capsys.readouterr().err
    assert f"{conf} is not a techspec.json export" in err
    assert "Traceback" not in err


def lock_data(project) -> dict:
    return json.loads((project / "techspec.lock").read_text())


def test_editorial_change_moves_the_links_once_and_the_lock_records_it(make_app, project, capsys):
    assert main(["review", "--all", "--project", str(project)]) == 0
    reviewed = lock_data(project)
    assert "editorial" not in reviewed  # locks without markers keep their shape

    # A typo fixed and marked editorial: the build moves the links, nothing is suspect.
    edit(
        project / "requirements.rst",
        "   :status: approved\n   :kind: functional\n\n   A user who forgot the password gets",
        "   :status: approved\n   :kind: functional\n   :change: editorial\n\n"
        "   A user who has forgotten the password gets",
    )
    app = make_app("html", srcdir=project)
    app.build()
    assert techspec_warnings(app, "suspect") == []
    after = lock_data(project)
    (accepted,) = after["editorial"]
    assert accepted[0] == "REQ-001"
    moved = {tuple(e[:3]): e[3] for e in after["links"]}
    old = {tuple(e[:3]): e[3] for e in reviewed["links"]}
    assert moved[("TC-001", "verifies", "REQ-001")] == accepted[1]
    assert moved[("TC-001", "verifies", "REQ-001")] != old[("TC-001", "verifies", "REQ-001")]
    assert moved[("TC-002", "verifies", "REQ-002")] == old[("TC-002", "verifies", "REQ-002")]
    assert main(["suspects", "--project", str(project)]) == 0

    # The marker is used once: another change while it is there is suspect, and says so.
    edit(project / "requirements.rst", "reset link by email", "reset link by SMS")
    app = make_app("html", srcdir=project)
    app.build()
    assert len(techspec_warnings(app, "suspect")) == 2
    (used,) = techspec_warnings(app, "editorial_used")
    assert "requirements.rst:4:" in used
    assert "REQ-001: :change: editorial was already used for an earlier change" in used
    assert lock_data(project)["editorial"] == after["editorial"]

    # The marker removed: the record goes; the links stay suspect until reviewed.
    edit(project / "requirements.rst", "   :change: editorial\n", "")
    app = make_app("html", srcdir=project)
    app.build()
    assert "editorial" not in lock_data(project)
    assert len(techspec_warnings(app, "suspect")) == 2
