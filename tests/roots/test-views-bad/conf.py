extensions = ["sphinx_techspec"]
project = "views-bad"
techspec_coverage_rules = [
    {"type": "requirement", "link": "verifies"},
    {"type": "no-such-type", "link": "verifies"},
    {"type": "requirement", "link": "no-such-link"},
    "not a dict",
]
