"""Hostile input to the commands: each case ends in its output as text or a clear error.

``suspects``, ``review``, ``diff`` and ``migrate-needs`` on hostile files (huge
integers, malformed lock entries, ANSI escapes, ``@mentions``); ``init`` with titles,
authors and requirements that try to become markup, HTML, Python or pip options; the
pytest plugin given a marker argument whose ``repr()`` raises. No case may end in a
traceback: the commands run in this process, so one would fail the test.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS
from sphinx.cmd.build import build_main

from sphinx_techspec.cli import main

pytest_plugins = ("pytester",)

HUGE = "9" * 5000
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\r"


@pytest.fixture
def project(tmp_path):
    srcdir = tmp_path / "change"
    shutil.copytree(ROOTS / "test-change", srcdir)
    return srcdir


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def no_control(text: str) -> bool:
    return not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text)


# -- suspects and review ---------------------------------------------------------------


def test_suspects_names_every_unreadable_lock_entry_and_exits_2(project, capsys):
    assert run(capsys, "review", "--all", "--project", str(project))[0] == 0
    lock = project / "techspec.lock"
    lines = lock.read_text().splitlines()
    lines[3] = '    ["TC-001", "verifies", "REQ-001"],'  # no hash
    lines.insert(4, '    ["TC-002", 7, "REQ-002", "0"],')
    lock.write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, "suspects", "--project", str(project))
    assert code == 2
    assert f"{lock}:4: entry ['TC-001', 'verifies', 'REQ-001'] is not [source, link" in err
    assert f"{lock}:5: entry ['TC-002', 7, 'REQ-002', '0'] is not [source, link" in err
    assert "lock entries that cannot be read, so were not checked: 2" in err
    # What could be read is still checked and listed.
    assert out == "No suspect links.\n"
    (project / "requirements.rst").write_text(
        (project / "requirements.rst").read_text().replace("30 minutes", "10 minutes")
    )
    code, out, err = run(capsys, "suspects", "--project", str(project))
    assert code == 2 and "lock entries that cannot be read" in err
    assert out.splitlines()[0].startswith(
        "tests.rst:9: TC-002 verifies REQ-002, which changed since"
    )
    assert "Traceback" not in err


def test_suspects_and_review_refuse_a_lock_with_a_huge_integer(project, capsys):
    lock = project / "techspec.lock"
    lock.write_text('{\n  "format_version": ' + HUGE + ',\n  "links": []\n}\n')
    for command in ("suspects", "review"):
        args = [command, "--project", str(project), *(["--all"] if command == "review" else [])]
        code, _out, err = run(capsys, *args)
        assert code == 2
        assert f"{lock}:2: not usable JSON (a number of 5000 digits; at most 1000 are read)" in err


def test_review_from_a_techspec_json_with_a_huge_integer_is_a_clear_error(tmp_path, capsys):
    source = tmp_path / "today.json"
    source.write_text('{"format_version": 2,\n"items": {"A": {"lineno": ' + HUGE + "}}}")
    code, _out, err = run(
        capsys, "review", "--all", "--from", str(source), "--project", str(tmp_path)
    )
    assert code == 2
    assert f"{source}:2: not usable JSON" in err and "Traceback" not in err


def test_suspects_prints_no_escape_sequence_from_the_project(tmp_path, capsys):
    (tmp_path / "conf.py").write_text(
        'extensions = ["sphinx_techspec"]\nproject = "p"\ntechspec_id_pattern = r"\\S+"\n'
    )
    requirement = f"REQ-{ESCAPES.strip()}1"
    (tmp_path / "index.rst").write_text(
        f"T\n=\n\n.. requirement:: {requirement} Title\n\n"
        f".. test-case:: TC-1 Test\n   :verifies: {requirement}\n"
    )
    assert run(capsys, "review", "--all", "--project", str(tmp_path))[0] == 0
    index = tmp_path / "index.rst"
    index.write_text(index.read_text().replace("Title", "Changed title"))
    code, out, err = run(capsys, "suspects", "--project", str(tmp_path))
    assert code == 1
    assert "TC-1 verifies REQ-1, which changed since the link was reviewed" in out
    assert no_control(out) and no_control(err)


# -- diff ----------------------------------------------------------------------------------


def techspec_json(path: Path, items: dict[str, dict]) -> Path:
    records = {
        item_id: {"id": item_id, "type": "requirement", "fields": {}, "links": {}, **record}
        for item_id, record in items.items()
    }
    path.write_text(json.dumps({"format_version": 2, "items": records}, indent=2))
    return path


def test_diff_markdown_holds_no_escape_and_no_live_mention(tmp_path, capsys):
    old = techspec_json(tmp_path / "old.json", {"REQ-1": {"title": "Reset"}})
    title = f"Reset {ESCAPES} by @octocat for @org/team, mail a@b.example"
    new = techspec_json(
        tmp_path / "new.json", {"REQ-1": {"title": title}, "REQ-2": {"title": "@x"}}
    )
    code, out, _err = run(capsys, "diff", str(old), str(new))
    assert code == 0
    assert no_control(out)
    assert "@\u200boctocat" in out and "@\u200borg/team" in out and "@\u200bx" in out
    assert "a@b.example" in out  # an address is not a mention
    assert "@octocat" not in out

    code, out, _err = run(capsys, "diff", str(old), str(new), "--format", "json")
    assert code == 0 and no_control(out)
    changed = json.loads(out)["changed"][0]
    assert changed["title"] == title  # JSON keeps the data, escaped


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format_version": 2,\n"items": {"A": ' + HUGE + "}}", "old.json:2: not usable JSON"),
        ('{"format_version": 2, "items": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
        ('{"format_version": 2, "items": {"A": NaN}}', "NaN is not a JSON value"),
    ],
    ids=["digits", "depth", "nan"],
)
def test_diff_of_a_hostile_file_is_a_clear_error(tmp_path, capsys, text, message):
    old = tmp_path / "old.json"
    old.write_text(text)
    new = techspec_json(tmp_path / "new.json", {})
    code, out, err = run(capsys, "diff", str(old), str(new))
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_migrate_needs_of_a_huge_integer_is_a_clear_error(tmp_path, capsys):
    source = tmp_path / "needs.json"
    source.write_text('{"versions": {"1": {"needs": {"A": {"lineno": ' + HUGE + "}}}}}")
    code, _out, err = run(capsys, "migrate-needs", str(source), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "a number of 5000 digits" in err and not (tmp_path / "out").exists()


# -- init ------------------------------------------------------------------------------------

SCRIPT_TITLE = "<img src=x onerror=alert(1)> & co"


def init(tmp_path: Path, capsys, *args: str) -> tuple[int, str, Path]:
    target = tmp_path / "spec"
    code, _out, err = run(capsys, "init", str(target), *args)
    return code, err, target


def built_html(tmp_path: Path, target: Path) -> str:
    out = tmp_path / "html"
    assert build_main(["-W", "-n", "-q", "-b", "html", str(target), str(out)]) == 0
    return (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_a_title_that_looks_like_a_directive_is_text(tmp_path, capsys, fmt):
    title = ".. include:: /etc/passwd"
    code, _err, target = init(tmp_path, capsys, "--format", fmt, "--title", title)
    assert code == 0
    html = built_html(tmp_path, target)
    assert "root:" not in html
    assert ".. include:: /etc/passwd" in html


def test_a_title_with_backticks_keeps_its_myst_directives(tmp_path, capsys):
    title = "Call `reset()` {download}`/etc/passwd`"
    code, _err, target = init(tmp_path, capsys, "--format", "md", "--title", title)
    assert code == 0
    html = built_html(tmp_path, target)  # -W: the spec header is a directive, not text
    assert "Call `reset()` {download}`/etc/passwd`" in html.replace("&#96;", "`")
    assert not (tmp_path / "html" / "_downloads").exists()


def test_html_in_a_title_is_text_in_every_theme(tmp_path, capsys):
    code, _err, target = init(tmp_path, capsys, "--title", SCRIPT_TITLE, "--author", "</b>x")
    assert code == 0
    html = built_html(tmp_path, target)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; co" in html
    assert "&amp;lt;" not in html  # escaped once, not twice


def test_init_writes_data_into_conf_py_only_as_literals(tmp_path, capsys):
    """The same conf.py, but for its literals, whatever the title and author hold."""

    def shape(tree: ast.AST) -> str:
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant):
                node.value = None
        return ast.dump(tree)

    hostile = 'x", "label": exec("import os"), "y": "\\\'\'\'{title}%s'
    code, _err, target = init(tmp_path, capsys, "--title", hostile, "--author", hostile)
    assert code == 0
    plain = tmp_path / "plain"
    assert run(capsys, "init", str(plain), "--title", "T", "--author", "A")[0] == 0
    hostile_tree = ast.parse((target / "conf.py").read_text())
    constants = {n.value for n in ast.walk(hostile_tree) if isinstance(n, ast.Constant)}
    assert hostile in constants
    assert shape(hostile_tree) == shape(ast.parse((plain / "conf.py").read_text()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "Spec\n.. include:: /etc/passwd"], "--title must be one line"),
        (["--title", "Spec\r\n.. raw:: html"], "--title must be one line"),
        (["--author", "me\n.. include:: /etc/passwd"], "--author must be one line"),
        (["--title", "Red \x1b[31m"], "--title holds a control character"),
        (["--title", "   "], "--title must not be blank"),
        (["--requirement", "sphinx-techspec\n--extra-index-url https://evil"], "must be one line"),
        (["--requirement", "--extra-index-url https://evil"], "holds a pip option"),
        (["--requirement", "-e git+https://evil/x.git"], "holds a pip option"),
        (["--requirement", "sphinx-techspec --config-settings=x"], "holds a pip option"),
    ],
    ids=[
        "title-newline",
        "title-crlf",
        "author-newline",
        "title-escape",
        "title-blank",
        "requirement-newline",
        "requirement-index",
        "requirement-editable",
        "requirement-option",
    ],
)
def test_init_refuses_values_that_would_inject_and_writes_nothing(tmp_path, capsys, args, message):
    code, err, target = init(tmp_path, capsys, *args)
    assert code == 1
    assert message in err and "nothing was written" in err
    assert not target.exists()
    assert "\n" not in err.strip()  # one line


def test_init_accepts_a_requirement_url_or_path(tmp_path, capsys):
    requirement = "sphinx-techspec @ git+https://example.org/repo.git@v0.1.0"
    code, _err, target = init(tmp_path, capsys, "--requirement", requirement)
    assert code == 0
    assert (target / "requirements.txt").read_text().splitlines()[1] == requirement


# -- the pytest plugin ----------------------------------------------------------------------


def test_a_marker_argument_whose_repr_raises_is_a_usage_error(pytester):
    pytester.makepyfile(
        test_hostile="""
        import pytest

        class Evil:
            def __repr__(self):
                raise RuntimeError("no repr")

        class EvilText(str):
            def __repr__(self):
                raise RuntimeError("no repr")

        @pytest.mark.verifies(Evil())
        def test_object():
            pass

        @pytest.mark.verifies(EvilText("REQ-1, REQ-2"))
        def test_text():
            pass
        """
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output
    shown = "@pytest.mark.verifies(<Evil object whose repr() fails>) needs string IDs"
    result.stderr.fnmatch_lines([f"*test_hostile.py:*: {shown}*"])


def test_a_str_subclass_with_a_failing_repr_is_read_as_its_text(pytester):
    pytester.makepyfile(
        test_subclass="""
        import pytest

        class EvilText(str):
            def __repr__(self):
                raise RuntimeError("no repr")

        @pytest.mark.verifies(EvilText("REQ-1"))
        def test_it():
            pass
        """
    )
    result = pytester.runpytest("--junitxml=report.xml")
    result.assert_outcomes(passed=1)
    assert 'name="verifies" value="REQ-1"' in (pytester.path / "report.xml").read_text()
