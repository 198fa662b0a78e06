extensions = ["myst_parser", "sphinx_techspec"]
project = "first hour"
exclude_patterns = ["_build"]
