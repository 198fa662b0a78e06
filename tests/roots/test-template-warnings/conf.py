extensions = ["sphinx_techspec"]
project = "template-warnings"
techspec_risk_gate = "high"
techspec_check_installed_versions = True
techspec_check_completeness = True
techspec_template = [
    "overview",
    {"name": "security", "title": "Security", "types": ["risk"]},
    {"name": "deployment", "title": "Deployment", "types": ["environment"]},
    {"name": "glossary", "title": "Glossary"},
    {"name": "operations", "title": "Operations", "types": ["no-such-type"]},
    {"name": "rollout", "headings": 7},
]
