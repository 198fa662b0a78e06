extensions = ["sphinx_techspec"]
project = "warnings"
