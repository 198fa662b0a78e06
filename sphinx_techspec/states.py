"""States you can see: inactive items marked where referenced, and the table script.

Which visual state a value has is the core's :mod:`.status_styles` (each state one
CSS class, ``techspec-state-<state>``, styled in ``techspec.css`` with a contrast
of at least 4.5:1 in light and dark themes). An item whose status is *inactive*
(rejected, deprecated, superseded, closed) carries that word as a mark wherever
it is referenced, so "Decided by: ADR-001" says ADR-001 was superseded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .feature import Feature, Mark
from .status_styles import state_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .domain import TechspecDomain
    from .model import Item


def inactive_marks(app: Sphinx, domain: TechspecDomain, item: Item) -> Iterable[Mark]:
    """``superseded`` / ``rejected`` / ``deprecated`` beside every reference to such an item."""
    status = item.fields.get("status")
    if status and state_of(app.config, status, item.type) == "inactive":
        yield Mark(str(status), "inactive", f"{item.id} is {status}")


def add_table_script(app: Sphinx) -> None:
    """Sorting and filtering of view tables: HTML builders only, never in PDF or text."""
    if app.builder.format == "html":
        app.add_js_file("techspec.js", loading_method="defer")


def setup_states(app: Sphinx) -> None:
    app.connect("builder-inited", add_table_script)


FEATURE = Feature(
    name="states",
    item_marks=(inactive_marks,),
    setup=setup_states,
)
