"""Change control in MyST: the same items and views as test-change, in Markdown."""

extensions = ["myst_parser", "sphinx_techspec"]
project = "change-myst"
exclude_patterns = ["_build"]
