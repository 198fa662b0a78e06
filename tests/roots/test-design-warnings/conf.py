extensions = ["sphinx_techspec"]
project = "design-warnings"
