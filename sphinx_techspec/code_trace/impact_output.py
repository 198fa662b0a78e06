"""The three faces of an impact answer: text for a terminal, Markdown for a pull-request
comment, JSON for a machine. One :class:`Report` feeds all three."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..change_control.diff import md
from .impact import Node, Reached, is_test, node_key
from .model import CodeReference
from .spec import Spec

#: Test results that need attention on a reached test.
NOT_PASSING = ("failed", "not run", "error", "skipped")


@dataclass(frozen=True, slots=True)
class Report:
    spec: Spec
    starts: Mapping[Node, str]  # start → why it starts
    reached: list[Reached]
    title: str

    def groups(self) -> list[tuple[str, list[Reached]]]:
        """(heading, reached) per item type in the spec's order, then code, then tests."""
        by_type: dict[str, list[Reached]] = {}
        code: list[Reached] = []
        tests: list[Reached] = []
        for reached in self.reached:
            if is_test(reached.node, self.spec):
                tests.append(reached)
            elif isinstance(reached.node, CodeReference):
                code.append(reached)
            else:
                by_type.setdefault(self.spec.records[reached.node].type, []).append(reached)
        order = list(self.spec.type_labels) + sorted(by_type.keys() - self.spec.type_labels.keys())
        groups = [
            (self.spec.type_labels.get(kind, (kind, kind))[1], by_type[kind])
            for kind in order
            if kind in by_type
        ]
        if code:
            groups.append(("Code", code))
        if tests:
            groups.append(("Tests", tests))
        return groups

    def counts(self) -> dict[str, int]:
        tests = [r for r in self.reached if is_test(r.node, self.spec)]
        return {
            "items": sum(1 for r in self.reached if isinstance(r.node, str) and r not in tests),
            "code": sum(
                1 for r in self.reached if isinstance(r.node, CodeReference) and r not in tests
            ),
            "tests": len(tests),
            "tests_not_passing": sum(1 for r in tests if self.result(r.node) in NOT_PASSING),
        }

    def summary(self) -> str:
        counts = self.counts()
        text = (
            f"Reaches {_count(counts['items'], 'item')}, "
            f"{_count(counts['code'], 'code location')} and {_count(counts['tests'], 'test')}"
        )
        if counts["tests_not_passing"]:
            text += f"; {counts['tests_not_passing']} of those tests failed or did not run"
        return text + "."

    def result(self, node: Node) -> str:
        return self.spec.results.get(node, "") if isinstance(node, str) else ""

    def marks(self, reached: Reached) -> list[str]:
        marks = []
        result = self.result(reached.node)
        if result:
            marks.append(result)
        if reached.path and reached.path[-1].suspect:
            marks.append("suspect link")
        return marks


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def node_label(node: Node, spec: Spec, with_title: bool = False) -> str:
    if isinstance(node, CodeReference):
        return node.label()
    if with_title and node in spec.records:
        return f"{node} {spec.records[node].title}"
    return node


def path_text(reached: Reached, spec: Spec, arrow: str = "→") -> str:
    parts = [node_label(reached.start, spec)]
    for step in reached.path:
        link = f"{step.link} (suspect)" if step.suspect else step.link
        parts.append(f"{arrow} {link} {arrow} {node_label(step.node, spec)}")
    return " ".join(parts)


def starts_text(report: Report) -> list[str]:
    return [
        f"{node_label(start, report.spec, with_title=True)} ({why})"
        for start, why in sorted(report.starts.items(), key=lambda s: node_key(s[0]))
    ]


def to_text(report: Report) -> str:
    lines = [report.title, ""]
    lines += [f"  {line}" for line in starts_text(report)]
    lines += ["", report.summary()]
    for heading, members in report.groups():
        lines += ["", f"{heading} ({len(members)})"]
        for reached in members:
            marks = "".join(f" [{mark}]" for mark in report.marks(reached))
            lines.append(f"  {node_label(reached.node, report.spec, with_title=True)}{marks}")
            lines.append(f"      {path_text(reached, report.spec)}")
    return "\n".join(lines) + "\n"


def to_markdown(report: Report) -> str:
    lines = [f"## {md(report.title)}", ""]
    lines += [f"- {md(line)}" for line in starts_text(report)]
    lines += ["", report.summary()]
    for heading, members in report.groups():
        lines += ["", f"### {md(heading)} ({len(members)})", "", "| reached | through |"]
        lines.append("| --- | --- |")
        for reached in members:
            label = md(node_label(reached.node, report.spec, with_title=True))
            marks = "".join(f" **{md(mark)}**" for mark in report.marks(reached))
            lines.append(f"| {label}{marks} | {md(path_text(reached, report.spec))} |")
    return "\n".join(lines) + "\n"


def node_json(node: Node, spec: Spec) -> dict[str, Any]:
    if isinstance(node, CodeReference):
        return {
            "kind": "code",
            "file": node.path,
            "line": node.line,
            "end_line": node.end_line,
            "symbol": node.symbol,
            "link_type": node.link_type,
            "item_id": node.item_id,
        }
    record = spec.records[node]
    return {"kind": "item", "id": node, "type": record.type, "title": record.title}


def to_json(report: Report) -> dict[str, Any]:
    spec = report.spec
    return {
        "starts": [
            {**node_json(start, spec), "why": why}
            for start, why in sorted(report.starts.items(), key=lambda s: node_key(s[0]))
        ],
        "summary": report.counts(),
        "reached": [
            {
                **node_json(reached.node, spec),
                "test": is_test(reached.node, spec),
                "result": report.result(reached.node) or None,
                "suspect": bool(reached.path and reached.path[-1].suspect),
                "depth": reached.depth,
                "start": node_label(reached.start, spec),
                "via": [
                    {"link": step.link, "to": node_label(step.node, spec), "suspect": step.suspect}
                    for step in reached.path
                ],
            }
            for reached in report.reached
        ],
    }
