"""The collector policy: Python's garbage collector tuned for the length of one build.

Docutils trees hold parent pointers, so a page's tree is freed only by the
collector, never by reference counting alone, and each collection scans every
object of the generations it collects; a full one scans everything alive (the
modules, the configuration, the environment with every page's data). With
Python's default thresholds a large build spends a third or more of its CPU
there, and more the larger the project (ms/item grows with N). For the build we

- raise the thresholds (:data:`THRESHOLDS`), so collections run less often
  (the memory they would free a little earlier is freed a little later), and
- ``gc.freeze()`` what is alive at the phase boundaries (``env-before-read-docs``,
  where the build starts: modules, configuration, a loaded environment;
  ``env-updated``: everything read), so later collections scan only what is new,
  ``-j`` workers forked for writing share those pages with the parent, and putting
  the thresholds back at the end does not start a collection of the whole heap.

``build-finished`` (also when the build failed) unfreezes and puts the previous
thresholds back, so a process that runs Sphinx more than once (tests,
sphinx-autobuild) gets its collector as it was. ``techspec_gc_tuning = False``
turns all of this off; ``docs/performance.md`` gives the measured effect of each part.
"""

from __future__ import annotations

import gc
import os

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: Generation 0 collects after 50,000 net allocations (Python: 700), generation 1
#: after 100 of those (Python: 10), a full collection after 100 of those (Python: 10,
#: and only when the objects waiting in generation 2 are a quarter of what lives
#: there): a page's tree that is garbage is still found by the next young
#: collection, but what lives on is not scanned again and again.
THRESHOLDS = (50_000, 100, 100)

#: The parts of the policy; ``TECHSPEC_GC_POLICY`` (comma-separated, or ``none``)
#: picks some of them, for the benchmark's measurement of each part. ``collect``
#: (a full collection before each freeze) is not in the default: at N = 4,000 it
#: cost 0.8 s and saved no memory.
PARTS = frozenset({"thresholds", "freeze", "collect"})
DEFAULT_PARTS = frozenset({"thresholds", "freeze"})


def thresholds() -> tuple[int, ...]:
    """:data:`THRESHOLDS`, or ``TECHSPEC_GC_THRESHOLDS`` (``"50000,20,100"``, for measuring)."""
    chosen = os.environ.get("TECHSPEC_GC_THRESHOLDS")
    if chosen:
        try:
            return tuple(int(part) for part in chosen.split(","))[:3]
        except ValueError:
            pass
    return THRESHOLDS


def policy_parts() -> frozenset[str]:
    chosen = os.environ.get("TECHSPEC_GC_POLICY")
    if chosen is None:
        return DEFAULT_PARTS
    return frozenset(part.strip() for part in chosen.split(",")) & PARTS


class CollectorPolicy:
    """The policy's state: what is applied now, and the thresholds to put back.

    One per process (module level): the collector is the process's, whichever
    Sphinx application tuned it, and a second application must not save the
    first one's raised thresholds as "the previous ones".
    """

    def __init__(self) -> None:
        self.saved_thresholds: tuple[int, int, int] | None = None
        self.parts: frozenset[str] = frozenset()
        self.frozen = False

    def start(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        """At ``env-before-read-docs``: the build proper starts (``build-finished`` follows)."""
        if self.parts or not app.config.techspec_gc_tuning:
            return
        self.parts = policy_parts()
        if "thresholds" in self.parts:
            self.saved_thresholds = gc.get_threshold()
            gc.set_threshold(*thresholds())
        self.freeze()

    def freeze(self) -> None:
        """Keep what is alive out of every later collection (after one, with ``collect``)."""
        if "freeze" in self.parts:
            if "collect" in self.parts:
                gc.collect()
            gc.freeze()
            self.frozen = True

    def after_reading(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """At ``env-updated``: the environment now holds every page's data."""
        self.freeze()
        return []

    def restore(self, app: Sphinx, exception: BaseException | None) -> None:
        """At ``build-finished``, also after an error: the collector as it was."""
        if self.frozen:
            gc.unfreeze()
            self.frozen = False
        if self.saved_thresholds is not None:
            gc.set_threshold(*self.saved_thresholds)
            self.saved_thresholds = None
        self.parts = frozenset()


POLICY = CollectorPolicy()


def setup_gc_policy(app: Sphinx) -> None:
    # First, so the environment's loading and purging happen before the first freeze.
    app.connect("env-before-read-docs", POLICY.start, priority=100)
    app.connect("env-updated", POLICY.after_reading, priority=900)
    # Last, so handlers of other extensions still run under the tuned collector.
    app.connect("build-finished", POLICY.restore, priority=900)
