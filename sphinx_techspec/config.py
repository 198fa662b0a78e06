"""One checked configuration: every ``techspec_*`` value against its JSON Schema.

Each feature declares its values (:class:`~sphinx_techspec.feature.ConfigValue`);
this module registers them and checks them all at ``config-inited``, before any
other handler reads them. A value that does not fit gives one
``techspec.bad_config`` warning at its ``conf.py`` line and the default is used
(a bad entry of a list is dropped alone). Nothing here may raise.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from .diagnostics import warn
from .feature import ConfigValue, config_values
from .suggestions import did_you_mean

#: At most this many problems are reported per value; the first ones say enough.
MAX_PROBLEMS = 10


def register_config_values(app: Sphinx) -> None:
    """Declare every feature's values; their types are checked by us, not by Sphinx."""
    for value in config_values().values():
        app.add_config_value(
            value.name,
            copy.deepcopy(value.default),
            value.rebuild,  # type: ignore[arg-type]
            types=Any,  # type: ignore[arg-type]
            description=value.description,
        )


def check_config(app: Sphinx, config: Config) -> None:
    """Replace every malformed value by its default (or drop its bad entries), warning once."""
    conf_lines = _conf_lines(app)
    report_unknown_names(app, config, conf_lines)
    for declared in config_values().values():
        value = getattr(config, declared.name, declared.default)
        if value is declared.default or _is_default(value, declared.default):
            continue  # defaults are valid: no jsonschema import (50 ms) for them
        checked, problems = checked_value(declared, value, config)
        where = config_location(app, declared.name, conf_lines)
        for problem in problems[:MAX_PROBLEMS]:
            warn(problem, "bad_config", where)
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            warn(f"{declared.name}: and {more} more problems like these", "bad_config", where)
        if problems:
            setattr(config, declared.name, checked)


def _is_default(value: Any, default: Any) -> bool:
    """Equal to the default, and of its type (``0`` is not ``False``).

    Sphinx hands out a copy of a list default, so identity alone misses it.
    """
    try:
        return type(value) is type(default) and bool(value == default)
    except Exception:  # a value whose comparison fails is checked the long way
        return False


def checked_value(declared: ConfigValue, value: Any, config: Any) -> tuple[Any, list[str]]:
    """The value to use and the problems found (empty: ``value`` itself is fine).

    A problem inside an entry of a list drops that entry alone (the innermost
    list entry holding it: a bad field of an item type, not the item type).
    """
    from jsonschema import Draft202012Validator  # only when conf.py sets the value

    validator = Draft202012Validator(declared.schema)
    try:
        errors = list(validator.iter_errors(value))
    except Exception as exc:  # a value jsonschema cannot walk (e.g. a cyclic list)
        return copy.deepcopy(declared.default), [f"{declared.name}: cannot be read ({exc})"]
    if not errors:
        problems = _semantic_problems(declared, value, config)
        if problems:
            problems[-1] += "; using the default"
            return copy.deepcopy(declared.default), problems
        return value, []
    errors = [_specific(error) for error in errors]
    pruned = _without_bad_entries(value, errors)
    if pruned is not None and not any(True for _ in validator.iter_errors(pruned)):
        problems = [f"{describe_error(declared.name, e)}; the entry is left out" for e in errors]
        semantic = _semantic_problems(declared, pruned, config)
        if semantic:
            return copy.deepcopy(declared.default), [*problems, *semantic]
        return pruned, problems
    problems = [describe_error(declared.name, error) for error in errors]
    problems[-1] += "; using the default"
    return copy.deepcopy(declared.default), problems


def _specific(error: Any) -> Any:
    """For ``anyOf``/``oneOf``, the error inside the branch the value was meant for.

    That is a branch whose type fits the value; when none fits, the ``anyOf``
    error itself (described by the types it allows).
    """
    while error.validator in ("anyOf", "oneOf") and error.context:
        wrong_branch = {
            e.relative_schema_path[0]
            for e in error.context
            if e.validator in ("type", "const") and not e.relative_path
        }
        fitting = [e for e in error.context if e.relative_schema_path[0] not in wrong_branch]
        if not fitting:
            return error
        error = max(fitting, key=lambda e: len(e.absolute_path))
    return error


def _allowed_kinds(schema: Mapping[str, Any]) -> list[str]:
    kinds: list[str] = []
    for branch in schema.get("anyOf", schema.get("oneOf", ())):
        if "const" in branch:
            kinds.append(repr(branch["const"]))
        elif "type" in branch:
            kind = branch["type"]
            kinds.extend(kind if isinstance(kind, list) else [kind])
    return kinds


