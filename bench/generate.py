"""Write one synthetic specification in several forms, for build benchmarks.

The content (items, titles, fields, links, prose) is drawn once from a seeded
random generator; each form writes that same content with its own markup, so
that build times compare the tools, not the text:

- ``techspec``: our item directives, a traceability matrix and a coverage report;
- ``plain``: what Sphinx alone costs: each item a labelled section, links as
  ``:ref:`ID title <ID>``` (the text a techspec link shows), reverse links written
  out by the generator, the matrix and the coverage page as list-tables;
- ``needs``: sphinx-needs ``req``/``spec``/``test`` needs with link types,
  ``needtable`` views with reverse-link columns and ``:need_count:`` counts;

Every form shows the same things: the items with their fields, outgoing and
incoming links; a matrix of requirements (refined by, implemented by, verified
by); a coverage page with the items per type and status, one rule (requirements
verified by a test: covered, percent) and the orphans (items linked to no other
kind of item). No form gets a rule or view the others do not show.
- ``mlx``: mlx.traceability ``item`` directives with relationships and
  ``item-matrix`` views.

Usage: ``python bench/generate.py 2000 --out bench/out/2000`` writes
``bench/out/2000/<form>/`` (each with ``conf.py`` and ``bench.json``, the
manifest that ``run.py`` reads).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

FORMS = ("techspec", "plain", "needs", "mlx")
ITEMS_PER_PAGE = 20
DEFAULT_SEED = 20261125

#: Share of each item type; the rest of N goes to test cases.
REQUIREMENT_SHARE = 0.4
COMPONENT_SHARE = 0.2

PREFIX = {"requirement": "REQ", "component": "COMP", "test-case": "TC"}
FOLDER = {"requirement": "requirements", "component": "components", "test-case": "tests"}
HEADING = {"requirement": "Requirements", "component": "Components", "test-case": "Test cases"}
#: Link option → the item type it points to.
LINK_TARGET_TYPE = {
    "refines": "requirement",
    "implements": "requirement",
    "depends-on": "component",
    "verifies": "requirement",
}
#: (reverse label, link name) in the order every form shows incoming links.
REVERSE_LINKS = (
    ("Refined by", "refines"),
    ("Implemented by", "implements"),
    ("Used by", "depends-on"),
    ("Verified by", "verifies"),
)

STATUSES = ("draft", "proposed", "approved", "implemented", "verified")
PRIORITIES = ("high", "medium", "low")
KINDS = ("functional", "performance", "security", "usability", "reliability", "interface")
TAGS = ("auth", "billing", "storage", "network", "ui", "api", "audit", "search", "export")
NOUNS = (
    "account",
    "session",
    "invoice",
    "payment",
    "report",
    "dashboard",
    "token",
    "audit log",
    "cache",
    "queue",
    "upload",
    "download",
    "profile",
    "search index",
    "notification",
    "gateway",
    "scheduler",
    "backup",
    "archive",
    "checkout",
    "catalogue",
    "order",
    "tenant",
    "role",
    "permission",
    "certificate",
    "webhook",
    "export",
    "import",
    "metric",
    "alarm",
    "firmware image",
    "sensor reading",
    "configuration",
    "license",
    "user",
    "operator",
)
VERBS = (
    "validates",
    "stores",
    "encrypts",
    "retries",
    "rejects",
    "records",
    "exports",
    "imports",
    "archives",
    "notifies",
    "limits",
    "signs",
    "verifies",
    "caches",
    "renders",
    "schedules",
    "throttles",
    "restores",
    "replicates",
    "indexes",
    "locks",
    "expires",
    "reports",
    "logs",
)
QUALIFIERS = (
    "within two seconds",
    "for every tenant",
    "after a failed attempt",
    "on each request",
    "at most once per minute",
    "before it is shown",
    "when the link expires",
    "in UTC",
    "without user action",
    "in the background",
    "with an audit entry",
    "on shutdown",
    "under peak load",
    "for the last 90 days",
    "behind the load balancer",
)
WORDS = str.split(
    "the system shall keep the data consistent while the operator changes the configuration "
    "a failure of one node must not lose any accepted request and the client sees a clear "
    "error message with a retry hint the service writes each change to the journal before it "
    "acknowledges the request so that a restart replays the journal in order and reaches the "
    "same state measurements are taken on the reference hardware with the default settings "
    "and the result is compared with the previous release to detect regressions early"
)


@dataclass
class SpecItem:
    """One item of the synthetic spec, independent of any markup."""

    id: str
    type: str
    number: int
    title: str
    status: str
    priority: str
    tags: list[str]
    paragraphs: list[str]
    kind: str = ""
    metric: str = ""
    links: dict[str, list[str]] = field(default_factory=dict)
    #: IDs of requirements named inline in the prose (a role in every form).
    mentions: list[str] = field(default_factory=list)
    page: str = ""


@dataclass
class Spec:
    """All items, the pages they sit on, and the one edit the incremental build makes."""

    items: list[SpecItem]
    pages: dict[str, list[SpecItem]]
    incoming: dict[str, dict[str, list[str]]]
    edited_id: str

    def by_id(self, item_id: str) -> SpecItem:
        return self._index[item_id]

    def __post_init__(self) -> None:
        self._index = {item.id: item for item in self.items}

    def of_type(self, item_type: str) -> list[SpecItem]:
        return [item for item in self.items if item.type == item_type]

    def linked(self, item: SpecItem) -> set[str]:
        """IDs linked to or from ``item``, any link type."""
        found = {target for targets in item.links.values() for target in targets}
        found.update(s for sources in self.incoming.get(item.id, {}).values() for s in sources)
        return found

    def orphans(self, item_type: str) -> list[SpecItem]:
        """Items linked to or from no item of another type (the coverage page lists them)."""
        return [
            item
            for item in self.of_type(item_type)
            if all(self.by_id(other).type == item.type for other in self.linked(item))
        ]

    def verified(self) -> list[SpecItem]:
        return [
            i for i in self.of_type("requirement") if self.incoming.get(i.id, {}).get("verifies")
        ]


def make_spec(n: int, seed: int = DEFAULT_SEED) -> Spec:
    """Draw N items, their fields, links and prose from ``seed``."""
    rng = random.Random(seed)
    n_req = max(1, round(n * REQUIREMENT_SHARE))
    n_comp = max(1, round(n * COMPONENT_SHARE))
    n_test = max(1, n - n_req - n_comp)
    counts = {"requirement": n_req, "component": n_comp, "test-case": n_test}

    items: list[SpecItem] = []
    titles: set[str] = set()
    for item_type, count in counts.items():
        for number in range(1, count + 1):
            title = _unique_title(rng, item_type, titles)
            item = SpecItem(
                id=f"{PREFIX[item_type]}-{number:05d}",
                type=item_type,
                number=number,
                title=title,
                status=rng.choice(STATUSES),
                priority=rng.choice(PRIORITIES),
                tags=sorted(rng.sample(TAGS, rng.randint(1, 3))),
                paragraphs=[_paragraph(rng) for _ in range(rng.randint(1, 3))],
            )
            if item_type == "requirement":
                item.kind = rng.choice(KINDS)
                if item.kind == "performance":
                    item.metric = f"p95 below {rng.choice((50, 100, 200, 500))} ms"
            items.append(item)

    ids = {t: [f"{PREFIX[t]}-{i:05d}" for i in range(1, c + 1)] for t, c in counts.items()}
    for item in items:
        if item.type == "requirement":
            # Refine an earlier requirement only: the refines graph stays acyclic.
            if item.number > 1 and rng.random() < 0.5:
                item.links["refines"] = [ids["requirement"][rng.randrange(item.number - 1)]]
        elif item.type == "component":
            item.links["implements"] = _sample_ids(rng, ids["requirement"], 1, 3)
            if item.number > 1:
                earlier = ids["component"][: item.number - 1]
                depends = _sample_ids(rng, earlier, 0, 2)
                if depends:
                    item.links["depends-on"] = depends
        else:
            item.links["verifies"] = _sample_ids(rng, ids["requirement"], 1, 3)
        if rng.random() < 0.3:
            item.mentions = [rng.choice(ids["requirement"])]

    pages: dict[str, list[SpecItem]] = {}
    for item_type in counts:
        of_type = [item for item in items if item.type == item_type]
        for start in range(0, len(of_type), ITEMS_PER_PAGE):
            page = f"{FOLDER[item_type]}/page-{start // ITEMS_PER_PAGE + 1:04d}"
            pages[page] = of_type[start : start + ITEMS_PER_PAGE]
            for item in pages[page]:
                item.page = page

    incoming: dict[str, dict[str, list[str]]] = {}
    for item in items:
        for link_name, targets in item.links.items():
            for target in targets:
                incoming.setdefault(target, {}).setdefault(link_name, []).append(item.id)
    return Spec(items, pages, incoming, edited_id=ids["test-case"][0])


def _unique_title(rng: random.Random, item_type: str, seen: set[str]) -> str:
    while True:
        noun, verb, qualifier = rng.choice(NOUNS), rng.choice(VERBS), rng.choice(QUALIFIERS)
        other = rng.choice(NOUNS)
        if item_type == "test-case":
            title = f"Check that the {noun} service {verb} the {other} {qualifier}"
        elif item_type == "component":
            title = f"{noun.capitalize()} {rng.choice(('service', 'store', 'worker', 'adapter'))}"
            title += f" for {other} {rng.choice(('handling', 'processing', 'access'))}"
        else:
            title = f"The {noun} {verb} the {other} {qualifier}"
        if title not in seen:
            seen.add(title)
            return title


def _sample_ids(rng: random.Random, pool: list[str], low: int, high: int) -> list[str]:
    count = min(len(pool), rng.randint(low, high))
    return sorted(rng.sample(pool, count))


def _paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        start = rng.randrange(len(WORDS) - 12)
        words = WORDS[start : start + rng.randint(8, 12)]
        sentence = " ".join(words)
        if rng.random() < 0.3:
            noun, verb, tag = rng.choice(NOUNS), rng.choice(VERBS), rng.choice(TAGS)
            sentence += f" and the {noun} **{verb}** ``{tag}``"
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    return " ".join(sentences)


# -- forms ---------------------------------------------------------------------------


class Form:
    """How one tool writes the spec: a conf.py, item markup, the two views."""

    name: str = ""
    conf: str = ""

    def __init__(self, spec: Spec, views: bool) -> None:
        self.spec = spec
        self.views = views

    def item(self, item: SpecItem) -> list[str]:
        raise NotImplementedError

    def mention(self, item_id: str) -> str:
        raise NotImplementedError

    def matrix_page(self) -> list[str]:
        raise NotImplementedError

    def coverage_page(self) -> list[str]:
        raise NotImplementedError

    def body(self, item: SpecItem) -> list[str]:
        lines: list[str] = []
        for number, paragraph in enumerate(item.paragraphs):
            if number == 0 and item.mentions:
                paragraph += f" See also {self.mention(item.mentions[0])}."
            lines += ["", *_wrap(paragraph, "   ")]
        return lines


class TechspecForm(Form):
    name = "techspec"
    conf = 'extensions = ["sphinx_techspec"]\n'
    views_conf = ""

    def item(self, item: SpecItem) -> list[str]:
        lines = [f".. {item.type}:: {item.id} {item.title}", f"   :status: {item.status}"]
        lines.append(f"   :priority: {item.priority}")
        if item.kind:
            lines.append(f"   :kind: {item.kind}")
        if item.metric:
            lines.append(f"   :metric: {item.metric}")
        lines.append(f"   :tags: {', '.join(item.tags)}")
        for link_name, targets in item.links.items():
            lines.append(f"   :{link_name}: {', '.join(targets)}")
        return lines + self.body(item)

    def mention(self, item_id: str) -> str:
        return f":req:`{item_id}`"

    def matrix_page(self) -> list[str]:
        if not self.views:
            return ["Views are off (``--no-views``): the matrix directive is not used.", ""]
        return [
            ".. traceability-matrix::",
            "   :types: requirement",
            "   :columns: refined by, implemented by, verified by",
            "",
        ]

    def coverage_page(self) -> list[str]:
        if not self.views:
            return ["Views are off (``--no-views``): the coverage directive is not used.", ""]
        return [".. coverage-report::", "   :rules: requirement verifies", ""]


class PlainForm(Form):
    name = "plain"
    conf = "extensions = []\n"

    def item(self, item: SpecItem) -> list[str]:
        heading = f"{item.id}: {item.title}"
        # Long underlines: the one edit lengthens a title.
        lines = [f".. _{item.id}:", "", heading, "-" * (len(heading) + 12), ""]
        lines.append(f":Status: {item.status}")
        lines.append(f":Priority: {item.priority}")
        if item.kind:
            lines.append(f":Kind: {item.kind}")
        if item.metric:
            lines.append(f":Metric: {item.metric}")
        lines.append(f":Tags: {', '.join(item.tags)}")
        for link_name, targets in item.links.items():
            label = link_name.replace("-", " ").capitalize()
            lines.append(f":{label}: {self.refs(targets)}")
        incoming = self.spec.incoming.get(item.id, {})
        for label, link_name in REVERSE_LINKS:
            if incoming.get(link_name):
                lines.append(f":{label}: {self.refs(incoming[link_name])}")
        return lines + [line[3:] for line in self.body(item)]

    def refs(self, item_ids: Iterable[str]) -> str:
        """``ID title`` links: the text a techspec item link shows."""
        return ", ".join(
            f":ref:`{item_id} {self.spec.by_id(item_id).title} <{item_id}>`" for item_id in item_ids
        )

    def mention(self, item_id: str) -> str:
        return f":ref:`{item_id} <{item_id}>`"

    def matrix_page(self) -> list[str]:
        rows = [["Requirement", "Refined by", "Implemented by", "Verified by"]]
        for item in self.spec.of_type("requirement"):
            incoming = self.spec.incoming.get(item.id, {})
            rows.append(
                [
                    f":ref:`{item.id} <{item.id}>`",
                    *(
                        ", ".join(f":ref:`{s} <{s}>`" for s in incoming.get(name, ()))
                        for name in ("refines", "implements", "verifies")
                    ),
                ]
            )
        return list_table("Traceability matrix", rows)

    def coverage_page(self) -> list[str]:
        spec = self.spec
        lines = ["**Items by status**", ""]
        lines += list_table("", status_rows(spec))
        requirements = spec.of_type("requirement")
        covered = len(spec.verified())
        lines += ["**Coverage rules**", ""]
        lines += list_table(
            "",
            [
                ["Rule", "Covered", "Percent", "Kind"],
                [
                    "requirement verified by",
                    f"{covered} of {len(requirements)}",
                    f"{covered * 100 // len(requirements)} %",
                    "report only",
                ],
            ],
        )
        lines += ["**Orphans**", ""]
        for item_type in PREFIX:
            orphans = spec.orphans(item_type)
            if orphans:
                links = ", ".join(f":ref:`{i.id} <{i.id}>`" for i in orphans)
                lines.append(
                    f"- {HEADING[item_type]} linked to no other kind of item ({len(orphans)}): "
                    + links
                )
        return [*lines, ""]


def status_rows(spec: Spec) -> list[list[str]]:
    """Items per type and status: the first table of every form's coverage page."""
    statuses = [s for s in STATUSES if any(i.status == s for i in spec.items)]
    rows = [["Type", "Total", *statuses]]
    for item_type in PREFIX:
        of_type = spec.of_type(item_type)
        counts = [str(sum(1 for i in of_type if i.status == s)) for s in statuses]
        rows.append([HEADING[item_type], str(len(of_type)), *counts])
    return rows


