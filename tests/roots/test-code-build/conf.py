"""Code references in a build: two requirements on pages of their own, code naming them."""

extensions = ["sphinx_techspec"]
project = "code-build"
exclude_patterns = ["_build"]
techspec_code_paths = ["src/**/*.py", "src/**/*.js", "checks/**/*.py"]
