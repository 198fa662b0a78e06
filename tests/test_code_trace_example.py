"""The example's code: real tests that pass, markers that name the example's real items."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_techspec.cli import main

EXAMPLE = Path(__file__).parent.parent / "example_project"


@pytest.fixture(scope="module")
def example_json(tmp_path_factory) -> Path:
    """The example built to HTML once (its techspec.json), outside the source tree."""
    builddir = tmp_path_factory.mktemp("example")
    app = SphinxTestApp("html", srcdir=EXAMPLE, builddir=builddir)
    try:
        app.build()
    finally:
        app.cleanup()
    return builddir / "html" / "techspec.json"


def test_the_example_code_tests_pass():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q"],
        cwd=EXAMPLE / "code",
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 0, done.stdout
    assert "5 passed" in done.stdout


def test_trace_code_on_the_example(example_json, capsys, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    assert main(["trace-code", "--spec", str(example_json), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    files = {r["path"] for r in data["references"]}
    assert files == {
        "code/reset/requests.py",
        "code/reset/tokens.py",
        "code/sql/reset_tokens.sql",
        "code/web/reset-form.js",
        "code/tests/test_reset_service.py",
    }
    assert data["items"] == [
        "REQ-FUN-001",
        "REQ-FUN-002",
        "REQ-SEC-001",
        "REQ-SEC-002",
        "REQ-SEC-003",
    ]
    # A marker written in a docstring's prose ("@implements REQ-...") names nothing.
    assert all(r["problem"] is None for r in data["references"])


def test_impact_on_the_example_reaches_code_tests_and_their_results(example_json, capsys):
    args = ["impact", "REQ-SEC-002", "--project", str(EXAMPLE), "--spec", str(example_json)]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    tests = {r.get("id") or r["symbol"]: r["result"] for r in data["reached"] if r["test"]}
    assert tests == {
        "TC-003": "failed",
        "test_link_sets_the_password_once": None,
        "test_link_expires_after_30_minutes": None,
    }
    code = {f"{r['file']}:{r['line']}" for r in data["reached"] if r["kind"] == "code"}
    assert "code/sql/reset_tokens.sql:5" in code and "code/reset/tokens.py:34" in code
    assert data["summary"]["tests_not_passing"] == 1


def test_the_example_cards_show_code_and_the_report_counts_it(example_json):
    outdir = example_json.parent
    html = (outdir / "requirements.html").read_text()
    card = html.split('id="REQ-SEC-001"')[1].split('id="REQ-SEC-002"')[0]
    implemented = card.split("Implemented in code")[1].split("Verified in code")[0]
    assert '<span class="pre">code/reset/tokens.py:14</span>' in implemented
    assert '<span class="pre">token_hash()</span>' in implemented
    assert 'href="_code/code/reset/tokens.py.html#L-14"' in implemented
    source = (outdir / "_code" / "code" / "reset" / "tokens.py.html").read_text()
    assert '<a href="../../../requirements.html#REQ-SEC-001">REQ-SEC-001</a>' in source
    assert "code/tests/test_reset_service.py:55" in card.split("Verified in code")[1]
    report = (outdir / "traceability.html").read_text()
    row = report.split("Requirement (approved) implemented in code")[1].split("</tr>")[0]
    assert "5 of 6" in row and "report only" in row
    data = json.loads(example_json.read_text())
    assert "code" not in data["items"]["REQ-PERF-001"]
