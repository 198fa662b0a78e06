extensions = ["myst_parser", "sphinx_techspec"]
project = "template-myst"
