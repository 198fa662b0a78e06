"""Sphinx configuration of the sphinx-techspec user guide (built on ReadTheDocs)."""

project = "sphinx-techspec"
author = "sphinx-techspec developers"
copyright = "2026, sphinx-techspec developers"

extensions = ["myst_parser", "sphinx_techspec", "sphinx.ext.intersphinx"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "sphinx-techspec"
