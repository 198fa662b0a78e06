"""The language server and code: requirements named by markers in src/, design examples."""

extensions = ["myst_parser", "sphinx_techspec"]
project = "lsp-code"
exclude_patterns = ["_build"]
techspec_code_paths = ["src/**/*.py", "src/**/*.js"]
