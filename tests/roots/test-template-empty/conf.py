extensions = ["sphinx_techspec"]
project = "template-empty"
