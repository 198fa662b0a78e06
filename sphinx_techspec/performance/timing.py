"""Opt-in timers around the extension's own code: ``TECHSPEC_TIMING=path.json``.

The benchmark needs the extension's share of a build, measured without a
profiler (cProfile inflates code that makes many small calls). With the
variable set, every event handler, directive, role and domain method of
``sphinx_techspec`` is wrapped in a CPU timer; time spent inside them in code
that is not ours (docutils parsing an item's body) is subtracted, and so is
time of nested timed calls, so each section counts its own time once. The
collector's passes are timed too (``gc.callbacks``). At ``build-finished`` the
totals go to the file the variable names, as JSON. Without the variable
nothing is wrapped: zero cost.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from ..directives import ItemDirective
from ..domain import SpecReferenceRole, TechspecDomain

PACKAGE = "sphinx_techspec"
ENV_VAR = "TECHSPEC_TIMING"
#: Sections whose time is not the extension's (subtracted from the section around them).
FOREIGN = "foreign"


class Timers:
    """Exclusive CPU time per section, and the collector's passes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.inner: list[float] = []
        self.gc_seconds = 0.0
        self.gc_collections: dict[int, int] = defaultdict(int)
        self.gc_generation_seconds: dict[int, float] = defaultdict(float)
        self._gc_started = 0.0

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        clock = time.process_time

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = clock()
            self.inner.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = clock() - started
                inner = self.inner.pop()
                self.seconds[name] += elapsed - inner
                self.calls[name] += 1
                if self.inner:
                    self.inner[-1] += elapsed

        timed.techspec_timed = True  # type: ignore[attr-defined]
        return timed

    def on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.process_time()
        else:
            elapsed = time.process_time() - self._gc_started
            self.gc_seconds += elapsed
            self.gc_collections[info["generation"]] += 1
            self.gc_generation_seconds[info["generation"]] += elapsed
            if self.inner:  # the collector's time, not the section's it happened in
                self.inner[-1] += elapsed

    def report(self) -> dict[str, Any]:
        sections = {
            name: {"seconds": round(self.seconds[name], 4), "calls": self.calls[name]}
            for name in sorted(self.seconds, key=self.seconds.get, reverse=True)  # type: ignore[arg-type]
        }
        ours = sum(s for n, s in self.seconds.items() if not n.startswith(FOREIGN))
        return {
            "extension_seconds": round(ours, 4),
            "foreign_seconds": round(
                sum(s for n, s in self.seconds.items() if n.startswith(FOREIGN)), 4
            ),
            "gc_seconds": round(self.gc_seconds, 4),
            "gc_collections": {str(g): c for g, c in sorted(self.gc_collections.items())},
            "gc_generation_seconds": {
                str(g): round(s, 4) for g, s in sorted(self.gc_generation_seconds.items())
            },
            "sections": sections,
        }


def ours(function: Any) -> bool:
    module = getattr(function, "__module__", None) or ""
    return module.split(".")[0] == PACKAGE and not getattr(function, "techspec_timed", False)


def label(function: Any) -> str:
    return f"{function.__module__}.{getattr(function, '__qualname__', repr(function))}"


def timed_class(timers: Timers, cls: type) -> type:
    """A subclass whose ``run`` is timed (once per class)."""
    if getattr(cls.run, "techspec_timed", False):
        return cls
    return type(cls.__name__, (cls,), {"run": timers.wrap(f"directive {label(cls)}", cls.run)})


def wrap_registered(app: Sphinx, config: Config) -> None:
    """Last at ``config-inited``: everything is registered; wrap what is ours."""
    timers: Timers = app._techspec_timers  # type: ignore[attr-defined]
    for listeners in app.events.listeners.values():
        for position, listener in enumerate(listeners):
            if ours(listener.handler):
                handler = timers.wrap(f"event {label(listener.handler)}", listener.handler)
                listeners[position] = listener._replace(handler=handler)
    from docutils.parsers.rst import directives

    registry = directives._directives  # type: ignore[attr-defined]
    for name, cls in list(registry.items()):
        if isinstance(cls, type) and ours(cls):
            registry[name] = timed_class(timers, cls)
    for table in app.registry.domain_directives.values():
        for name, cls in list(table.items()):
            if ours(cls):
                table[name] = timed_class(timers, cls)
    # Class-level, once per process: the domain's methods and the role.
    for cls, names in (
        (TechspecDomain, ("resolve_xref", "resolve_any_xref", "process_doc", "clear_doc",
                          "merge_domaindata", "get_objects")),
        (SpecReferenceRole, ("run",)),
    ):  # fmt: skip
        for name in names:
            method = getattr(cls, name)
            if not getattr(method, "techspec_timed", False):
                setattr(cls, name, timers.wrap(f"{cls.__name__}.{name}", method))
    # An item's body is parsed by docutils: not the extension's time.
    parse = ItemDirective.parse_content_to_nodes
    if not getattr(parse, "techspec_timed", False):
        ItemDirective.parse_content_to_nodes = timers.wrap(f"{FOREIGN}: item body", parse)  # type: ignore[method-assign]


def write_report(app: Sphinx, exception: BaseException | None) -> None:
    timers: Timers = app._techspec_timers  # type: ignore[attr-defined]
    if timers.on_gc in gc.callbacks:
        gc.callbacks.remove(timers.on_gc)
    report = timers.report()
    report["docs_read"] = len(app.env.all_docs) if app.env else 0
    Path(os.environ[ENV_VAR]).write_text(json.dumps(report, indent=1) + "\n")


wrap_registered.techspec_timed = True  # type: ignore[attr-defined]
write_report.techspec_timed = True  # type: ignore[attr-defined]


def setup_timing(app: Sphinx) -> None:
    """Only with ``TECHSPEC_TIMING`` set."""
    if not os.environ.get(ENV_VAR):
        return
    timers = Timers()
    app._techspec_timers = timers  # type: ignore[attr-defined]
    gc.callbacks.append(timers.on_gc)
    app.connect("config-inited", wrap_registered, priority=999)
    app.connect("build-finished", write_report, priority=999)
