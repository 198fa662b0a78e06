"""Reading an OpenAPI description (3.0 or 3.1, YAML or JSON) as plain, bounded data.

The importer and the drift check both read a file somebody else wrote. It is
read once, as JSON or through PyYAML's ``safe_load``, and turned into plain JSON
data (string keys, no dates, no shared or cyclic YAML aliases) within fixed
limits, so every later step walks a tree. ``$ref`` is followed only inside the
file (``#/...``); a reference to another file or a URL is reported, never read.
"""

from __future__ import annotations

import copy
import datetime
import math
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..foreign_json import ForeignJSONError, load_json

#: Limits of a description: far beyond real services, far below what hurts.
MAX_BYTES = 20 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 200
MAX_REF_CHAIN = 64
#: Validation problems reported per file; the first ones say enough.
MAX_PROBLEMS = 10


class OpenApiError(Exception):
    """A file that cannot be read as an OpenAPI description at all; the message says why."""


class RefProblem(ValueError):
    """A ``$ref`` that is not followed: external, dangling or part of a cycle."""


@dataclass
class OpenApiSource:
    """A read description: its data, its OpenAPI version and what is wrong with it."""

    path: Path
    document: dict[str, Any]
    version: str
    problems: list[str] = field(default_factory=list)


#: Lone surrogates (no encoder writes them) and control characters (no page shows them).
_UNWRITABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _text(value: str, budget: list[int]) -> str:
    """``value`` with what no page shows replaced by U+FFFD; ``budget[1]`` counts the
    strings that had some."""
    cleaned = _UNWRITABLE.sub("\ufffd", value)
    budget[1] += cleaned != value
    return cleaned


