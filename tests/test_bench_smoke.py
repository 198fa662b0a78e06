"""Smoke test of the benchmark: the generated techspec project still builds warning-free.

No timing here (CI machines are shared and noisy); ``bench/run.py`` measures.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH_DIR = Path(__file__).parent.parent / "bench"


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    """``bench/generate.py``, a script rather than a package module."""
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH_DIR / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_generated_techspec_project_builds_without_warnings(
    generate: ModuleType, tmp_path: Path
) -> None:
    source = generate.write_form(generate.make_spec(100), "techspec", tmp_path / "src", views=True)
    html = tmp_path / "html"
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html",
         "-w", str(tmp_path / "warnings.txt"), str(source), str(html)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "warnings.txt").read_text() == ""

    # Reverse links and both views are really rendered, not left as placeholders.
    spec = generate.make_spec(100)
    requirement = next(i for i in spec.of_type("requirement") if "verifies" in
                       spec.incoming.get(i.id, {}))  # fmt: skip
    tester = spec.incoming[requirement.id]["verifies"][0]
    page = (html / f"{requirement.page}.html").read_text()
    assert "Verified by" in page
    assert f"{spec.by_id(tester).page.split('/')[-1]}.html#{tester}" in page
    matrix = (html / "matrix.html").read_text()
    assert all(i.id in matrix for i in spec.of_type("requirement"))
    assert "Coverage rules" in (html / "coverage.html").read_text()


def test_same_seed_gives_the_same_project(generate: ModuleType, tmp_path: Path) -> None:
    first = generate.generate(100, tmp_path / "a", ["techspec", "plain"], seed=7, views=True)
    again = generate.generate(100, tmp_path / "b", ["techspec", "plain"], seed=7, views=True)
    other = generate.generate(100, tmp_path / "c", ["techspec"], seed=8, views=True)
    for form in ("techspec", "plain"):
        files = sorted(p.relative_to(first[form]) for p in first[form].rglob("*.rst"))
        assert len(files) == 3 + 100 // generate.ITEMS_PER_PAGE
        for name in files:
            assert (first[form] / name).read_text() == (again[form] / name).read_text()
    page = "requirements/page-0001.rst"
    assert (first["techspec"] / page).read_text() != (other["techspec"] / page).read_text()
