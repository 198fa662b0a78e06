extensions = ["sphinx_techspec"]
project = "bad-config"
techspec_link_types = [
    {"name": "mitigates"},
    {"name": "covers", "reverse": "covered by", "targets": ["no-such-type"]},
    "not a dict",
]
techspec_item_types = [{"name": "hazard", "fields": [{"name": "level", "kind": "colour"}]}]
techspec_id_pattern = "[unclosed"
