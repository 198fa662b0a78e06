extensions = ["myst_parser", "sphinx_techspec"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
copyright = "2026, tests"
version = "1.0"
