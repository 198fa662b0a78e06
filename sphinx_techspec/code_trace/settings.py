"""The configuration values of code traceability, declared once (see :mod:`..feature`)."""

from __future__ import annotations

from ..config import NAME_LIST
from ..feature import ConfigValue
from .markers import DEFAULT_PREFIX

CODE_PATHS = ConfigValue(
    "techspec_code_paths",
    [],
    NAME_LIST,
    description="globs of the source files to scan for markers, relative to conf.py",
)
MARKER_PREFIX = ConfigValue(
    "techspec_code_marker_prefix",
    DEFAULT_PREFIX,
    {"type": "string", "pattern": r"^\S{1,20}$"},
    description="what comes before a link type in a code marker (@ in @implements REQ-1)",
)
CODE_URL = ConfigValue(
    "techspec_code_url",
    "",
    {"type": "string", "maxLength": 500},
    rebuild="html",
    description=(
        "where code references link to: a URL with {path}, {line} and {commit} "
        "(empty: shown as plain text)"
    ),
)
CONFIG_VALUES = (CODE_PATHS, MARKER_PREFIX, CODE_URL)
