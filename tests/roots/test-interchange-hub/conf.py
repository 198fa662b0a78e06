"""The hub: links the platform project's items (its techspec.json is copied in by the test)."""

extensions = ["sphinx_techspec"]
project = "hub"
techspec_external_projects = {"platform": "platform.json"}
techspec_coverage_rules = [{"type": "requirement", "link": "verifies"}]
