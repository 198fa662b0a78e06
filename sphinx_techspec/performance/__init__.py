"""Build cost: the collector policy for the build, and opt-in timers for the benchmark.

See ``docs/performance.md`` for what each part buys, measured.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..config import BOOLEAN
from ..feature import ConfigValue, Feature
from .gc_policy import setup_gc_policy
from .timing import setup_timing


def setup_performance(app: Sphinx) -> None:
    setup_gc_policy(app)
    setup_timing(app)


FEATURE = Feature(
    name="performance",
    config_values=(
        ConfigValue(
            "techspec_gc_tuning",
            True,
            BOOLEAN,
            rebuild="",
            description="tune Python's garbage collector for the length of a build",
        ),
    ),
    setup=setup_performance,
)
