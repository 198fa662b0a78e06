"""The example spec: a password-reset feature of a small web service."""

project = "Acme Accounts — Password Reset"
author = "Acme platform team"
copyright = "2026, Acme"

extensions = ["myst_parser", "sphinx_techspec"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "alabaster"

# Coverage gates: `sphinx-build -W` fails on an approved requirement that no component implements.
techspec_coverage_rules = [
    {"type": "requirement", "link": "implements", "statuses": ["approved"]},
]

# Interchange: also write spec.reqif (ReqIF 1.2) for DOORS, Polarion, Jama or Capella.
techspec_export_reqif = True
