"""A sphinx-needs project shaped like the public automotive process descriptions:
link conditions, links to needs of other projects, types named like ours, needtables
and roles in need content. Its needs.json is what migrate-needs and needs-import read."""

extensions = ["sphinx_needs"]
project = "rich"
needs_build_json = True
needs_id_regex = r"[a-z0-9_]+"
needs_types = [
    {"directive": "std_req", "title": "Standard Requirement", "prefix": "std_req__"},
    {"directive": "gd_req", "title": "Process Requirement", "prefix": "gd_req__"},
    {"directive": "workflow", "title": "Workflow", "prefix": "wf__"},
    {"directive": "component", "title": "Component", "prefix": "comp__"},
]
needs_links = {
    "complies": {"incoming": "complied by", "outgoing": "complies"},
    "implements": {"incoming": "implemented by", "outgoing": "implements"},
}
needs_fields = {
    "version": {"nullable": True},
    "safety_level": {"nullable": True},
}
