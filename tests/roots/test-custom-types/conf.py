extensions = ["sphinx_techspec"]
project = "custom"
techspec_item_types = [
    {"name": "hazard", "label": "Hazard", "role": "haz",
     "fields": [{"name": "severity", "choices": ["low", "high"]}]},
]
techspec_link_types = [
    {"name": "mitigates", "reverse": "mitigated by", "sources": ["requirement"],
     "targets": ["hazard"]},
]
techspec_statuses = ["open", "closed"]
techspec_id_pattern = "[A-Z]+-[0-9]+"
