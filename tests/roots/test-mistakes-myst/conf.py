extensions = ["myst_parser", "sphinx_techspec"]
project = "twenty mistakes (MyST)"
exclude_patterns = ["_build"]
techspec_test_results = ["report.xml"]
techspec_statusses = ["draft", "approved"]
