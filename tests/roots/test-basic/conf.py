extensions = ["sphinx_techspec"]
project = "basic"