def _without_bad_entries(value: Any, errors: list[Any]) -> Any:
    """A copy of ``value`` without each list entry that holds an error; ``None``: impossible."""
    cuts: set[tuple[Any, ...]] = set()
    for error in errors:
        path = list(error.absolute_path)
        last_index = max((n for n, part in enumerate(path) if isinstance(part, int)), default=-1)
        if last_index < 0:
            return None
        cuts.add(tuple(path[: last_index + 1]))
    pruned = copy.deepcopy(value)
    by_parent: dict[tuple[Any, ...], set[int]] = {}
    for cut in cuts:
        by_parent.setdefault(cut[:-1], set()).add(cut[-1])
    # Deepest lists first, so the paths to the shallower ones stay valid; each list
    # is rebuilt once (deleting entries one by one is quadratic in a huge list).
    for parent_path in sorted(by_parent, key=len, reverse=True):
        parent = pruned
        for part in parent_path:
            parent = parent[part]
        if not isinstance(parent, list):
            return None
        drop = by_parent[parent_path]
        parent[:] = [entry for position, entry in enumerate(parent) if position not in drop]
    return pruned


def _semantic_problems(declared: ConfigValue, value: Any, config: Any) -> list[str]:
    if declared.check is None:
        return []
    try:
        return [f"{declared.name}: {problem}" for problem in declared.check(value, config)]
    except Exception as exc:  # a check must not break the build, whatever the value
        return [f"{declared.name}: cannot be checked ({type(exc).__name__}: {exc})"]


#: JSON Schema's type names as a conf.py author knows them.
PYTHON_WORDS = {
    "array": "a list",
    "object": "a dict",
    "string": "a string",
    "boolean": "True or False",
    "integer": "a whole number",
    "number": "a number",
    "null": "None",
}


def describe_error(name: str, error: Any) -> str:
    """One line a user can act on: where in the value, what is wrong, a close key."""
    where = name + "".join(f"[{part!r}]" for part in error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(str(key) for key in error.instance if key not in allowed)
        hints = []
        for key in unknown:
            hints.append(f"{key!r}" + did_you_mean(key, allowed))
        return f"{where}: unknown key {', '.join(hints)}; known keys: {', '.join(allowed)}"
    if error.validator == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        words = " or ".join(PYTHON_WORDS.get(kind, kind) for kind in expected)
        return f"{where} must be {words}, not {type(error.instance).__name__}"
    if error.validator in ("anyOf", "oneOf"):
        kinds = " or ".join(
            dict.fromkeys(PYTHON_WORDS.get(k, k) for k in _allowed_kinds(error.schema))
        )
        return f"{where} must be {kinds}, not {type(error.instance).__name__}"
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not one of: " + ", ".join(
            map(str, error.validator_value)
        )
    if error.validator == "required":
        return f"{where}: {error.message}"
    return f"{where}: {_short(error.message)}"


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_unknown_names(app: Sphinx, config: Config, conf_lines: list[str]) -> None:
    """A ``techspec_*`` name in conf.py that no feature declares (``techspec_statusses``):
    Sphinx keeps unknown names without a word, so the value would be silently unused."""
    declared = config_values()
    for name in sorted(getattr(config, "_raw_config", {})):
        if name.startswith(PREFIX) and name not in declared:
            warn(
                f"unknown configuration value {name!r}{did_you_mean(name, declared)}; "
                "it is not used",
                "bad_config",
                config_location(app, name, conf_lines),
            )


#: The prefix of every sphinx-techspec configuration value.
PREFIX = "techspec_"


def _conf_lines(app: Sphinx) -> list[str]:
    if not app.confdir:
        return []
    try:
        return (Path(app.confdir) / "conf.py").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def config_location(app: Sphinx, name: str, lines: list[str] | None = None) -> str:
    """``conf.py:line`` of the line that sets ``name`` (line 1 when it is not found)."""
    conf_py = Path(app.confdir or ".") / "conf.py"
    if lines is None:
        lines = _conf_lines(app)
    assignment = re.compile(rf"^\s*{re.escape(name)}\s*(\[|[-+*|]?=|:)")
    lineno = next((n for n, line in enumerate(lines, 1) if assignment.match(line)), None)
    if lineno is None:
        lineno = next((n for n, line in enumerate(lines, 1) if name in line), 1)
    return f"{conf_py}:{lineno}"


# -- schema building blocks shared by the features -------------------------------------

NAME_LIST: dict[str, Any] = {"type": "array", "items": {"type": "string", "minLength": 1}}
NON_EMPTY_NAME_LIST: dict[str, Any] = {**NAME_LIST, "minItems": 1}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
NAMES: dict[str, Any] = {"anyOf": [{"type": "string", "minLength": 1}, NAME_LIST]}


def strict_object(properties: Mapping[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object with exactly these keys (unknown keys are errors with a "did you mean")."""
    return {
        "type": "object",
        "properties": dict(properties),
        "required": list(required),
        "additionalProperties": False,
    }
