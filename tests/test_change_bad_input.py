"""Bad input to change control: located warnings or one-line CLI errors, never a traceback."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of

from sphinx_techspec.cli import main

GOOD_LOCK = (
    '{\n  "format_version": 1,\n  "links": [\n'
    '    ["TC-001", "verifies", "REQ-001", "0000000000000000"],\n'
    '    ["TC-002", "verifies", "REQ-002", "0000000000000000"]\n  ]\n}\n'
)


@pytest.fixture
def project(tmp_path):
    srcdir = tmp_path / "change"
    shutil.copytree(ROOTS / "test-change", srcdir)
    return srcdir


def build(make_app, project, **kwargs):
    app = make_app("html", srcdir=project, freshenv=True, **kwargs)
    app.build()
    assert "Traceback" not in app.warning.getvalue()
    return app


def set_baseline(project, setting: str) -> int:
    """Append the setting to conf.py; its line number."""
    conf = project / "conf.py"
    lines = conf.read_text().splitlines()
    conf.write_text("\n".join([*lines, f"techspec_baseline = {setting!r}"]) + "\n")
    return len(lines) + 1


# -- the lock file in the build ---------------------------------------------------------


def test_truncated_lock_is_a_located_warning_and_marks_nothing(make_app, project):
    (project / "techspec.lock").write_text(GOOD_LOCK[:80])
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_lock")
    assert warning.startswith(f"{project / 'techspec.lock'}:4: WARNING: cannot use the lock file")
    assert techspec_warnings(app, "suspect") == []
    assert "cannot be read" in (app.outdir / "changes.html").read_text()


def test_newer_lock_format_is_refused(make_app, project):
    (project / "techspec.lock").write_text(
        GOOD_LOCK.replace('"format_version": 1', '"format_version": 7')
    )
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_lock")
    assert f"{project / 'techspec.lock'}:1: WARNING:" in warning
    assert "lock format 7 is newer than this sphinx-techspec reads" in warning
    assert techspec_warnings(app, "suspect") == []


def test_a_bad_lock_entry_is_left_out_alone(make_app, project):
    (project / "techspec.lock").write_text(
        GOOD_LOCK.replace('"REQ-002", "0000000000000000"', '"REQ-002"')
    )
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_lock")
    assert f"{project / 'techspec.lock'}:5: WARNING: lock file entry left out" in warning
    # The good entry is used: TC-001's target differs from the recorded hash.
    assert len(techspec_warnings(app, "suspect")) == 1


def test_lock_entries_of_items_that_no_longer_exist_are_stale(make_app, project):
    lock = GOOD_LOCK.replace('"TC-002", "verifies", "REQ-002"', '"TC-009", "verifies", "REQ-002"')
    (project / "techspec.lock").write_text(lock)
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "stale_lock")
    assert warning.startswith(
        f"{project / 'techspec.lock'}:5: WARNING: lock entry TC-009 verifies REQ-002 is stale: "
        f"TC-009 no longer exists"
    )


# -- the baseline in the build -----------------------------------------------------------


def write_baseline(project, text: str) -> None:
    (project / "baseline").mkdir()
    (project / "baseline" / "old.json").write_text(text)


def test_truncated_baseline_is_located_in_the_file(make_app, project):
    write_baseline(project, '{\n  "format_version": 2,\n  "items": {\n    "REQ-001": {')
    set_baseline(project, "baseline/old.json")
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_baseline")
    assert warning.startswith(
        f"{project / 'baseline' / 'old.json'}:4: WARNING: cannot use the baseline"
    )
    assert "not valid JSON" in warning
    assert "The baseline cannot be read" in (app.outdir / "changes.html").read_text()


def test_newer_baseline_format_is_refused(make_app, project):
    write_baseline(project, '{"format_version": 3, "items": {}}')
    set_baseline(project, "baseline/old.json")
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_baseline")
    assert "techspec.json format 3 is newer than this sphinx-techspec reads" in warning


def test_baseline_item_of_the_wrong_shape(make_app, project):
    write_baseline(
        project, '{"format_version": 2,\n "items": {\n  "REQ-001": {"type": 3, "title": "x"}}}'
    )
    set_baseline(project, "baseline/old.json")
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_baseline")
    assert f"{project / 'baseline' / 'old.json'}:3: WARNING:" in warning
    assert "item 'REQ-001': 'type' is missing or not a string" in warning


def test_missing_baseline_file_is_located_at_conf_py(make_app, project):
    line = set_baseline(project, "baseline/nope.json")
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_baseline")
    assert warning.startswith(f"{project / 'conf.py'}:{line}: WARNING: cannot use the baseline")
    assert "nope.json does not exist" in warning


def test_git_baseline_outside_a_git_repository(make_app, project):
    line = set_baseline(project, "git:v1.0")
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_baseline")
    assert warning.startswith(f"{project / 'conf.py'}:{line}: WARNING:")
    assert "is not in a git repository" in warning


def test_git_baseline_with_an_unknown_ref(make_app, project):
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    line = set_baseline(project, "git:v9.9")
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_baseline")
    assert warning.startswith(f"{project / 'conf.py'}:{line}: WARNING:")
    assert "'v9.9' is not a commit, tag or branch here" in warning


def test_git_setting_without_a_ref_is_bad_config(make_app, project):
    line = set_baseline(project, "git:")
    app = build(make_app, project)
    (warning,) = techspec_warnings(app, "bad_config")
    assert warning.startswith(f"{project / 'conf.py'}:{line}: WARNING: techspec_baseline:")
    assert techspec_warnings(app, "bad_baseline") == []


# -- the CLI ------------------------------------------------------------------------------


def test_review_of_an_unknown_id_writes_nothing(project, capsys):
    (project / "techspec.lock").write_text(GOOD_LOCK)
    assert main(["review", "REQ-404", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert "sphinx-techspec: error: no item has the ID 'REQ-404'; nothing was written" in err
    assert (project / "techspec.lock").read_text() == GOOD_LOCK


def test_review_of_a_removed_item_prunes_its_entries(project, capsys):
    (project / "techspec.lock").write_text(
        GOOD_LOCK.replace('"TC-002", "verifies", "REQ-002"', '"TC-009", "verifies", "REQ-002"')
    )
    assert main(["review", "TC-009", "--project", str(project)]) == 0
    assert "TC-009" not in (project / "techspec.lock").read_text()


def test_review_refuses_a_corrupt_lock_and_leaves_it_alone(project, capsys):
    corrupt = GOOD_LOCK[:70]
    (project / "techspec.lock").write_text(corrupt)
    assert main(["review", "--all", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert f"{project / 'techspec.lock'}:4: not valid JSON" in err and "Traceback" not in err
    assert (project / "techspec.lock").read_text() == corrupt
    assert main(["suspects", "--project", str(project)]) == 2


def test_a_failed_write_leaves_the_old_lock_whole(project, monkeypatch, capsys):
    (project / "techspec.lock").write_text(GOOD_LOCK)

    def broken_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    assert main(["review", "--all", "--project", str(project)]) == 2
    assert "No space left on device; it is unchanged" in capsys.readouterr().err
    assert (project / "techspec.lock").read_text() == GOOD_LOCK
    assert not list(project.glob(".techspec-lock-*"))


@pytest.mark.parametrize(
    "args, message",
    [
        (["review"], "say what you reviewed: item IDs"),
        (["review", "--all", "TC-001"], "one of them"),
        (["suspects", "--project", "{tmp}"], "holds no conf.py"),
    ],
)
def test_cli_usage_errors(tmp_path, capsys, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_from_json_without_fingerprints(project, tmp_path, capsys):
    old = tmp_path / "old.json"
    old.write_text(
        json.dumps(
            {
                "format_version": 2,
                "items": {"R-1": {"type": "requirement", "title": "x", "fields": {}, "links": {}}},
            }
        )
    )
    assert main(["review", "--all", "--project", str(project), "--from", str(old)]) == 2
    assert "R-1 has no fingerprint" in capsys.readouterr().err


def test_a_project_that_does_not_build(tmp_path, capsys):
    (tmp_path / "conf.py").write_text("raise SystemError('boom')\n")
    assert main(["suspects", "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "cannot read the project" in err and "boom" in err


@pytest.mark.parametrize(
    "text, message",
    [
        ('{\n  "format_version": 2,\n  "items": {', "old.json:3: not valid JSON"),
        ('{"format_version": 9, "items": {}}', "format 9 is newer"),
        ("[1, 2]", "not a techspec.json export"),
    ],
)
def test_diff_of_a_bad_file(tmp_path, capsys, text, message):
    (tmp_path / "old.json").write_text(text)
    (tmp_path / "new.json").write_text('{"format_version": 2, "items": {}}')
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert main(["diff", str(tmp_path / "missing.json"), str(tmp_path / "new.json")]) == 2
    assert "missing.json does not exist" in capsys.readouterr().err


def test_no_warning_is_untyped(make_app, project):
    (project / "techspec.lock").write_text("\x00garbage")
    set_baseline(project, "baseline/nope.json")
    app = build(make_app, project)
    assert all("[techspec." in w for w in warnings_of(app))
