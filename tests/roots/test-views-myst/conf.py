extensions = ["myst_parser", "sphinx_techspec"]
project = "views-myst"
