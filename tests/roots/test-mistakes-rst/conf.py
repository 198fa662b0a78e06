extensions = ["sphinx_techspec"]
project = "twenty mistakes (RST)"
exclude_patterns = ["_build"]
techspec_test_results = ["report.xml"]
techspec_statusses = ["draft", "approved"]
