"""A spec exported as ReqIF: bodies with lists, tables, code; sections; links; a flag field."""

extensions = ["sphinx_techspec"]
project = "reqif"
techspec_export_reqif = True
techspec_item_types = [
    {"name": "hazard", "label": "Hazard", "fields": [{"name": "safety-relevant", "kind": "flag"}]}
]
