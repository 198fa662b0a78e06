"""The ``conf.py`` of an imported OpenAPI description: Python literals only.

Everything in it comes from the description (title, version, servers, security
schemes), so it is written with :func:`repr` and :func:`pprint.pformat` and
holds nothing but assignments of literals: reading the file runs no code from
the description.
"""

from __future__ import annotations

import pprint
from typing import Any


def conf_py(project: str, fmt: str, openapi: dict[str, Any], auth_schemes: dict[str, Any]) -> str:
    """The text of ``conf.py`` for a project written by ``import-openapi``."""
    extensions = ["sphinx_techspec", *(["myst_parser"] if fmt == "md" else [])]
    values: list[tuple[str, Any]] = [
        ("project", project),
        ("extensions", extensions),
        ("root_doc", "index"),
        ("exclude_patterns", ["_build", "import-report.txt"]),
        ("techspec_openapi", openapi),
        ("techspec_auth_schemes", auth_schemes),
    ]
    lines = ['"""Sphinx configuration written by sphinx-techspec import-openapi."""', ""]
    for name, value in values:
        lines.append(f"{name} = {pprint.pformat(value, width=96, sort_dicts=False)}")
    return "\n".join(lines) + "\n"