class NeedsForm(Form):
    name = "needs"
    conf = """extensions = ["sphinx_needs"]
needs_id_regex = r"^[A-Z0-9_-]{5,}"
needs_links = {
    "refines": {"incoming": "refined by", "outgoing": "refines"},
    "implements": {"incoming": "implemented by", "outgoing": "implements"},
    "depends_on": {"incoming": "used by", "outgoing": "depends on"},
    "verifies": {"incoming": "verified by", "outgoing": "verifies"},
}
needs_fields = {
    "priority": {"description": "priority", "nullable": True},
    "kind": {"description": "requirement kind", "nullable": True},
    "metric": {"description": "acceptance metric", "nullable": True},
}
"""
    directive = {"requirement": "req", "component": "spec", "test-case": "test"}

    def item(self, item: SpecItem) -> list[str]:
        lines = [f".. {self.directive[item.type]}:: {item.title}", f"   :id: {item.id}"]
        lines.append(f"   :status: {item.status}")
        lines.append(f"   :priority: {item.priority}")
        if item.kind:
            lines.append(f"   :kind: {item.kind}")
        if item.metric:
            lines.append(f"   :metric: {item.metric}")
        lines.append(f"   :tags: {'; '.join(item.tags)}")
        for link_name, targets in item.links.items():
            lines.append(f"   :{link_name.replace('-', '_')}: {', '.join(targets)}")
        return lines + self.body(item)

    def mention(self, item_id: str) -> str:
        return f":need:`{item_id}`"

    def matrix_page(self) -> list[str]:
        return [
            ".. needtable:: Traceability matrix",
            "   :types: req",
            '   :columns: id;title;refines_back as "Refined by";'
            'implements_back as "Implemented by";verifies_back as "Verified by"',
            "   :style: table",
            "",
        ]

    def coverage_page(self) -> list[str]:
        types = {"requirement": "req", "component": "spec", "test-case": "test"}
        rows = status_rows(self.spec)
        for row, item_type in zip(rows[1:], PREFIX, strict=True):
            kind = types[item_type]
            row[1] = f":need_count:`type=='{kind}'`"
            row[2:] = [
                f":need_count:`type=='{kind}' and status=='{status}'`" for status in rows[0][2:]
            ]
        lines = ["**Items by status**", "", *list_table("", rows), "**Coverage rules**", ""]
        lines += list_table(
            "",
            [
                ["Rule", "Covered", "Percent", "Kind"],
                [
                    "requirement verified by",
                    ":need_count:`type=='req' and len(verifies_back) > 0` of "
                    ":need_count:`type=='req'`",
                    ":need_count:`type=='req' and len(verifies_back) > 0 ? type=='req'` %",
                    "report only",
                ],
            ],
        )
        return [
            *lines,
            ".. needtable:: Orphans",
            "   :filter: (type == 'req' and len(implements_back) == 0 and "
            "len(verifies_back) == 0) or (type == 'spec' and len(implements) == 0) or "
            "(type == 'test' and len(verifies) == 0)",
            "   :columns: id",
            "   :style: table",
            "",
        ]


