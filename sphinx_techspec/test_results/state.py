"""The test results of one build: read once, matched to items, kept in the store.

Lifecycle (the phases of :mod:`sphinx_techspec.lifecycle`, all in the main process):

1. forget (before reading): the automatic test items of the previous build leave
   the domain, so no reader (serial or parallel) sees or merges them.
2. read: a ``test-results`` view records its page as its part of the store.
3. derive (every build): every report of ``techspec_test_results`` is read, unless
   its (mtime, size) is the one already read; results are matched to test-case
   items (``test_case`` property, ``:junit:`` pattern); results that only name
   requirements (``verifies``) become automatic, read-only test items in the
   domain, on the first page holding a ``test-results`` view (the root document
   when there is none); IDs are checked, warnings given (again on every build).
   gate: the ``passing`` rules (:mod:`.gates`).
4. rewrite: the store's digest (results by item, the runs) is compared with the
   previous build's: pages showing a test whose result changed, and the results
   views, are rewritten, and only those.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..config import config_location
from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import Item, natural_key
from ..suggestions import did_you_mean_id
from .junit import Run, TestResult, read_run, worst

#: The item type results belong to.
TEST_TYPE = "test-case"
#: The link an automatic test item has to the requirements its result names.
VERIFIES = "verifies"
#: The store (``domain.data["test_results"]``): its parts are the pages holding a
#: results view, its state the :class:`ResultsState`.
STORE_NAME = "test_results"

NOT_RUN = "not run"
#: Outcome → the state of its mark (see ``feature.STATES``).
MARK_STATES = {
    "passed": "ok",
    "failed": "problem",
    "error": "problem",
    "skipped": "inactive",
    NOT_RUN: "attention",
}


@dataclass
class ResultsState:
    """What this build knows of test results; the store's state, pickled with the domain."""

    runs: dict[str, Run] = field(default_factory=dict)  # absolute path → Run (cache)
    active: list[str] = field(default_factory=list)  # the paths of this build, in order
    by_item: dict[str, tuple[TestResult, ...]] = field(default_factory=dict)
    unmatched: tuple[TestResult, ...] = ()
    automatic: dict[str, Item] = field(default_factory=dict)

    def active_runs(self) -> list[Run]:
        return [self.runs[path] for path in self.active if path in self.runs]

    def runs_digest(self) -> tuple[Any, ...]:
        return tuple((run.path, run.stamp) for run in self.active_runs())


def state_of(env: BuildEnvironment) -> ResultsState:
    data = env.get_domain(DOMAIN).store(STORE_NAME)  # type: ignore[attr-defined]
    if not isinstance(data.state, ResultsState):
        data.state = ResultsState()
    return data.state


def results_pages(env: BuildEnvironment) -> dict[str, Any]:
    """docname → ``True`` for each page holding a ``test-results`` view."""
    return env.get_domain(DOMAIN).store(STORE_NAME).parts  # type: ignore[attr-defined]


def configured(config: Any) -> bool:
    """Results show (badges, "not run") only in projects that name report files."""
    return bool(getattr(config, "techspec_test_results", None))


def results_of(env: BuildEnvironment, item_id: str) -> tuple[TestResult, ...]:
    return state_of(env).by_item.get(item_id, ())


def outcome_of(env: BuildEnvironment, item_id: str) -> str:
    """The worst result of a test item, or ``not run``."""
    results = results_of(env, item_id)
    return worst([r.outcome for r in results]) if results else NOT_RUN


# -- 1. before reading ----------------------------------------------------------------


def remove_automatic_items(app: Sphinx, domain: TechspecDomain) -> None:
    state = state_of(domain.env)
    for item_id, item in state.automatic.items():
        stored = domain.items.get(item_id)
        # The same object, or its copy (lineno 0: no directive made it).
        if stored is item or (stored is not None and stored.lineno == 0 and stored == item):
            del domain.items[item_id]
    state.automatic = {}
    domain.invalidate()


# -- 2. after reading -------------------------------------------------------------------


