"""A sphinx-needs project importing the needs.json that sphinx-techspec wrote."""

extensions = ["sphinx_needs"]
project = "importer"
needs_types = [
    {"directive": "requirement", "title": "Requirement", "prefix": "R_"},
    {"directive": "test-case", "title": "Test case", "prefix": "T_"},
    {"directive": "component", "title": "Component", "prefix": "C_"},
]
needs_links = {
    "verifies": {"incoming": "verified by", "outgoing": "verifies"},
    "implements": {"incoming": "implemented by", "outgoing": "implements"},
    "refines": {"incoming": "refined by", "outgoing": "refines"},
    "depends_on": {"incoming": "used by", "outgoing": "depends on"},
}
needs_fields = {
    "priority": {"nullable": True},
    "kind": {"nullable": True},
    "metric": {"nullable": True},
    # Change control's keys (sphinx_techspec.change_control, via Feature.item_export).
    "fingerprint": {"nullable": True},
    "text": {"nullable": True},
}
needs_id_regex = r"[A-Z]+-\d+|[A-Z]+"
