"""The one "did you mean" of sphinx-techspec, for every kind of unknown name.

IDs in links, roles and test markers, options, link types, item types, config
keys and command arguments are all suggested here, so a misspelling gets the same
kind of hint wherever it is made.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

#: How alike a name must be to be offered: IDs differ in a digit or two (``REQ-1``,
#: ``REQ-11``), so they need a closer match than words (``priorty``, ``priority``).
ID_CUTOFF = 0.8
WORD_CUTOFF = 0.6
#: Directive and role names replace docutils' own error, so they must be close: the
#: directive of an extension left out of conf.py (``mermaid``) is not a misspelt ``metric``.
MARKUP_CUTOFF = 0.75


def closest(name: str, candidates: Iterable[str], cutoff: float = WORD_CUTOFF) -> str | None:
    """The candidate most like ``name``: the same name in another case first, else the
    closest by :func:`difflib.get_close_matches`; ``None`` when none is close enough."""
    known = [str(candidate) for candidate in candidates]
    folded = name.casefold()
    for candidate in known:
        if candidate.casefold() == folded and candidate != name:
            return candidate
    close = difflib.get_close_matches(name, known, n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(
    name: str,
    candidates: Iterable[str],
    cutoff: float = WORD_CUTOFF,
    show: Callable[[str], str] = repr,
) -> str:
    """`` (did you mean 'X'?)`` for the closest candidate, ``""`` when none is close.

    ``show`` writes the suggestion as the user would write it (``:realises:``, ``{req}``).
    """
    found = closest(name, candidates, cutoff)
    return f" (did you mean {show(found)}?)" if found is not None else ""


def did_you_mean_id(item_id: str, candidates: Iterable[str]) -> str:
    """:func:`did_you_mean` for an item ID."""
    return did_you_mean(item_id, candidates, cutoff=ID_CUTOFF)


def option_name(name: str) -> str:
    """An option as written in a directive, in RST and MyST alike: ``:name:``."""
    return f":{name}:"


def did_you_mean_valid_id(written: str, pattern: re.Pattern[str]) -> str:
    """:func:`did_you_mean` for an ID ``pattern`` rejects: the valid ID most like it."""
    found = valid_id_like(written, pattern)
    return did_you_mean(written, [found] if found else [], cutoff=0.0)


def valid_id_like(written: str, pattern: re.Pattern[str]) -> str | None:
    """An ID like ``written`` that ``pattern`` accepts (``REQ/5`` → ``REQ-5``), or ``None``:
    other characters written as ``-``, then in upper case."""
    dashed = re.sub(r"[^A-Za-z0-9_.-]+", "-", written).strip("-")
    for candidate in (dashed, written.upper(), dashed.upper()):
        if candidate and candidate != written and pattern.fullmatch(candidate):
            return candidate
    return None
