"""Change control: item fingerprints, suspect links, baselines and what changed since.

- Every item has a fingerprint (:mod:`.records`) of its content, in techspec.json
  with its text, so a later build can compare against it.
- ``techspec.lock`` (:mod:`.lock`) records each link's target fingerprint when the
  link was reviewed; a target that changed since makes the link *suspect*
  (:mod:`.build`), shown on cards, in the ``suspect-links`` view and as a warning.
- ``techspec_baseline`` (:mod:`.baseline`) names an earlier techspec.json; the
  ``changes-since`` view (:mod:`.views`) shows items added, removed and changed.
- ``sphinx-techspec review | suspects | diff`` (:mod:`.commands`).

Declared with the feature contract (:mod:`sphinx_techspec.feature`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..config import BOOLEAN, NAME_LIST
from ..feature import ConfigValue, Feature
from ..view import View
from .baseline import GIT_PREFIX
from .build import STORE, check_changes, export_keys, suspect_marks
from .commands import COMMANDS
from .editorial import CHANGE
from .records import DEFAULT_IGNORED_FIELDS
from .views import (
    ChangesSinceDirective,
    SuspectLinksDirective,
    render_changes,
    render_suspect_links,
)


def _baseline_setting(value: Any, config: Any) -> Iterable[str]:
    if value.startswith(GIT_PREFIX) and not value[len(GIT_PREFIX) :].partition(":")[0].strip():
        yield f"{value!r} names no commit: write 'git:REF' or 'git:REF:PATH' (git:v1.0)"


FEATURE = Feature(
    name="change_control",
    config_values=(
        ConfigValue(
            "techspec_lock_file",
            "techspec.lock",
            {"type": "string", "minLength": 1},
            rebuild="html",
            description="the lock file of reviewed links, relative to conf.py",
        ),
        ConfigValue(
            "techspec_baseline",
            "",
            {"type": "string"},
            rebuild="html",
            check=_baseline_setting,
            description="techspec.json of an earlier build (a path or git:REF[:PATH])",
        ),
        ConfigValue(
            "techspec_unreviewed_links_suspect",
            False,
            BOOLEAN,
            rebuild="html",
            description="whether a link with no entry in the lock file is suspect",
        ),
        ConfigValue(
            "techspec_fingerprint_ignore",
            list(DEFAULT_IGNORED_FIELDS),
            NAME_LIST,
            description="fields left out of item fingerprints",
        ),
        ConfigValue(
            "techspec_approved_statuses",
            ["approved", "implemented", "verified"],
            NAME_LIST,
            rebuild="html",
            description="statuses whose items need re-approval when they change",
        ),
    ),
    views=(
        View("changes-since", ChangesSinceDirective, render_changes),
        View("suspect-links", SuspectLinksDirective, render_suspect_links),
    ),
    checks=(check_changes,),
    stores=(STORE,),
    link_marks=(suspect_marks,),
    item_export=(export_keys,),
    commands=COMMANDS,
    item_fields={"*": (CHANGE,)},
    warnings={
        "editorial_used": "an item still marked ':change: editorial' changed again after the "
        "marker was used (the change makes links suspect)",
        "suspect": "a link's target changed since the link was reviewed (techspec.lock)",
        "changed_approved": "an item with an approved (or later) status changed since the baseline",
        "bad_lock": "the lock file (or one entry of it) cannot be read, or is of a newer format",
        "stale_lock": "a lock entry names a link or an item that no longer exists",
        "bad_baseline": "the baseline cannot be read: missing, corrupt, newer format, bad git ref",
    },
)
