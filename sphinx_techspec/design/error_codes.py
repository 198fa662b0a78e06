"""``.. error-code:: USER_NOT_FOUND``: an error a client can get, and who returns it."""

from __future__ import annotations

from typing import Any

from ..diagnostics import warn
from ..directives import ItemDirective


class ErrorCodeDirective(ItemDirective):
    """An error code; the title falls back to ``:message:``; "returned by" comes from links."""

    def parse_signature(self) -> tuple[str, str]:
        item_id, title = super().parse_signature()
        return item_id, title or " ".join((self.options.get("message") or "").split())

    def extra_fields(self, item_id: str) -> dict[str, Any]:
        raw = (self.options.get("http-status") or "").strip()
        if raw.isdigit() and (len(raw) > 3 or not 100 <= int(raw) <= 599):
            warn(
                f"{item_id}: :http-status: {raw[:20]} is not an HTTP status (100-599)",
                "bad_value",
                self.get_location(),
            )
        return {}
