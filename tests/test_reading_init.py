"""``sphinx-techspec init`` for ReadTheDocs: what it writes, and that it builds from it alone."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sphinx_techspec import __version__
from sphinx_techspec.cli import main

pytestmark = pytest.mark.slow(seconds=10)

ROOT = Path(__file__).resolve().parent.parent


def test_init_writes_hosting_files_and_conf_values(tmp_path, capsys):
    target = tmp_path / "spec"
    requirement = "sphinx-techspec @ git+https://example.com/sphinx-techspec.git@v0.1.0"
    argv = ["init", str(target), "--format", "md", "--author", "Ada", "--title", "Checkout"]
    assert main([*argv, "--requirement", requirement]) == 0
    assert "pip install -r" in capsys.readouterr().out
    lines = (target / "requirements.txt").read_text().splitlines()
    assert requirement in lines and "furo" in lines and "myst-parser" in lines
    rtd = yaml.safe_load((target / ".readthedocs.yaml").read_text())
    assert rtd["version"] == 2
    assert rtd["python"]["install"] == [{"requirements": "requirements.txt"}]
    assert rtd["sphinx"] == {"configuration": "conf.py", "fail_on_warning": True}
    assert "_build/" in (target / ".gitignore").read_text().splitlines()
    conf = runpy.run_path(str(target / "conf.py"))
    assert conf["project"] == "Checkout" and conf["author"] == "Ada"
    assert conf["copyright"].endswith(", Ada") and conf["copyright"][:4].isdigit()
    assert conf["version"] == conf["release"] == "0.1"
    assert conf["html_theme"] == "furo"  # installed with the test extra


def test_footer_and_guide_box_read_well(tmp_path):
    from sphinx.cmd.build import build_main

    target = tmp_path / "spec"
    assert main(["init", str(target)]) == 0
    assert build_main(["-W", "-n", "-q", "-b", "html", str(target), str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "requirements.html").read_text()
    # The footer names the year (furo writes "Copyright &#169; 2026"), never a bare "©.".
    assert re.search(r"(©|&#169;)\s*\d{4}", html)
    assert not re.search(r"(©|&#169;)\s*[.|]", html)
    assert "Use cases and requirements (template guide)" in html
    assert "Template guide: Use cases and requirements" not in html


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX virtual environment layout")
def test_init_output_builds_from_its_requirements_alone(tmp_path):
    """A simulated ReadTheDocs: a fresh venv installs only requirements.txt, from local wheels.

    The wheels are this checkout's and its dependencies' (pip's cache makes it quick); the
    fresh environment never reaches an index (``--no-index``). It gets no pip of its own:
    this pip installs into it (``--python``), and without compiling every module up front
    (``--no-compile``), which is what took the time; what gets installed is the same.
    """
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "-w", wheels, ROOT, "furo", "myst-parser"], check=True)
    target = tmp_path / "spec"
    argv = ["init", str(target), "--format", "md"]
    assert main([*argv, "--requirement", f"sphinx-techspec=={__version__}"]) == 0
    venv = tmp_path / "rtd"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    fresh = venv / "bin" / "python"
    install = [*pip, "--python", fresh, "install", "--no-compile", "--no-index"]
    requirements = target / "requirements.txt"
    subprocess.run([*install, "--find-links", wheels, "-r", requirements], check=True)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    out = tmp_path / "html"
    build = [fresh, "-m", "sphinx", "-W", "-n", "-q", "-b", "html", target, out]
    result = subprocess.run(build, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file() and (out / "_static" / "techspec.js").is_file()
    assert "furo" in (out / "index.html").read_text()


def test_schema_url_is_published_by_the_guide(tmp_path):
    """techspec.json's $schema names <guide>/schemas/<file>; the guide's build copies it there."""
    from types import SimpleNamespace

    from sphinx_techspec.exports.techspec_json import SCHEMA_FILE, SCHEMA_ID

    conf = runpy.run_path(str(ROOT / "docs" / "conf.py"))
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    conf["publish_schemas"](app, None)
    site = "https://sphinx-techspec.readthedocs.io/en/latest/"
    assert SCHEMA_ID.startswith(site)
    published = tmp_path / SCHEMA_ID.removeprefix(site)
    assert published.is_file() and published.name == SCHEMA_FILE
    assert yaml.safe_load(published.read_text())["$id"] == SCHEMA_ID


def test_requirement_line_names_where_this_copy_came_from(tmp_path, capsys):
    """Installed editable from this checkout: requirements.txt names it, as pip accepts."""
    import importlib.metadata

    from packaging.requirements import Requirement

    from sphinx_techspec.template.install_source import direct_url

    target = tmp_path / "spec"
    assert main(["init", str(target)]) == 0
    line = (target / "requirements.txt").read_text().splitlines()[1]
    requirement = Requirement(line)
    assert requirement.name == "sphinx-techspec"
    recorded = direct_url()
    if recorded is None:  # installed from an index: the index requirement
        assert line == "sphinx-techspec>=0.1"
        return
    assert requirement.url == recorded["url"]
    dist = importlib.metadata.distribution("sphinx-techspec")
    if recorded.get("dir_info", {}).get("editable"):
        assert Path(requirement.url.removeprefix("file://")).resolve() == ROOT
        assert "note: requirements.txt installs sphinx-techspec from this machine" in (
            capsys.readouterr().out
        )
    assert dist.metadata["Name"] == "sphinx-techspec"


def test_requirement_line_of_a_vcs_or_archive_install():
    from packaging.requirements import Requirement

    from sphinx_techspec.template.install_source import requirement_from

    vcs = {
        "url": "https://example.com/team/sphinx-techspec.git",
        "vcs_info": {"vcs": "git", "commit_id": "0a1b2c3d", "requested_revision": "main"},
    }
    line = requirement_from(vcs)
    assert line == ("sphinx-techspec @ git+https://example.com/team/sphinx-techspec.git@0a1b2c3d")
    assert Requirement(line).url == "git+https://example.com/team/sphinx-techspec.git@0a1b2c3d"
    archive = {"url": "https://example.com/sphinx_techspec-0.1.0.tar.gz", "archive_info": {}}
    assert requirement_from(archive) == (
        "sphinx-techspec @ https://example.com/sphinx_techspec-0.1.0.tar.gz"
    )
    assert requirement_from(None) == "sphinx-techspec>=0.1"


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_every_section_uses_its_own_item_types(tmp_path, fmt):
    from sphinx.cmd.build import build_main

    target = tmp_path / "spec"
    assert main(["init", str(target), "--format", fmt]) == 0
    out = tmp_path / "out"
    assert build_main(["-W", "-n", "-q", "-b", "text", str(target), str(out)]) == 0
    index = (out / "index.txt").read_text()
    for expected in (
        "1 API endpoint, 2 decisions",
        "1 sequence, 1 workflow",
        "1 error code",
        "3 data models",
        "1 risk",
        "2 environments",
        "1 metric",
        "1 dependency",
    ):
        assert expected in index, expected
    assert "missing" not in index
    database = (out / "database.txt").read_text()
    assert "erDiagram" in database or "Customer" in database
    errors = (out / "error-handling.txt").read_text()
    assert "ORDER_NOT_FOUND" in errors and "API-001" in errors  # the catalog names its endpoint
    assert "Error code" in (out / "appendices.txt").read_text()  # the glossary