def update_results(app: Sphinx, env: BuildEnvironment) -> None:
    """Read the reports, match them, add automatic items, warn (phase derive)."""
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    state = state_of(env)
    if state.automatic:  # a build that did not pass the forget phase
        remove_automatic_items(app, domain)
    if not configured(app.config):
        state.active, state.by_item, state.unmatched = [], {}, ()
        return
    state.active = report_paths(app)
    cache = state.runs
    state.runs = {}
    for path in state.active:
        run = cache.get(path)
        if run is None or run.stamp != _stamp(path):
            run = read_run(Path(path), _shown_path(app, path))
        state.runs[path] = run
        for message, line in run.problems:
            warn(f"test results {run.file} {message}", "bad_test_results", f"{path}:{line}")
    match_results(app, env, domain, state)


def report_paths(app: Sphinx) -> list[str]:
    """The report files named by ``techspec_test_results`` (relative to conf.py, globs)."""
    base = Path(app.confdir or app.srcdir)
    where = config_location(app, "techspec_test_results")
    found: dict[str, None] = {}
    for pattern in app.config.techspec_test_results:
        full = str(base / pattern)
        if glob.has_magic(pattern):
            matches = sorted(p for p in glob.glob(full, recursive=True) if os.path.isfile(p))
            if not matches:
                warn(
                    f"techspec_test_results: {pattern!r} matches no file (looked in {base})",
                    "missing_test_results",
                    where,
                )
            found.update(dict.fromkeys(os.path.abspath(p) for p in matches))
        elif os.path.isfile(full):
            found[os.path.abspath(full)] = None
        else:
            warn(
                f"techspec_test_results: {pattern!r} is not a file (looked in {base})",
                "missing_test_results",
                where,
            )
    return list(found)


def _stamp(path: str) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def _shown_path(app: Sphinx, path: str) -> str:
    base = os.path.abspath(app.confdir or app.srcdir)
    relative = os.path.relpath(path, base)
    return Path(relative if not relative.startswith("..") else path).as_posix()


class JunitPatterns:
    """The ``:junit:`` patterns of every test-case item, indexed so matching stays cheap.

    Exact names are looked up directly; a glob is filed under its literal prefix (the
    text before its first ``*?[``), so a result's name is only tried against globs whose
    prefix it starts with: many test cases with globs cost about as much as a few.
    """

    def __init__(self, items: list[Item]) -> None:
        self.exact: dict[str, list[str]] = defaultdict(list)
        self.globs: dict[str, list[tuple[re.Pattern[str], str]]] = defaultdict(list)
        for item in items:
            for pattern in item.fields.get("junit", ()):
                if glob.has_magic(pattern):
                    prefix = re.split(r"[*?\[]", pattern, maxsplit=1)[0]
                    regex = re.compile(fnmatch.translate(pattern))
                    self.globs[prefix].append((regex, item.id))
                else:
                    self.exact[pattern].append(item.id)
        self.lengths = sorted({len(prefix) for prefix in self.globs})

    def items_for(self, result: TestResult) -> list[str]:
        found: dict[str, None] = {}
        for name in result.names():
            found.update(dict.fromkeys(self.exact.get(name, ())))
            for length in self.lengths:
                for regex, item_id in self.globs.get(name[:length], ()):
                    if item_id not in found and regex.match(name):
                        found[item_id] = None
        return list(found)


def match_results(
    app: Sphinx, env: BuildEnvironment, domain: TechspecDomain, state: ResultsState
) -> None:
    """Results → test-case items; requirement-only results → automatic test items."""
    tests = domain.items_of_type(TEST_TYPE)
    patterns = JunitPatterns(tests)
    by_item: dict[str, list[TestResult]] = defaultdict(list)
    automatic: dict[str, list[tuple[TestResult, tuple[str, ...]]]] = defaultdict(list)
    unmatched: list[TestResult] = []
    for run in state.active_runs():
        for result in run.results:
            matched = dict.fromkeys(_named_tests(domain, result))
            matched.update(dict.fromkeys(patterns.items_for(result)))
            verified = _known_requirements(domain, result)
            if matched:
                for item_id in matched:
                    by_item[item_id].append(result)
            elif verified:
                automatic[f"{result.classname}::{result.base_name}"].append((result, verified))
            else:
                unmatched.append(result)
    home = results_home(env)
    anchors: set[str] = set()
    for item_id in sorted(automatic, key=natural_key):
        existing = domain.get(item_id)
        entries = automatic[item_id]
        if existing is not None:
            # An item of that very name exists: its results are its own.
            target = by_item[item_id] if existing.type == TEST_TYPE else unmatched
            target.extend(result for result, _ in entries)
            continue
        targets = sorted({t for _, ids in entries for t in ids}, key=natural_key)
        anchor = _anchor(item_id, anchors)
        title = title_from_test_name(entries[0][0].base_name)
        item = Item(item_id, TEST_TYPE, title, home, 0, anchor, {}, {VERIFIES: tuple(targets)})
        state.automatic[item_id] = item
        domain.items[item_id] = item
        by_item[item_id].extend(result for result, _ in entries)
    domain.invalidate()
    state.by_item = {
        item_id: tuple(sorted(results, key=_result_order)) for item_id, results in by_item.items()
    }
    state.unmatched = tuple(sorted(unmatched, key=_result_order))


