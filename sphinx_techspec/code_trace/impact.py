"""What a change reaches: a walk along links in the direction of dependence.

A link ``A —type→ B`` says A depends on B (a test case verifies a requirement, a
component implements it, a requirement refines a use case), so a change of B reaches
A. Two core link types point the other way or nowhere: a use case *involves* the
components it needs (a change of the use case reaches them), and *supersedes* records
history, not dependence. A code marker ``@implements REQ-1`` depends on REQ-1; a code
location that implements an item reaches the tests (test items and ``@verifies`` code)
of that item. The walk is breadth-first from every start at once, so each reached
item carries one shortest path, the same on every run.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import natural_key
from .model import CodeReference
from .spec import Spec

#: Link types along which a change of the source reaches the target.
DOWNSTREAM_LINKS = frozenset({"involves"})
#: Link types that are no dependence at all.
IGNORED_LINKS = frozenset({"supersedes"})
#: Link types of tests: a code location implementing X reaches what verifies X.
VERIFYING_LINKS = frozenset({"verifies"})
#: Item types whose items are tests.
TEST_TYPES = frozenset({"test-case"})

#: An item (its ID) or a code location.
Node = str | CodeReference


@dataclass(frozen=True, slots=True)
class Step:
    """One link walked: ``link`` as a reader says it ("implemented by"), then the node."""

    link: str
    node: Node
    suspect: bool = False


@dataclass(frozen=True, slots=True)
class Reached:
    """A node a change reaches, with the path from the start that reaches it first."""

    node: Node
    start: Node
    path: tuple[Step, ...]

    @property
    def depth(self) -> int:
        return len(self.path)


def node_key(node: Node) -> tuple[Any, ...]:
    if isinstance(node, CodeReference):
        return (1, node.sort_key())
    return (0, natural_key(node))


class ImpactGraph:
    """Who depends on whom, from the last build's links and the code markers."""

    def __init__(
        self,
        spec: Spec,
        references: Iterable[CodeReference] = (),
        suspects: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        self.spec = spec
        self.edges: dict[Node, set[Step]] = {}
        suspect_links = set(suspects)
        records = spec.records
        for record in records.values():
            for link_name, targets in record.links.items():
                if link_name in IGNORED_LINKS:
                    continue
                info = spec.link_types.get(link_name)
                for target in targets:
                    if target not in records or target == record.id:
                        continue
                    suspect = (record.id, link_name, target) in suspect_links
                    if link_name in DOWNSTREAM_LINKS:
                        label = info.forward if info else link_name
                        self._add(record.id, Step(label, target, suspect))
                    else:
                        label = info.reverse if info else f"{link_name} (reverse)"
                        self._add(target, Step(label, record.id, suspect))
        known = [r for r in references if r.item_id in records]
        for reference in known:
            info = spec.link_types.get(reference.link_type)
            label = f"{info.reverse if info else reference.link_type} code"
            self._add(reference.item_id, Step(label, reference))
        tests = self._tests_by_item(known)
        for reference in known:
            if reference.link_type in VERIFYING_LINKS:
                continue
            for test in tests.get(reference.item_id, ()):
                self._add(reference, Step(f"tested with {reference.item_id} by", test))

    def _add(self, node: Node, step: Step) -> None:
        self.edges.setdefault(node, set()).add(step)

    def _tests_by_item(self, references: Iterable[CodeReference]) -> dict[str, list[Node]]:
        """Item → the test items verifying it and the ``@verifies`` code naming it."""
        tests: dict[str, list[Node]] = {}
        for record in self.spec.records.values():
            for link in VERIFYING_LINKS:
                for target in record.links.get(link, ()):
                    tests.setdefault(target, []).append(record.id)
        for reference in references:
            if reference.link_type in VERIFYING_LINKS:
                tests.setdefault(reference.item_id, []).append(reference)
        return tests

    def reach(self, starts: Iterable[Node], max_depth: int | None = None) -> list[Reached]:
        """Everything the starts reach (not the starts), nearest first, then by key."""
        ordered = sorted(set(starts), key=node_key)
        seen: dict[Node, Reached] = {}
        queue: deque[Reached] = deque()
        for start in ordered:
            seen[start] = Reached(start, start, ())
            queue.append(seen[start])
        while queue:
            current = queue.popleft()
            if max_depth is not None and current.depth >= max_depth:
                continue
            steps = sorted(
                self.edges.get(current.node, ()), key=lambda s: (node_key(s.node), s.link)
            )
            for step in steps:
                if step.node in seen:
                    continue
                seen[step.node] = Reached(step.node, current.start, (*current.path, step))
                queue.append(seen[step.node])
        reached = [r for node, r in seen.items() if r.path]
        return sorted(reached, key=lambda r: (r.depth, node_key(r.node)))


def is_test(node: Node, spec: Spec) -> bool:
    if isinstance(node, CodeReference):
        return node.link_type in VERIFYING_LINKS
    record = spec.records.get(node)
    return record is not None and record.type in TEST_TYPES


def removed_dependants(
    removed: Iterable[str], old_records: Mapping[str, Any], spec: Spec
) -> dict[str, list[str]]:
    """For items gone since the baseline: today's items that linked to them back then."""
    gone = set(removed)
    found: dict[str, list[str]] = {}
    for record in old_records.values():
        if record.id not in spec.records:
            continue
        for link_name, targets in record.links.items():
            if link_name in IGNORED_LINKS or link_name in DOWNSTREAM_LINKS:
                continue
            for target in targets:
                if target in gone:
                    found.setdefault(target, []).append(record.id)
    return {key: sorted(set(value), key=natural_key) for key, value in found.items()}