def _plain(value: Any, depth: int, active: set[int], budget: list[int]) -> Any:
    """Plain JSON data within the limits; ``budget``: values left, strings changed."""
    budget[0] -= 1
    if budget[0] < 0:
        raise OpenApiError(f"it holds more than {MAX_NODES} values (YAML aliases expanded)")
    if depth > MAX_DEPTH:
        raise OpenApiError(f"it is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict | list):
        if id(value) in active:
            raise OpenApiError("a YAML alias refers to itself (a cycle of anchors)")
        active.add(id(value))
        try:
            if isinstance(value, dict):
                return {
                    _text(_key(key), budget): _plain(item, depth + 1, active, budget)
                    for key, item in value.items()
                }
            return [_plain(item, depth + 1, active, budget) for item in value]
        finally:
            active.discard(id(value))
    if isinstance(value, float) and not math.isfinite(value):
        raise OpenApiError(f"it holds the number {value}, which JSON cannot hold")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return _text(value.decode("utf-8", "replace"), budget)
    if isinstance(value, str):
        return _text(value, budget)
    if value is None or isinstance(value, int | float | bool):
        return value
    return _text(str(value), budget)


def _key(key: Any) -> str:
    """YAML keys may be numbers (``200:``) or booleans; OpenAPI means their text."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, datetime.date | datetime.datetime):
        return key.isoformat()
    return str(key)


def parse_text(text: str, name: str, notes: list[str] | None = None) -> Any:
    """JSON or YAML text as Python data; :class:`OpenApiError` says what is wrong and where.

    JSON is read by the one reader of foreign JSON
    (:func:`~sphinx_techspec.foreign_json.load_json`); what it replaced goes to ``notes``.
    """
    import yaml

    if text.lstrip().startswith(("{", "[")):
        try:
            loaded = load_json(text)
        except ForeignJSONError as exc:
            if not exc.message.startswith("not valid JSON"):
                raise OpenApiError(f"{name}: {exc.located()}") from None
            # YAML flow style, or broken JSON: YAML says where
        else:
            if loaded.replaced and notes is not None:
                notes.append(loaded.note())
            return loaded.value
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(text, Loader=loader)  # a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise OpenApiError(f"{name}: not valid YAML or JSON{where}: {problem}") from None
    except (ValueError, RecursionError) as exc:  # PyYAML's int() of over 4,300 digits
        raise OpenApiError(f"{name}: cannot be read: {' '.join(str(exc).split())[:200]}") from None


def read_document(path: Path, notes: list[str] | None = None) -> dict[str, Any]:
    """The file as plain JSON data, if it is an OpenAPI 3.0 or 3.1 document.

    Characters replaced on reading (control characters, lone surrogates) are noted in
    ``notes``.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise OpenApiError(f"{path}: {size} bytes is more than the {MAX_BYTES} read")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise OpenApiError(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise OpenApiError(f"{path}: not UTF-8 text ({exc.reason})") from None
    data = parse_text(text, str(path), notes)
    budget = [MAX_NODES, 0]
    try:
        document = _plain(data, 0, set(), budget)
    except OpenApiError as exc:
        raise OpenApiError(f"{path}: {exc}") from None
    except RecursionError:
        raise OpenApiError(f"{path}: it is nested too deeply to read") from None
    if not isinstance(document, dict):
        raise OpenApiError(f"{path}: not an OpenAPI description (no top-level mapping)")
    if budget[1] and notes is not None:
        strings = "a string holds" if budget[1] == 1 else f"{budget[1]} strings hold"
        notes.append(f"{strings} control characters or lone surrogates; they are read as U+FFFD")
    version = str(document.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        found = repr(version) if version else "none"
        hint = " (Swagger 2.0: convert it to OpenAPI 3 first)" if "swagger" in document else ""
        raise OpenApiError(f"{path}: OpenAPI version {found} is not 3.0 or 3.1{hint}")
    return document


def load_openapi(path: Path, validate: bool = True) -> OpenApiSource:
    """Read and (optionally) validate a description; problems are listed, not raised."""
    notes: list[str] = []
    document = read_document(path, notes)
    source = OpenApiSource(path, document, str(document["openapi"])[:3], notes)
    external = sorted({ref for ref, _where in iter_refs(document) if not ref.startswith("#")})
    for ref in external[:MAX_PROBLEMS]:
        source.problems.append(f"external reference {ref[:120]!r} is not followed")
    if len(external) > MAX_PROBLEMS:
        source.problems.append(f"... and {len(external) - MAX_PROBLEMS} more external references")
    if validate:
        source.problems += validation_problems(document, source.version)
    return source


def iter_refs(value: Any, where: str = "#") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string in ``value`` with the JSON pointer of the object holding it."""
    stack = [(value, where)]
    while stack:
        current, pointer = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref, pointer
            for key, item in current.items():
                stack.append((item, f"{pointer}/{_escape(key)}"))
        elif isinstance(current, list):
            stack.extend((item, f"{pointer}/{index}") for index, item in enumerate(current))


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def validation_problems(document: dict[str, Any], version: str) -> list[str]:
    """What openapi-spec-validator finds, on a copy whose external ``$ref``s are emptied.

    The validator would otherwise open the files and URLs they name.
    """
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    local = copy.deepcopy(document)
    _empty_external_refs(local)
    validator_class = OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator
    problems: list[str] = []
    try:
        for error in validator_class(local).iter_errors():
            path = "/".join(str(p) for p in getattr(error, "absolute_path", ()) or ())
            text = str(getattr(error, "message", error))
            message = " ".join(text.split("\n\n")[0].split("Failed validating")[0].split())[:200]
            problems.append(f"not valid OpenAPI {version} at /{path}: {message}")
            if len(problems) >= MAX_PROBLEMS:
                break
    except RecursionError:
        problems.append(f"cannot be checked as OpenAPI {version}: its references nest too deeply")
    except Exception as exc:  # the validator itself failed on this document
        text = " ".join(str(exc).split())[:200]
        problems.append(f"cannot be checked as OpenAPI {version}: {type(exc).__name__}: {text}")
    return problems


def _empty_external_refs(value: Any) -> None:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                current.clear()
                continue
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def pointer_target(document: dict[str, Any], ref: str) -> Any:
    """What the local reference ``#/a/b`` points at; :class:`RefProblem` when it cannot."""
    if not ref.startswith("#"):
        raise RefProblem(f"external reference {ref[:120]!r} is not followed")
    target: Any = document
    pointer = urllib.parse.unquote(ref[1:])
    if pointer and not pointer.startswith("/"):
        raise RefProblem(f"reference {ref[:120]!r} is not a JSON pointer")
    for part in pointer.split("/")[1:] if pointer else []:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and key in target:
            target = target[key]
        elif isinstance(target, list) and key.isdigit() and int(key) < len(target):
            target = target[int(key)]
        else:
            raise RefProblem(f"reference {ref[:120]!r} points at nothing")
    return target


def deref(document: dict[str, Any], value: Any) -> Any:
    """``value`` with its chain of ``$ref``s followed (``RefProblem`` on a cycle or dangling)."""
    chain: list[str] = []
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        ref = value["$ref"]
        if ref in chain:
            raise RefProblem("reference cycle: " + " -> ".join([*chain, ref])[:200])
        if len(chain) >= MAX_REF_CHAIN:
            raise RefProblem(f"more than {MAX_REF_CHAIN} references in a row")
        chain.append(ref)
        value = pointer_target(document, ref)
    return value


def schema_ref_name(ref: str) -> str | None:
    """``#/components/schemas/Pet`` → ``Pet`` (``None`` for any other reference)."""
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix) or "/" in ref[len(prefix) :]:
        return None
    return urllib.parse.unquote(ref[len(prefix) :]).replace("~1", "/").replace("~0", "~")
