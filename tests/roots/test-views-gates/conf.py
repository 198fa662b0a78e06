extensions = ["sphinx_techspec"]
project = "views-gates"
techspec_coverage_rules = [
    {"type": "requirement", "link": "verifies"},
    {"type": "requirement", "link": "implements", "statuses": ["approved"]},
    {"type": "test-case", "link": "verifies", "gate": False},
]