class MlxForm(Form):
    name = "mlx"
    conf = """extensions = ["mlx.traceability"]
traceability_render_relationship_per_item = True
traceability_relationships = {
    "refines": "refined_by",
    "implements": "implemented_by",
    "depends_on": "used_by",
    "verifies": "verified_by",
}
traceability_relationship_to_string = {
    "refines": "Refines", "refined_by": "Refined by",
    "implements": "Implements", "implemented_by": "Implemented by",
    "depends_on": "Depends on", "used_by": "Used by",
    "verifies": "Verifies", "verified_by": "Verified by",
}
traceability_attributes = {
    "status": "^.*$", "priority": "^.*$", "kind": "^.*$", "metric": "^.*$", "tags": "^.*$",
}
traceability_attribute_to_string = {
    "status": "Status", "priority": "Priority", "kind": "Kind", "metric": "Metric",
    "tags": "Tags",
}
"""

    def item(self, item: SpecItem) -> list[str]:
        lines = [f".. item:: {item.id} {item.title}", f"   :status: {item.status}"]
        lines.append(f"   :priority: {item.priority}")
        if item.kind:
            lines.append(f"   :kind: {item.kind}")
        if item.metric:
            lines.append(f"   :metric: {item.metric}")
        lines.append(f"   :tags: {', '.join(item.tags)}")
        for link_name, targets in item.links.items():
            lines.append(f"   :{link_name.replace('-', '_')}: {' '.join(targets)}")
        return lines + self.body(item)

    def mention(self, item_id: str) -> str:
        return f":item:`{item_id}`"

    def matrix_page(self) -> list[str]:
        return [
            ".. item-matrix:: Traceability matrix",
            "   :source: REQ",
            "   :target: REQ COMP TC",
            "   :sourcetitle: Requirement",
            "   :targettitle: Refined by, Implemented by, Verified by",
            "   :type: refined_by implemented_by verified_by",
            "   :stats:",
            "",
        ]

    def coverage_page(self) -> list[str]:
        return [
            ".. item-matrix:: Requirements without a test",
            "   :source: REQ",
            "   :target: TC",
            "   :type: verified_by",
            "   :onlyuncovered:",
            "   :stats:",
            "",
        ]