def title_from_test_name(name: str) -> str:
    """``test_token_carries_128_bits`` → ``Token carries 128 bits``: a title people read.

    Parameters (``[...]``) and a ``test``/``Test`` prefix go; underscores become spaces.
    """
    base = name.split("[", 1)[0]
    base = re.sub(r"^(?:test_+|Test(?=[A-Z_]))", "", base)
    words = " ".join(base.replace("_", " ").split())
    return words[:1].upper() + words[1:] if words else name


def _result_order(result: TestResult) -> tuple[Any, ...]:
    return (result.file, result.line, result.classname, result.name)


def _named_tests(domain: TechspecDomain, result: TestResult) -> list[str]:
    """The test-case items a ``test_case`` property names; other IDs warn at the XML line."""
    found = []
    for item_id in result.test_cases:
        item = domain.get(item_id)
        if item is None:
            warn(
                f"{result.junit_name}: test_case names unknown ID {item_id!r}"
                + did_you_mean_id(item_id, domain.items),
                "unknown_ref",
                result.location,
            )
        elif item.type != TEST_TYPE:
            warn(
                f"{result.junit_name}: test_case names {item_id}, a "
                f"{domain.schema.label(item.type).lower()}, not a test case",
                "wrong_link_type",
                result.location,
            )
        else:
            found.append(item_id)
    return found


def _known_requirements(domain: TechspecDomain, result: TestResult) -> tuple[str, ...]:
    """The items a ``verifies`` property names that a test may verify."""
    link = domain.schema.link_types.get(VERIFIES)
    found = []
    for item_id in result.verifies:
        item = domain.get(item_id)
        if item is None:
            warn(
                f"{result.junit_name}: verifies names unknown ID {item_id!r}"
                + did_you_mean_id(item_id, domain.items),
                "unknown_ref",
                result.location,
            )
        elif link is not None and not link.allows_target(item.type):
            warn(
                f"{result.junit_name}: verifies names {item_id}, a "
                f"{domain.schema.label(item.type).lower()}; tests verify "
                f"{' or '.join(domain.schema.label(t).lower() for t in link.targets)} only",
                "wrong_link_type",
                result.location,
            )
        else:
            found.append(item_id)
    return tuple(found)


def results_home(env: BuildEnvironment) -> str:
    """Where automatic test items live: the first page with a results view, or the root."""
    pages = sorted(results_pages(env))
    pages = [page for page in pages if page in env.all_docs]
    return pages[0] if pages else env.config.root_doc


def _anchor(item_id: str, taken: set[str]) -> str:
    base = "test-" + (nodes.make_id(item_id) or "item")
    anchor, count = base, 1
    while anchor in taken:
        count += 1
        anchor = f"{base}-{count}"
    taken.add(anchor)
    return anchor


# -- 3. what a change means for readers ---------------------------------------------------


def results_digest(app: Sphinx, domain: TechspecDomain) -> tuple[Any, ...]:
    """Each test's results, and the runs (files, their stamps) the results views list."""
    state = state_of(domain.env)
    return (dict(state.by_item), state.runs_digest())


def changed_results(old: tuple[Any, ...] | None, new: tuple[Any, ...]) -> set[str]:
    """The tests whose results changed: their marks and card rows show it."""
    before: dict[str, Any] = old[0] if old else {}
    after: dict[str, Any] = new[0]
    return {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}
