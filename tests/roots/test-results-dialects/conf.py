extensions = ["myst_parser", "sphinx_techspec"]
project = "results-dialects"
techspec_test_results = ["reports/gtest.xml", "reports/TEST-*.xml"]
