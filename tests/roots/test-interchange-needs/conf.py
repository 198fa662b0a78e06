"""A spec that imports a sphinx-needs export (needs.json is copied in by the test)."""

extensions = ["sphinx_techspec"]
project = "importer"
techspec_statuses = ["open", "approved"]
