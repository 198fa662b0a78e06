extensions = ["sphinx_techspec"]
project = "reading"
techspec_statuses = ["draft", "approved", "rejected", "on-hold"]
techspec_status_styles = {"on-hold": "attention", "draft": "inactive"}
techspec_link_types = [
    {"name": "mitigates", "reverse": "mitigated by", "sources": ["test-case"],
     "targets": ["requirement"]},
    {"name": "explains", "reverse": "explained in", "sources": ["use-case"],
     "targets": ["requirement"]},
]
