"""What the commands know about the spec without building it: conf.py and the last build.

Like ``sphinx-techspec suspects``, the commands work in the spec's folder (the one
holding ``conf.py``, or ``--project DIR``). They read ``conf.py`` the way Sphinx does
(:func:`sphinx.config.eval_config_file`) for their settings, and the last HTML build's
``techspec.json`` (``_build/html/techspec.json``, or ``--spec FILE``) for the items,
their links and the link types. Every problem is a :class:`CommandError`: one line,
exit status 2.
"""

from __future__ import annotations

import argparse
import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cli_errors import CommandError
from ..cli_project import add_project_argument, conf_py_of
from ..feature import ConfigValue
from .settings import CODE_PATHS, MARKER_PREFIX

if TYPE_CHECKING:
    from ..change_control.records import Record

DEFAULT_BUILD_JSON = Path("_build") / "html" / "techspec.json"


@dataclass(frozen=True, slots=True)
class LinkTypeInfo:
    forward: str
    reverse: str
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Spec:
    """The last build's items, as the commands need them."""

    path: Path
    records: dict[str, Record]
    link_types: dict[str, LinkTypeInfo]
    type_labels: dict[str, tuple[str, str]]  # item type → (label, plural label)
    results: dict[str, str] = field(default_factory=dict)  # test result of an item


@dataclass(frozen=True, slots=True)
class Settings:
    """``conf.py``'s values the commands read, already checked against their schemas."""

    project: Path
    code_paths: list[str]
    marker_prefix: str
    lock_file: str
    baseline: str


def add_spec_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_argument(parser)
    parser.add_argument(
        "--spec",
        metavar="JSON",
        help=f"the techspec.json to read items from (default: DIR/{DEFAULT_BUILD_JSON.as_posix()})",
    )


def read_settings(project: Path) -> Settings:
    """The commands' values from ``project/conf.py``; CommandError when it cannot be used."""
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    conf_py = conf_py_of(project)
    try:
        namespace = eval_config_file(conf_py, Tags())
    except BaseException as exc:  # conf.py is user code: SystemExit, errors, anything
        if isinstance(exc, KeyboardInterrupt):
            raise
        # Sphinx's ConfigError carries the whole traceback: its last line says what failed.
        lines = str(exc).strip().splitlines()
        what = lines[-1].strip() if lines else ""
        if not lines or len(lines) == 1:
            what = f"{type(exc).__name__}: {what}" if what else type(exc).__name__
        raise CommandError(f"cannot read {conf_py}: {what}") from None
    values = [checked(conf_py, namespace, declared) for declared in (CODE_PATHS, MARKER_PREFIX)]
    lock_file = namespace.get("techspec_lock_file", "techspec.lock")
    baseline = namespace.get("techspec_baseline", "")
    return Settings(
        project,
        values[0],
        values[1],
        lock_file if isinstance(lock_file, str) and lock_file else "techspec.lock",
        baseline if isinstance(baseline, str) else "",
    )


def checked(conf_py: Path, namespace: dict[str, Any], declared: ConfigValue) -> Any:
    """The value as conf.py sets it (or the default), checked against its JSON Schema."""
    from ..config import checked_value

    if declared.name not in namespace:
        return copy.deepcopy(declared.default)
    _value, problems = checked_value(declared, namespace[declared.name], None)
    if problems:
        raise CommandError(f"{conf_py}: {problems[0]}")
    return namespace[declared.name]


def spec_path(args: argparse.Namespace) -> Path:
    return Path(args.spec) if args.spec else Path(args.project) / DEFAULT_BUILD_JSON


def read_spec(path: Path, given: bool) -> Spec:
    """The items of a techspec.json; ``given``: named with ``--spec`` (else the last build's)."""
    from ..change_control.commands import read_export

    missing = (
        ""
        if given
        else (
            f"no build found: {path} does not exist. Build the spec first "
            f"(sphinx-build -b html . _build/html in its folder), or name a techspec.json "
            f"with --spec FILE"
        )
    )
    document, text = read_export(path, missing)
    data = json.loads(text)  # parse_document accepted it: a JSON object with items
    return Spec(
        path,
        document.records,
        _link_types(data.get("link_types")),
        _type_labels(data.get("item_types")),
        {
            key: entry["result"]
            for key, entry in data["items"].items()
            if isinstance(entry, dict) and isinstance(entry.get("result"), str)
        },
    )


def _link_types(declared: Any) -> dict[str, LinkTypeInfo]:
    found: dict[str, LinkTypeInfo] = {}
    for name, entry in (declared if isinstance(declared, dict) else {}).items():
        if not isinstance(entry, dict):
            continue
        targets = entry.get("targets")
        found[str(name)] = LinkTypeInfo(
            str(entry.get("forward") or name),
            str(entry.get("reverse") or name),
            tuple(str(t) for t in targets) if isinstance(targets, list) else (),
        )
    return found


def _type_labels(declared: Any) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for name, entry in (declared if isinstance(declared, dict) else {}).items():
        if isinstance(entry, dict):
            label = str(entry.get("label") or name)
            found[str(name)] = (label, str(entry.get("plural") or label))
    return found
