extensions = ["sphinx_techspec"]
project = "views"
