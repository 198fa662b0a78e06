"""The check of code markers in a build: each names a known item its link type may reach.

A marker naming an unknown ID, or an item of a type its link type cannot point at
(``@implements TC-1`` for a test case), is a ``techspec.code_ref`` warning at the
source file and the marker's line (``/abs/path/file.py:12``), so editors and CI
annotations point at the code. A source file that cannot be read or is not UTF-8 text
is a ``techspec.code_file`` warning at that file (its markers were not seen); binary
and huge files are skipped on purpose and only counted, in one info line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..schema import SpecSchema
from ..suggestions import did_you_mean_id
from .model import SKIP_REASONS, CodeReference
from .store import absolute_path, state_of

logger = logging.getLogger(__name__)

#: Skipped files a user must hear about (a source file they named that could not be read).
WARNED_REASONS = frozenset({"undecodable", "unreadable"})


def check_code_refs(app: Sphinx, env: BuildEnvironment) -> None:
    """Phase ``checks``: one warning per wrong marker and per file that could not be read,
    one info line for the files skipped."""
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    state = state_of(domain)
    for reference in state.references:
        problem = problem_of(domain, reference)
        if problem:
            location = f"{absolute_path(app, reference.path)}:{reference.marker_line}"
            warn(code_ref_message(reference, problem), "code_ref", location)
    for skipped in state.skipped:
        if skipped.reason in WARNED_REASONS:
            location = f"{absolute_path(app, skipped.path)}:1"
            reason = SKIP_REASONS[skipped.reason]
            warn(f"{skipped.path}: {reason}; its markers were not read", "code_file", location)
    if state.skipped:
        counts = Counter(skipped.reason for skipped in state.skipped)
        parts = [
            f"{counts[reason]} {SKIP_REASONS[reason]}" for reason in SKIP_REASONS if counts[reason]
        ]
        total = len(state.skipped)
        logger.info(
            f"techspec_code_paths: {total} file{'s' * (total != 1)} not scanned "
            f"({', '.join(parts)})"
        )


def code_ref_message(reference: CodeReference, problem: str) -> str:
    """The ``code_ref`` warning of a wrong marker (the language server shows it too)."""
    return f"@{reference.link_type} {reference.item_id}: {problem}"


def problem_of(domain: TechspecDomain, reference: CodeReference) -> str:
    """Why the marker is wrong, or ``""``."""
    item = domain.get(reference.item_id)
    return marker_problem(
        domain.schema, reference, item.type if item else None, domain.items.keys()
    )


def marker_problem(
    schema: SpecSchema, reference: CodeReference, item_type: str | None, known: Iterable[str]
) -> str:
    """Why a marker naming an item of ``item_type`` (``None``: no such item) is wrong, or
    ``""``; ``known`` are the IDs a did-you-mean may suggest."""
    if item_type is None:
        hint = did_you_mean_id(reference.item_id, known)
        return f"no item has the ID {reference.item_id}{hint}"
    link = schema.link_types.get(reference.link_type)
    if link is not None and not link.allows_target(item_type):
        targets = " or ".join(schema.label(t).lower() for t in link.targets)
        return (
            f"{reference.item_id} is a {schema.label(item_type).lower()}; "
            f"{link.name} points at {targets} items only"
        )
    return ""
