extensions = ["sphinx_techspec"]
exclude_patterns = ["_build"]
