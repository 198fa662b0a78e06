"""The example project is the showcase: every template section written, numbers that agree."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parent.parent / "example_project"


@pytest.fixture(scope="module")
def example_text(tmp_path_factory) -> Path:
    from sphinx.cmd.build import build_main

    source = tmp_path_factory.mktemp("example") / "example_project"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("_build"))
    out = source / "_build" / "text"
    assert build_main(["-W", "-n", "-q", "-b", "text", str(source), str(out)]) == 0
    return out


def test_every_template_section_is_written(example_text):
    index = (example_text / "index.txt").read_text()
    assert "15 of 15 sections written." in index
    assert "missing" not in index
    assert re.search(r"14\. Conclusion\s+\|\s+✓ done", index)
    assert re.search(r"15\. Appendices\s+\|\s+✓ done", index)


def test_coverage_rules_agree_with_the_passing_column(example_text):
    report = (example_text / "traceability.txt").read_text()
    (row,) = [line for line in report.splitlines() if "verified by, passing" in line]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    covered, percent, passing = cells[1], cells[2], cells[4]
    assert passing == f"{covered} ({percent})"


def make_plan(target: str, tmp_path: Path) -> list[str]:
    """The commands ``make TARGET`` runs on a fresh machine (``-n -B``: printed, not run)."""
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # Run from `make test` (as CI does), the outer make's flags would add "Entering/Leaving
    # directory" lines: start from a clean make environment.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", target, f"VENV={tmp_path / 'venv'}"],
        cwd=EXAMPLE.parent,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stdout.splitlines()


def test_make_example_installs_only_the_package(tmp_path):
    plan = make_plan("example", tmp_path)
    installs = [line for line in plan if "pip install" in line and "--upgrade pip" not in line]
    assert [line.split("pip install ")[1] for line in installs] == ["--quiet -e ."]
    assert plan[-1].endswith(
        "sphinx-build -W -n -b html example_project example_project/_build/html"
    )


def test_make_test_installs_the_extras_and_lists_skip_reasons(tmp_path):
    plan = make_plan("test", tmp_path)
    assert any('-e ".[test,docs]"' in line for line in plan)
    assert plan[-1].startswith("PYTHONDONTWRITEBYTECODE= ")
    assert plan[-1].endswith("pytest -n auto --dist loadfile --no-loadscope-reorder -rs")
