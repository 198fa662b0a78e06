"""The pytest plugin of sphinx-techspec: which spec items a test verifies, in its JUnit XML.

Installed with sphinx-techspec (entry point ``pytest11``), so every pytest session
knows two markers::

    @pytest.mark.verifies("REQ-001", "REQ-002")  # the requirements this test verifies
    @pytest.mark.test_case("TC-001")  # the test-case item this test implements

Each ID becomes a ``<property name="verifies" value="REQ-001"/>`` of the test's
``<testcase>`` in pytest's own ``--junitxml`` report, through the test item's
``user_properties`` (the list ``record_property`` appends to; appending at collection
avoids that fixture's warning under the default ``junit_family``). sphinx-techspec's
``techspec_test_results`` reads them back.

This module is a top-level package of its own, not ``sphinx_techspec.pytest_plugin``:
importing a submodule runs ``sphinx_techspec/__init__.py``, which imports Sphinx,
and this plugin loads in every pytest session of every user. It imports nothing
but pytest.
"""

from __future__ import annotations

from typing import Any

import pytest

#: Marker name → the property name written for each of its IDs.
MARKERS = {"verifies": "verifies", "test_case": "test_case"}

_HELP = {
    "verifies": "verifies(*ids): the spec requirements this test verifies (sphinx-techspec)",
    "test_case": "test_case(*ids): the spec test-case items this test implements (sphinx-techspec)",
}


def pytest_configure(config: pytest.Config) -> None:
    for name in MARKERS:
        config.addinivalue_line("markers", _HELP[name])


def marker_ids(item: pytest.Item, name: str) -> list[str]:
    """The IDs of every ``name`` marker on ``item`` (function, class, module), in order.

    A marker without IDs, with a non-string or blank ID, or with keyword
    arguments is a usage error naming the test and its file and line.
    """
    found: dict[str, None] = {}
    for mark in item.iter_markers(name):
        problem = _problem(mark.args, mark.kwargs)
        if problem:
            raise pytest.UsageError(
                f"{_where(item)}: @pytest.mark.{name}{_signature(mark.args, mark.kwargs)} "
                f"{problem} (write @pytest.mark.{name}('ID-1', 'ID-2'))"
            )
        found.update(dict.fromkeys(str.__str__(arg).strip() for arg in mark.args))
    return list(found)


def _problem(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    if kwargs:
        return f"takes no keyword arguments (got {', '.join(sorted(kwargs))})"
    if not args:
        return "names no ID"
    for arg in args:
        if not isinstance(arg, str):
            return f"needs string IDs, not {type(arg).__name__} {_shown(arg)}"
        arg = str.__str__(arg)  # a str subclass is read as the plain string it holds
        if not arg.strip():
            return "has a blank ID"
        if "," in arg or len(arg.split()) > 1:
            return f"has an ID with a comma or a space ({arg!r}); give each ID as its own argument"
    return ""


def _shown(value: Any) -> str:
    """``repr(value)``, or a stand-in when that raises: a usage error must not crash pytest."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__} object whose repr() fails>"


def _signature(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    parts = [_shown(a) for a in args] + [f"{k}={_shown(v)}" for k, v in kwargs.items()]
    text = ", ".join(parts)
    return f"({text[:80]}{'…' if len(text) > 80 else ''})"


def _where(item: pytest.Item) -> str:
    path, lineno, _name = item.location
    line = f":{lineno + 1}" if lineno is not None else ""
    return f"{path}{line}: {item.nodeid}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Record the IDs as user properties; the JUnit XML report writes one property each."""
    for item in items:
        for name, property_name in MARKERS.items():
            for item_id in marker_ids(item, name):
                item.user_properties.append((property_name, item_id))
