extensions = ["myst_parser", "sphinx_techspec"]
project = "lsp"
# The language server keeps stdout for the protocol: this line must go to stderr.
print("conf.py of the lsp test project was read")
techspec_item_types = [
    {
        "name": "hazard",
        "role": "haz",
        "fields": [{"name": "severity", "choices": ["minor", "major"]}],
    }
]
techspec_link_types = [
    {"name": "mitigates", "reverse": "mitigated by", "sources": ["requirement"], "targets": ["hazard"]}
]
