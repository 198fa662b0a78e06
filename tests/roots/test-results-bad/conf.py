extensions = ["sphinx_techspec"]
project = "results-bad"
techspec_test_results = [
    "reports/*.xml",
    "reports/missing.xml",
    "nothing/*.xml",
]
