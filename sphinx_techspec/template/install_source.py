"""Where this copy of sphinx-techspec came from, as a line of ``requirements.txt``.

Before sphinx-techspec is on an index, ``sphinx-techspec>=0.1`` installs nothing on
a fresh machine or on ReadTheDocs. pip records how it installed a distribution
(PEP 610, ``direct_url.json``): a local directory, a VCS checkout or an archive
URL. ``init`` names that source, so the project it writes installs and builds
anywhere the source can be reached.
"""

from __future__ import annotations

import importlib.metadata
import json
from typing import Any

DISTRIBUTION = "sphinx-techspec"
#: What ``requirements.txt`` names for a copy installed from an index.
INDEX_REQUIREMENT = "sphinx-techspec>=0.1"


def direct_url() -> dict[str, Any] | None:
    """This installation's ``direct_url.json``, or ``None`` (from an index, or unreadable)."""
    try:
        text = importlib.metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return None
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("url"), str) else None


def requirement_from(data: dict[str, Any] | None) -> str:
    """The requirement line for a PEP 610 record (``None``: installed from an index)."""
    if data is None:
        return INDEX_REQUIREMENT
    url = data["url"]
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and isinstance(vcs.get("vcs"), str):
        commit = vcs.get("commit_id") or vcs.get("requested_revision") or ""
        revision = f"@{commit}" if commit else ""
        return f"{DISTRIBUTION} @ {vcs['vcs']}+{url}{revision}"
    return f"{DISTRIBUTION} @ {url}"  # a local directory or an archive


def installed_requirement() -> str:
    """The requirement line naming where this copy of sphinx-techspec came from."""
    return requirement_from(direct_url())
