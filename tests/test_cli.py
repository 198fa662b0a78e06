"""``sphinx-techspec init``: a new project that builds with -W, and never overwrites."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from sphinx.cmd.build import build_main

from sphinx_techspec.cli import main
from sphinx_techspec.template.skeleton import PAGES

SECTION_ROW = re.compile(r"^\| (\d+)\. .*?\| (✓ done|✎ to write|✗ missing)", re.MULTILINE)


def build(src, out, builder: str = "html") -> int:
    return build_main(["-W", "-n", "-q", "-b", builder, str(src), str(out)])


def checklist(out) -> dict[int, str]:
    return {int(n): state for n, state in SECTION_ROW.findall((out / "index.txt").read_text())}


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_init_writes_a_project_that_builds_warning_free(tmp_path, capsys, fmt):
    target = tmp_path / "myspec"
    assert main(["init", str(target), "--format", fmt, "--title", "Password *reset*"]) == 0
    names = sorted(path.name for path in target.iterdir())
    hosting = ["requirements.txt", ".readthedocs.yaml", ".gitignore"]
    pages = [f"{p.name}.{fmt}" for p in PAGES]
    assert names == sorted(["conf.py", f"index.{fmt}", *hosting, *pages])
    assert len(PAGES) == 15
    assert "Wrote 20 files" in capsys.readouterr().out
    for page in PAGES:
        text = (target / f"{page.name}.{fmt}").read_text()
        assert "spec-guide" in text and page.section in text
    assert build(target, tmp_path / "html") == 0
    index = (tmp_path / "html" / "index.html").read_text()
    assert "Password *reset*" in index  # escaped markup shows literally
    assert build(target, tmp_path / "text", "text") == 0
    assert set(checklist(tmp_path / "text").values()) == {"✎ to write"}


def test_filling_in_sections_shrinks_the_checklist(tmp_path):
    target = tmp_path / "myspec"
    assert main(["init", str(target), "--format", "md"]) == 0
    for name in ("scope", "security"):
        page = target / f"{name}.md"
        text = page.read_text()
        start = text.index("```{spec-guide}")
        end = text.index("```\n", start + 3) + 4
        page.write_text(text[:start] + "We wrote this section." + text[end:])
    assert build(target, tmp_path / "text", "text") == 0
    states = checklist(tmp_path / "text")
    assert states[2] == states[9] == "✓ done"
    assert sum(state == "✎ to write" for state in states.values()) == 13
    assert "2 of 15 sections written." in (tmp_path / "text" / "index.txt").read_text()


def test_init_refuses_a_non_empty_directory_and_writes_nothing(tmp_path, capsys):
    target = tmp_path / "spec"
    target.mkdir()
    (target / "conf.py").write_text("# mine\n")
    assert main(["init", str(target)]) == 1
    error = capsys.readouterr().err
    assert "is not empty" in error and "conf.py" in error and "Nothing was written" in error
    assert [path.name for path in target.iterdir()] == ["conf.py"]
    assert (target / "conf.py").read_text() == "# mine\n"


def test_init_refuses_a_file_as_target(tmp_path, capsys):
    target = tmp_path / "spec"
    target.write_text("data")
    assert main(["init", str(target)]) == 1
    assert "is not a directory" in capsys.readouterr().err
    assert target.read_text() == "data"


def test_init_into_an_empty_directory_is_fine(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    assert main(["init", str(target), "--author", "Ada"]) == 0
    assert ":authors: Ada" in (target / "overview.rst").read_text()
    assert "author = 'Ada'" in (target / "conf.py").read_text()


def test_help_documents_init(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["init", "--help"])
    assert exit_info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--format {rst,md}" in out and "--title" in out and "never overwritten" in out


def test_bad_format_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["init", str(tmp_path / "x"), "--format", "docx"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'docx'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_module_runs_as_a_script(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_techspec.cli", "init", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "index.rst").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["diff", "{bad}", "{bad}"],
        ["migrate-needs", "{bad}", "--out", "{out}"],
        ["import-reqif", "{bad}", "--out", "{out}"],
        ["serve", "{bad}"],
    ],
)
def test_every_command_reports_errors_the_one_way(tmp_path, capsys, argv):
    """One error helper: one line on stderr, no control characters, exit status 2."""
    bad = tmp_path / "no\x1b[31mfile\nhere.json"
    args = [a.format(bad=bad, out=tmp_path / "out") for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("sphinx-techspec: error: ") and err.count("\n") == 1, err
    assert "\x1b" not in err and "nofile here.json" in err  # the colour code is dropped


def test_init_errors_keep_status_one_through_the_same_helper(tmp_path, capsys):
    target = tmp_path / "file\x07.txt"
    target.write_text("x")
    assert main(["init", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sphinx-techspec: error: ") and "\x07" not in err
