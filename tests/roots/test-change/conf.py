"""Change control: two requirements, three tests, a changes view and a suspect-links view."""

extensions = ["sphinx_techspec"]
project = "change"
exclude_patterns = ["_build"]
