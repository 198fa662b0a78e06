"""Which files are scanned: globs relative to the spec, .gitignore honoured inside git."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from sphinx_techspec.code_trace.files import PathError, in_git_work_tree, source_files

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def make_tree(base) -> None:
    for name in (
        "docs/conf.py",
        "src/app.py",
        "src/deep/er/util.py",
        "src/generated/big.py",
        "src/notes.txt",
        "build/out.py",
    ):
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# @implements REQ-1\n")


def git(base, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=base,
        check=True,
        capture_output=True,
    )


def test_outside_git_globs_are_expanded_on_disk(tmp_path):
    make_tree(tmp_path)
    (tmp_path / ".gitignore").write_text("src/generated/\n")
    assert not in_git_work_tree(tmp_path / "docs")
    assert source_files(tmp_path / "docs", ["../src/**/*.py"]) == [
        "../src/app.py",
        "../src/deep/er/util.py",
        "../src/generated/big.py",  # no git: .gitignore means nothing
    ]


@needs_git
def test_in_git_gitignore_is_honoured_and_new_files_count(tmp_path):
    make_tree(tmp_path)
    (tmp_path / ".gitignore").write_text("src/generated/\nbuild/\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "src/app.py", ".gitignore")
    git(tmp_path, "commit", "-qm", "start")
    # src/deep/er/util.py is new and not ignored: listed; src/generated/ is ignored.
    assert source_files(tmp_path / "docs", ["../src/**/*.py", "../build/*.py"]) == [
        "../src/app.py",
        "../src/deep/er/util.py",
    ]
    assert source_files(tmp_path, ["src/*.py"]) == ["src/app.py"]
    (tmp_path / "src" / "app.py").unlink()  # deleted, still tracked: not listed
    assert source_files(tmp_path, ["src/**/*.py"]) == ["src/deep/er/util.py"]


def test_bad_patterns_are_refused_with_a_reason(tmp_path):
    with pytest.raises(PathError, match="absolute"):
        source_files(tmp_path, ["/etc/*.conf"])
    with pytest.raises(PathError, match="empty"):
        source_files(tmp_path, [" "])
    assert source_files(tmp_path, []) == []
