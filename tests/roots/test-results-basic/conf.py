extensions = ["sphinx_techspec"]
project = "results"
techspec_test_results = ["reports/*.xml"]