FORM_CLASSES: dict[str, type[Form]] = {
    "techspec": TechspecForm,
    "plain": PlainForm,
    "needs": NeedsForm,
    "mlx": MlxForm,
}


def list_table(caption: str, rows: list[list[str]]) -> list[str]:
    lines = [f".. list-table:: {caption}", "   :header-rows: 1", ""]
    for row in rows:
        lines.append(f"   * - {row[0] or '..'}")
        lines += [f"     - {cell or '—'}" for cell in row[1:]]
    return [*lines, ""]


def _wrap(text: str, indent: str, width: int = 96) -> list[str]:
    lines, current = [], indent
    for word in text.split():
        if len(current) + len(word) + 1 > width and current.strip():
            lines.append(current.rstrip())
            current = indent
        current += word + " "
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _title(text: str, char: str = "=") -> list[str]:
    return [text, char * len(text), ""]


def techspec_views_available() -> bool:
    """Whether sphinx-techspec registers the matrix and coverage view directives yet."""
    import sphinx_techspec

    package = Path(sphinx_techspec.__file__).parent
    pattern = re.compile(r"""["']traceability-matrix["']""")
    has_matrix = any(pattern.search(p.read_text()) for p in package.rglob("*.py"))
    has_coverage = any("coverage-report" in p.read_text() for p in package.rglob("*.py"))
    return has_matrix and has_coverage


