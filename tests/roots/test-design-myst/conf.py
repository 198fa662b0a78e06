extensions = ["myst_parser", "sphinx_techspec"]
project = "design-myst"
