"""Sphinx configuration of the sphinx-techspec user guide (built on ReadTheDocs).

The guide shows every directive's source and its live result (``_ext/live_example.py``),
publishes the JSON Schema of techspec.json at the URL its ``$schema`` names
(``schemas/``), and builds the example project into ``example/`` of the same site.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "_ext"))

project = "sphinx-techspec"
author = "sphinx-techspec developers"
copyright = "2026, sphinx-techspec developers"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_techspec",
    "sphinx.ext.intersphinx",
    "live_example",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build", "_ext"]
html_theme = "furo"
html_title = "sphinx-techspec"
html_static_path = ["_static"]


def publish_schemas(app, exception) -> None:
    """techspec.json's ``$schema`` names <site>/schemas/<file>: copy the package's schemas."""
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "schemas"
        target.mkdir(exist_ok=True)
        for schema in (ROOT / "sphinx_techspec" / "schemas").glob("*.json"):
            shutil.copyfile(schema, target / schema.name)


def build_example(app, exception) -> None:
    """The example project, built warning-free into <site>/example/ (linked from the guide)."""
    if exception is not None or app.builder.format != "html":
        return
    doctrees = Path(app.doctreedir) / "example"
    command = [sys.executable, "-m", "sphinx", "-W", "-n", "-q", "-b", "html", "-d", str(doctrees)]
    command += [str(ROOT / "example_project"), str(Path(app.outdir) / "example")]
    subprocess.run(command, check=True)


def setup(app) -> None:
    app.connect("build-finished", publish_schemas)
    app.connect("build-finished", build_example)