def write_form(spec: Spec, form_name: str, root: Path, views: bool = True) -> Path:
    """Write ``root`` as a Sphinx project of ``spec`` in ``form_name``; returns its path."""
    form = FORM_CLASSES[form_name](spec, views)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "conf.py").write_text(f'project = "bench-{form_name}-{len(spec.items)}"\n{form.conf}')
    index = [*_title(f"Synthetic specification ({len(spec.items)} items)")]
    index += [".. toctree::", "   :maxdepth: 1", "", "   matrix", "   coverage"]
    index += [f"   {page}" for page in spec.pages] + [""]
    _write(root / "index.rst", index)
    _write(root / "matrix.rst", [*_title("Traceability matrix"), *form.matrix_page()])
    _write(root / "coverage.rst", [*_title("Coverage"), *form.coverage_page()])
    for page, items in spec.pages.items():
        first, last = items[0].id, items[-1].id
        lines = _title(f"{HEADING[items[0].type]} {first} to {last}")
        for item in items:
            lines += [*form.item(item), ""]
        _write(root / f"{page}.rst", lines)

    edited = spec.by_id(spec.edited_id)
    manifest = {
        "form": form_name,
        "n": len(spec.items),
        "views": views,
        "pages": ["index", "matrix", "coverage", *spec.pages],
        "edit": {
            "page": f"{edited.page}.rst",
            "item": edited.id,
            "old_title": edited.title,
            "new_title": edited.title.replace("Check that", "Revised check that", 1),
        },
    }
    (root / "bench.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return root


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).rstrip() + "\n")


