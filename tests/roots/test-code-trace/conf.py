"""Code traceability: a use case, two requirements, a component, a test case, and code."""

extensions = ["sphinx_techspec"]
project = "code-trace"
exclude_patterns = ["_build"]
techspec_code_paths = ["src/**/*.py", "src/**/*.js", "checks/**/*.py"]
