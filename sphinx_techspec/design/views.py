"""View directives: ``error-catalog``, ``api-index`` and ``er-diagram``.

They take the shared filter options (``:types:``, ``:status:``, ``:tags:``,
``:docs:``, ``:ids:`` …) and their own; the renderers are in :mod:`.resolve`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from ..model import split_list
from ..options import text_option
from ..view import ViewDirective, ViewNode


class ErrorCatalogDirective(ViewDirective):
    default_types = ("error-code",)

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        return ("error-code", "api-endpoint")


class ApiIndexDirective(ViewDirective):
    default_types = ("api-endpoint",)
    own_options: ClassVar[dict[str, Any]] = {"components": text_option}

    def configure(self, node: ViewNode) -> None:
        node["components"] = split_list(self.options.get("components"))
        self.note_option_location(node, "components")

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        return ("api-endpoint", "component")


class ErDiagramDirective(ViewDirective):
    default_types = ("data-model",)
    own_options: ClassVar[dict[str, Any]] = {"models": text_option, "caption": text_option}

    def configure(self, node: ViewNode) -> None:
        node["models"] = split_list(self.options.get("models"))
        node["caption"] = " ".join((self.options.get("caption") or "").split())

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        return ("data-model",)
