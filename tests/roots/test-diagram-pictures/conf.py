extensions = ["sphinx_techspec"]
exclude_patterns = ["_build"]
project = "Pictures"
copyright = "2026, tests"
version = "1.0"
