extensions = ["myst_parser", "sphinx_techspec"]
project = "lsp-warnings"
