"""Code traceability: markers in source files (``@implements REQ-1``) linking code to items.

- :mod:`.scanner` finds the markers in the files ``techspec_code_paths`` names
  (:mod:`.files`), in the comments of any language (:mod:`.other_source`, through
  Pygments) and in Python through ``ast`` (:mod:`.python_source`), each bound to the
  function or class it stands in or above (:mod:`.binding`, :mod:`.definitions`).
- ``sphinx-techspec trace-code`` (:mod:`.trace_command`) lists them and checks their IDs
  against the last build; ``sphinx-techspec impact`` (:mod:`.impact_command`) follows
  links from changed items to everything that depends on them, code and tests included.

Declared with the feature contract (:mod:`sphinx_techspec.feature`); the commands are
imported only when run.
"""

from __future__ import annotations

from ..feature import Command, Feature, lazy
from .settings import CONFIG_VALUES

FEATURE = Feature(
    name="code_trace",
    config_values=CONFIG_VALUES,
    commands=(
        Command(
            "trace-code",
            "list the code markers (@implements REQ-1) and their items; exit 1 on an unknown ID",
            lazy("sphinx_techspec.code_trace.trace_command", "configure_trace_code"),
            lazy("sphinx_techspec.code_trace.trace_command", "run_trace_code"),
        ),
        Command(
            "impact",
            "list everything a change of the named items reaches: items, code and tests",
            lazy("sphinx_techspec.code_trace.impact_command", "configure_impact"),
            lazy("sphinx_techspec.code_trace.impact_command", "run_impact"),
        ),
    ),
)