def generate(
    n: int,
    out: Path,
    forms: Iterable[str] = FORMS,
    seed: int = DEFAULT_SEED,
    views: bool | None = None,
    on_form: Callable[[str, Path], None] | None = None,
) -> dict[str, Path]:
    """Write every form of an N-item spec under ``out/<form>``."""
    spec = make_spec(n, seed)
    if views is None:
        views = techspec_views_available()
    written = {}
    for form_name in forms:
        written[form_name] = write_form(spec, form_name, out / form_name, views)
        if on_form:
            on_form(form_name, written[form_name])
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of items")
    parser.add_argument("--out", type=Path, help="folder for the forms (default bench/out/N)")
    parser.add_argument("--forms", default=",".join(FORMS), help="comma-separated forms")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    views = parser.add_mutually_exclusive_group()
    views.add_argument(
        "--views",
        dest="views",
        action="store_true",
        default=None,
        help="use the techspec matrix/coverage directives",
    )
    views.add_argument(
        "--no-views",
        dest="views",
        action="store_false",
        help="leave them out (default: use them if the package has them)",
    )
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).parent / "out" / str(args.n)
    forms = [f for f in args.forms.split(",") if f]
    for name in forms:
        if name not in FORM_CLASSES:
            parser.error(f"unknown form {name!r} (one of {', '.join(FORMS)})")
    generate(
        args.n, out, forms, args.seed, args.views, on_form=lambda name, path: print(f"wrote {path}")
    )


if __name__ == "__main__":
    main()
