"""What the server knows of the project: ``conf.py``, the item types, their options.

``conf.py`` is evaluated the way Sphinx's ``Config.read`` does it, with every
feature's ``techspec_*`` value declared and checked against its JSON Schema (a
malformed value falls back to its default, as in a build). Anything ``conf.py``
prints goes to stderr (the command keeps stdout for the protocol), and a
``conf.py`` that fails leaves the defaults in force: the server still answers.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.config import Config
from sphinx.util.tags import Tags

from ..config import checked_value
from ..directives import ItemDirective
from ..feature import Registry, all_features, config_values, feature_names
from ..model import FieldSpec, ItemType
from ..schema import SpecSchema, allowed_values

log = logging.getLogger(__name__)

#: Folders never searched for conf.py or pages.
SKIPPED_DIRS = frozenset({"_build", ".git", ".venv", "venv", "node_modules", ".tox", "__pycache__"})


def find_conf_dir(root: Path) -> Path | None:
    """The folder of the project's ``conf.py``: ``root`` itself, a parent, or the
    shallowest one below ``root`` (``docs/conf.py``)."""
    for folder in (root, *root.parents):
        if (folder / "conf.py").is_file():
            return folder
    found = sorted(
        (path for path in _walk(root, "conf.py")),
        key=lambda path: (len(path.parts), str(path)),
    )
    return found[0].parent if found else None


def _walk(root: Path, name: str, depth: int = 4) -> list[Path]:
    hits: list[Path] = []
    if depth < 0:
        return hits
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return hits
    for entry in entries:
        if entry.is_dir() and entry.name not in SKIPPED_DIRS and not entry.name.startswith("."):
            hits.extend(_walk(entry, name, depth - 1))
        elif entry.name == name:
            hits.append(entry)
    return hits


@dataclass
class ItemTypeInfo:
    """One item type as the editor sees it: its options and how its ID is written."""

    item_type: ItemType
    fields: dict[str, FieldSpec]
    links: tuple[str, ...]
    extra: tuple[str, ...]
    #: Whether ``:id:`` gives the ID (data models, endpoints) instead of the argument.
    id_option: bool

    @property
    def option_names(self) -> list[str]:
        return [*self.fields, *self.links, *self.extra]


@dataclass
class Project:
    """The project's configuration and schema, read once and again when conf.py changes."""

    conf_dir: Path | None
    config: Config
    schema: SpecSchema
    #: The folder the server was started for (the pages' folder when there is no conf.py).
    root: Path = Path()
    types: dict[str, ItemTypeInfo] = field(default_factory=dict)
    #: Every directive name other than item types (views, feature directives).
    other_directives: tuple[str, ...] = ()
    #: Their option names (a view's filter options and its own).
    directive_options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: conf.py problems (a failing conf.py, malformed values), shown in the log.
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> Project:
        root = root.resolve()
        conf_dir = find_conf_dir(root)
        problems: list[str] = []
        if conf_dir is None:
            problems.append(f"no conf.py in or around {root}; using the default item types")
        config = read_config(conf_dir, problems)
        features = enabled_features(config)
        schema = features.schema(config)
        problems.extend(message for _name, message in schema.problems)
        project = cls(conf_dir, config, schema, root, problems=problems)
        project.types = {name: type_info(t, schema) for name, t in schema.item_types.items()}
        options: dict[str, tuple[str, ...]] = {}
        for feature in features.features:
            for name, directive in feature.directives.items():
                options[name] = tuple(sorted(getattr(directive, "option_spec", None) or ()))
        for name, view in features.views.items():
            # The options of columns other features add (the matrix's :results:) too.
            extra = {c.option for c in features.extra_columns(name) if c.option}
            options[name] = tuple(sorted({*view.directive.option_spec, *extra}))
        project.other_directives = tuple(sorted(options))
        project.directive_options = options
        return project

    @property
    def source_dir(self) -> Path:
        """Where the pages are: the folder of conf.py (Sphinx's default source folder)."""
        return self.conf_dir or self.root

    def choices(self, spec: FieldSpec) -> list[str] | None:
        """The values a choice field allows in this project (``None``: any value)."""
        if not spec.kind.startswith("choice"):
            return None
        return allowed_values(spec, self.config)

    def role_names(self) -> dict[str, tuple[str, ...]]:
        return self.schema.role_types()


def enabled_features(config: Config) -> Registry:
    """The features conf.py's ``techspec_features`` names (all of them by default), as the
    build enables them."""
    from .. import features_named

    wanted = set(features_named(getattr(config, "techspec_features", None)) or feature_names())
    return Registry(f for f in all_features() if f.name in wanted | {"core"})


def type_info(item_type: ItemType, schema: SpecSchema) -> ItemTypeInfo:
    """The options the build's directive class of ``item_type`` accepts, by kind."""
    directive = item_type.directive or ItemDirective
    extra = tuple(name for name in getattr(directive, "extra_options", {}) if name)
    return ItemTypeInfo(
        item_type,
        {spec.name: spec for spec in schema.fields_of(item_type)},
        tuple(link.name for link in schema.links_from(item_type.name)),
        extra,
        "id" in extra,
    )


def read_config(conf_dir: Path | None, problems: list[str]) -> Config:
    """``conf.py`` as Sphinx reads it, each ``techspec_*`` value declared and checked."""
    config = Config({}, {})
    if conf_dir is not None:
        try:
            with contextlib.redirect_stdout(sys.stderr):
                config = Config.read(conf_dir, overrides={}, tags=Tags())
        except BaseException as exc:  # conf.py is user code: anything, even SystemExit
            # Sphinx's ConfigError holds the whole traceback: its last line says why.
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            reason = (lines[-1] if lines else type(exc).__name__)[:300]
            problems.append(f"{conf_dir / 'conf.py'} could not be read ({reason}); using defaults")
    for declared in config_values().values():
        try:
            config.add(declared.name, copy.deepcopy(declared.default), "env", Any)  # type: ignore[arg-type]
        except Exception:  # declared already (a conf.py that called setup itself)
            continue
        value = getattr(config, declared.name, declared.default)
        if value == declared.default:
            continue
        checked, found = checked_value(declared, value, config)
        problems.extend(found)
        if found:
            setattr(config, declared.name, checked)
    for problem in problems:
        log.warning("%s", problem)
    return config
