"""What the template's views share: the directive base over the one view base, cell text.

A template view shows every item of its types (narrowed by the shared filter
options) and may show items of other types too (``shows``), which the page is
rewritten for when they change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from ..view import ViewDirective, ViewNode


class TemplateViewDirective(ViewDirective):
    """A view whose page depends on ``shows`` (e.g. risks and what mitigates them)."""

    #: Item types whose changes change the view (``None``: any type).
    shows: ClassVar[tuple[str, ...] | None] = None

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        return self.shows


def field_text(value: Any) -> str:
    if value in (None, "", []):
        return ""
    return ", ".join(value) if isinstance(value, list) else str(value)
