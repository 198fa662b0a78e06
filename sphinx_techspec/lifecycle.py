"""The build phases of every feature, in one place and in an explicit order.

Features declare what they do in a build (``Feature.stores``, ``derive``, ``checks``,
``gates``); this module is the only one that ties those declarations to Sphinx's
events, so no feature orders itself with event priorities:

1. **forget** (``env-before-read-docs``): each store drops what the previous build
   derived (``Store.forget``);
2. **read**: directives add items and store parts; ``Store.collect`` takes each
   document's part from its doctree (``doctree-read``); the domain purges and merges
   parts with items (``clear_doc``, ``merge_domaindata``);
3. **derive → check → gate** (``env-updated``, every build, in the main process, in
   feature order within each phase): derived data first (links from flow bodies, test
   results and their automatic items), then the checks that need every item, then the
   gates, which count what the first two produced;
4. **rewrite** (``env-get-updated``): the one rule of :mod:`.incremental`;
5. **resolve** and **export** (``doctree-resolved``, ``build-finished``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import DOMAIN, TechspecDomain
from .feature import Registry, registry
from .incremental import pages_to_rewrite

#: The phases after reading, in order (``Feature`` field names), and their events.
PHASES = ("derive", "checks", "gates")
PHASE_EVENTS = {phase: f"techspec-{phase}" for phase in PHASES}


def forget(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before reading: each store forgets what the previous build derived."""
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    for store in registry(app).stores.values():
        if store.forget is not None:
            store.forget(app, domain)


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """A document was read: each store that collects takes its part of it."""
    declared = registry(app).stores.items()
    collectors = [(name, store.collect) for name, store in declared if store.collect]
    if not collectors:
        return
    env = app.env
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    docname = env.docname
    for name, collect_part in collectors:
        part = collect_part(app, docname, doctree)
        if part is not None:  # the page's old part went when it was purged before reading
            domain.store(name).parts[docname] = part


def after_reading(app: Sphinx, env: BuildEnvironment) -> None:
    """Derive, then check, then gate: every build, even when no page was read."""
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    for name in registry(app).stores:
        domain.store(name).cache = None  # what was cached while reading may be stale
    for phase in PHASES:
        app.events.emit(PHASE_EVENTS[phase], env)


def setup_lifecycle(app: Sphinx, features: Registry) -> None:
    """Tie the phases of the features ``app`` uses to Sphinx's events."""
    clashes = sorted(features.stores.keys() & TechspecDomain.initial_data.keys())
    if clashes:  # a programming error in a feature declaration, not user input
        raise ValueError(f"store names clash with the domain's own data: {clashes}")
    app.connect("env-before-read-docs", forget)
    app.connect("doctree-read", collect)
    app.connect("env-updated", after_reading)
    app.connect("env-get-updated", pages_to_rewrite)
    # Each phase is an event of its own, its hooks connected in feature order: another
    # extension can join a phase, and the opt-in timers see each hook.
    for phase, event in PHASE_EVENTS.items():
        app.add_event(event)
        for feature in features.features:
            for hook in getattr(feature, phase):
                app.connect(event, hook)
