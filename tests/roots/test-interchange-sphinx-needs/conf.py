"""A small sphinx-needs project: its needs.json is what sphinx-techspec imports and migrates."""

extensions = ["sphinx_needs"]
project = "legacy"
needs_build_json = True
needs_id_regex = r"[A-Z_]+"
needs_types = [
    {"directive": "req", "title": "Requirement", "prefix": "R_"},
    {"directive": "test", "title": "Test", "prefix": "T_"},
]
needs_links = {"tests": {"incoming": "tested by", "outgoing": "tests"}}
needs_fields = {"owner": {"nullable": True}}
