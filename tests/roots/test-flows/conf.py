extensions = ["myst_parser", "sphinx_techspec"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
