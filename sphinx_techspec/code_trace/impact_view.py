"""``.. impact::``: what ``sphinx-techspec impact`` prints, on a page of the build.

The starts are ``:ids:`` (items named), or the items changed since a baseline:
``:since: BASELINE`` (what ``techspec_baseline`` takes), or, with neither, the
``techspec_baseline`` comparison change control already made in this build. The
shared filter's other options (``:types:``, ``:status:`` …) narrow the changed items
that start the walk. The directive reads the code, change-control and test-result
stores, so a code edit, a new baseline or lock, or a new test report rewrites the
page. The page is drawn by :mod:`.impact_render`, imported only when a page has the
view (the walk's modules stay out of other builds).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from ..change_control.build import STORE_NAME as CHANGES
from ..change_control.build import confdir_of
from ..feature import app_of
from ..options import text_option
from ..test_results.state import STORE_NAME as RESULTS
from ..view import ViewDirective, ViewNode
from .store import STORE

#: The view's name.
IMPACT = "impact"


class ImpactDirective(ViewDirective):
    """``.. impact::``: ``:ids:`` or ``:since: BASELINE`` (default: ``techspec_baseline``)."""

    reads: ClassVar[tuple[str, ...]] = (STORE, CHANGES, RESULTS)
    own_options: ClassVar[dict[str, Any]] = {"since": text_option}

    def configure(self, node: ViewNode) -> None:
        since = (self.options.get("since") or "").strip()
        node["since"] = since
        setting = since or self.config.techspec_baseline
        if setting and not setting.startswith("git:"):
            path = (confdir_of(app_of(self.env)) / setting).resolve()
            if path.is_file():
                self.env.note_dependency(str(path))

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        return None  # the walk may reach an item of any type
