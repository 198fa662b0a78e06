"""The bad-input corpus: every directive, option and config value, given bad input.

One small project per case, generated in a temporary directory. Each case
asserts that the build finishes, that every warning is a located
``techspec.<subtype>`` warning, that the expected one is there at the expected
file and line (the page, or conf.py), and that no content is lost (the item or
view's neighbours and body are still in the output) and no markup got through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from hardening_projects import build, located

from sphinx_techspec.feature import all_features, config_values, views
from sphinx_techspec.schema import declared_types

pytestmark = pytest.mark.slow(seconds=16)

HOSTILE = "\"quote' <script>alert(1)</script> %%{init: {}}%% **bold** `x` :spec:`NOPE`"
SCRIPT = "<script>alert(1)</script>"
DIGITS = "9" * 5000
DEEP_JSON = "[" * 5000 + "]" * 5000

ITEM_TYPES, LINK_TYPES = declared_types(all_features())

#: The warning an item type without an argument gives (default: bad_id).
NO_ARGUMENT = {"spec-header": "missing_title", "api-endpoint": "bad_endpoint"}

#: How each item type's argument is written when it is fine.
SIGNATURES = {"data-model": "Thing", "api-endpoint": "GET /things"}
#: Bodies in a type's own line syntax that still carry the KEEP-BODY marker.
#: (Mermaid text escapes "-", so the flows' marker has none.)
BODIES = {"sequence": "X-1 -> X-1: KEEPBODY", "workflow": "step one: KEEPBODY"}

#: A bad value for each field kind, and the warning it gives (None: accepted, escaped).
BAD_FIELD_VALUES = {
    "choice": (SCRIPT, "bad_value"),
    "choice-list": (f"a, {SCRIPT}", "bad_value"),
    "integer": (DIGITS, "bad_value"),
    "date": ("%%{init: {}}%%", "bad_value"),
    "flag": ("yes", "bad_option"),
    "text": (HOSTILE, None),
    "list": (HOSTILE, None),
}


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str]
    subtype: str | None
    where: str  # "index.rst:1", "conf.py:3"
    conf: str = ""
    keep: tuple[str, ...] = ("KEEP-BEFORE", "KEEP-AFTER")
    absent: tuple[str, ...] = field(default=(SCRIPT,))
    #: Options written under the directive at ``where``: a warning about one of them is at
    #: its own line, one of the ``options`` lines after ``where``.
    options: int = 0

    def __repr__(self) -> str:
        return self.id

    def places(self) -> list[str]:
        """``where`` (with its colon), and each option line under it."""
        path, _, line = self.where.rpartition(":")
        return [f"{path}:{int(line) + n}:" for n in range(self.options + 1)]


def page(directive: str, argument: str, options: dict[str, str], body: str, myst: bool) -> str:
    """One page: a paragraph, the directive at line 3, a paragraph after it."""
    lines = [f":{name}: {value}".rstrip() for name, value in options.items()]
    if myst:
        text = [f"```{{{directive}}} {argument}".rstrip(), *lines]
        if body:
            text += ["", body]
        text.append("```")
    else:
        text = [f".. {directive}:: {argument}".rstrip(), *(f"   {line}" for line in lines)]
        if body:
            text += ["", *(f"   {line}" for line in body.splitlines())]
    return "KEEP-BEFORE\n\n" + "\n".join(text) + "\n\nKEEP-AFTER\n"


def item_case(
    id_: str,
    item_type: str,
    subtype: str | None,
    options: dict[str, str] | None = None,
    argument: str | None = None,
    body: str = "KEEP-BODY",
    myst: bool = False,
    line: int = 3,
) -> Case:
    if argument is None:
        argument = SIGNATURES.get(item_type, "X-1 A title")
    if body == "KEEP-BODY":
        body = BODIES.get(item_type, body)
    name = "index.md" if myst else "index.rst"
    text = page(item_type, argument, options or {}, body, myst)
    marker = next((m for m in ("KEEP-BODY", "KEEPBODY") if m in body), None)
    keep = ("KEEP-BEFORE", "KEEP-AFTER", *((marker,) if marker else ()))
    return Case(id_, {name: text}, subtype, f"{name}:{line}", keep=keep, options=len(options or {}))


def item_cases() -> list[Case]:
    from sphinx_techspec.schema import SpecSchema

    cases: list[Case] = []
    for item_type in ITEM_TYPES:
        name = item_type.name
        for myst in (False, True):
            suffix = "-myst" if myst else ""
            cases.append(
                item_case(
                    f"{name}-unknown-option{suffix}", name, "bad_option", {"bogus": "x"}, myst=myst
                )
            )
        cases.append(item_case(f"{name}-hostile-id", name, "bad_id", argument=f'x"{SCRIPT} T'))
        no_argument = NO_ARGUMENT.get(name, "bad_id")
        cases.append(item_case(f"{name}-no-argument", name, no_argument, argument=""))
        cases.append(
            item_case(f"{name}-hostile-title", name, None, argument=_hostile_signature(name))
        )
        cases.append(item_case(f"{name}-empty-body", name, None, body=""))
        fields = _fields_of(name)
        for spec in fields:
            value, subtype = BAD_FIELD_VALUES[spec.kind]
            if spec.kind == "choice" and not _has_choices(spec):
                value, subtype = HOSTILE, None
            cases.append(item_case(f"{name}-{spec.name}-bad", name, subtype, {spec.name: value}))
        allowed = [link for link in LINK_TYPES if link.allows_source(name)]
        other = next((link for link in LINK_TYPES if not link.allows_source(name)), None)
        if other is not None:
            cases.append(
                item_case(f"{name}-link-not-allowed", name, "bad_option", {other.name: "X-9"})
            )
        # Every link type on its first source type (requirement for a link of any type).
        for link in allowed:
            if (link.sources[:1] or ("requirement",))[0] != name:
                continue
            cases.append(
                item_case(f"{name}-{link.name}-unknown", name, "unknown_ref", {link.name: "NOPE-1"})
            )
            cases.append(
                item_case(f"{name}-{link.name}-empty", name, "bad_option", {link.name: ","})
            )
    del SpecSchema
    return cases


def _hostile_signature(item_type: str) -> str:
    if item_type == "data-model":
        return f"Thing {HOSTILE}"
    if item_type == "api-endpoint":
        return "GET /things"
    return f"X-1 {HOSTILE}"


def _fields_of(item_type: str):
    from types import SimpleNamespace

    from sphinx_techspec.schema import SpecSchema

    config = SimpleNamespace(
        techspec_item_types=[], techspec_link_types=[], techspec_id_pattern=r"[A-Za-z0-9_.-]+"
    )
    schema = SpecSchema.build(config, all_features())
    return schema.fields_of(schema.item_types[item_type])


def _has_choices(spec) -> bool:
    return bool(spec.choices or spec.choices_config)


DESIGN_CASES = [
    item_case("data-model-bad-name", "data-model", "bad_id", argument="1bad"),
    item_case("data-model-id-hostile", "data-model", "bad_id", {"id": f'x"{SCRIPT}'}),
    item_case("data-model-indexes-unknown", "data-model", "bad_field", {"indexes": "nosuch"}),
    item_case("data-model-open-value", "data-model", "bad_option", {"open": "no"}),
    item_case(
        "data-model-deep-json",
        "data-model",
        "bad_json",
        body=f"KEEP-BODY\n\n:example:\n\n   {DEEP_JSON}",
        line=9,
    ),
    item_case(
        "data-model-digits-json",
        "data-model",
        "bad_json",
        body=f'KEEP-BODY\n\n:example:\n\n   {{"n": {DIGITS}}}',
        line=9,
    ),
    item_case(
        "data-model-surrogate-json",
        "data-model",
        "bad_json",
        body='KEEP-BODY\n\n:example:\n\n   {"s": "\\ud800"}',
        line=9,
    ),
    item_case(
        "data-model-nan-default",
        "data-model",
        None,
        body="KEEP-BODY\n\n:field n: number, default NaN",
    ),
    item_case(
        "data-model-bad-field",
        "data-model",
        "bad_field",
        body="KEEP-BODY\n\n:field n: enum(",
        line=7,
    ),
    item_case("api-endpoint-bad-method", "api-endpoint", "bad_endpoint", argument="FETCH /x"),
    item_case("api-endpoint-stray-brace", "api-endpoint", "bad_endpoint", argument="GET /a}{b"),
    item_case("api-endpoint-id-hostile", "api-endpoint", "bad_id", {"id": f'x"{SCRIPT}'}),
    item_case("api-endpoint-request-bad", "api-endpoint", "bad_field", {"request": "enum("}),
    item_case("api-endpoint-response-bad", "api-endpoint", "bad_field", {"response": "999"}),
    item_case("api-endpoint-auth-unknown", "api-endpoint", "bad_value", {"auth": "nosuch"}),
    item_case("api-endpoint-summary-hostile", "api-endpoint", None, {"summary": HOSTILE}),
    item_case("api-endpoint-rate-limit-hostile", "api-endpoint", None, {"rate-limit": HOSTILE}),
    item_case(
        "api-endpoint-example-json",
        "api-endpoint",
        "bad_json",
        body=f"KEEP-BODY\n\n:example request:\n\n   {DEEP_JSON}",
        line=9,
    ),
    item_case(
        "api-endpoint-param-bad",
        "api-endpoint",
        "bad_field",
        body="KEEP-BODY\n\n:query limit: enum(",
        line=7,
    ),
    item_case(
        "error-code-status-range",
        "error-code",
        "bad_value",
        {"http-status": "999"},
        argument="E_X Title",
    ),
]


def view_cases() -> list[Case]:
    cases: list[Case] = []
    for name, view in sorted(views().items()):
        directive = view.directive
        for myst in (False, True):
            suffix = "-myst" if myst else ""
            cases.append(
                _view_case(
                    f"{name}-unknown-option{suffix}",
                    name,
                    "bad_option",
                    {"bogus": SCRIPT},
                    myst=myst,
                )
            )
        if not directive.takes_argument:
            cases.append(_view_case(f"{name}-argument", name, "bad_option", argument=HOSTILE))
        if not directive.takes_content:
            cases.append(_view_case(f"{name}-content", name, "bad_option", body=HOSTILE))
        if directive.filters:
            cases.append(
                _view_case(f"{name}-types-unknown", name, "unknown_type", {"types": "nosuch"})
            )
            cases.append(_view_case(f"{name}-ids-unknown", name, "unknown_ref", {"ids": "NOPE-1"}))
            cases.append(
                _view_case(f"{name}-status-hostile", name, "bad_value", {"status": SCRIPT})
            )
            cases.append(_view_case(f"{name}-kind-unknown", name, "bad_value", {"kind": SCRIPT}))
            # A glob matching no page is not an error: the view says nothing matches.
            cases.append(_view_case(f"{name}-docs-unknown", name, None, {"docs": "nosuch*"}))
            cases.append(_view_case(f"{name}-tags-hostile", name, None, {"tags": HOSTILE}))
    return cases


def _view_case(
    id_: str,
    name: str,
    subtype: str | None,
    options: dict[str, str] | None = None,
    argument: str = "",
    body: str = "",
    myst: bool = False,
) -> Case:
    filename = "index.md" if myst else "index.rst"
    text = page(name, argument, options or {}, body, myst)
    text += "\n" + page("requirement", "REQ-1 KEEP-ITEM", {}, "", myst).split("\n\n", 1)[1]
    keep = ("KEEP-BEFORE", "KEEP-AFTER", "KEEP-ITEM")
    return Case(
        id_, {filename: text}, subtype, f"{filename}:3", keep=keep, options=len(options or {})
    )


VIEW_OPTION_CASES = [
    _view_case(
        "traceability-matrix-empty-columns",
        "traceability-matrix",
        "bad_value",
        {"style": "grid", "empty-columns": SCRIPT},
    ),
    _view_case(
        "traceability-matrix-results", "traceability-matrix", "bad_option", {"results": "x"}
    ),
    _view_case(
        "traceability-graph-max-nodes",
        "traceability-graph",
        "bad_value",
        {"max-nodes": DIGITS},
        argument="REQ-1",
    ),
    _view_case(
        "architecture-diagram-max-nodes", "architecture-diagram", "bad_value", {"max-nodes": "0"}
    ),
    _view_case("traceability-matrix-style", "traceability-matrix", "bad_value", {"style": "x"}),
    _view_case(
        "traceability-matrix-columns", "traceability-matrix", "unknown_type", {"columns": SCRIPT}
    ),
    _view_case("item-table-columns", "item-table", "bad_option", {"columns": SCRIPT}),
    _view_case("item-table-sort", "item-table", "bad_value", {"sort": SCRIPT}),
    _view_case("coverage-report-rules", "coverage-report", "unknown_type", {"rules": SCRIPT}),
    _view_case("code-references-links", "code-references", "unknown_type", {"links": SCRIPT}),
    _view_case("impact-since", "impact", "bad_baseline", {"since": SCRIPT}),
    _view_case(
        "traceability-graph-depth",
        "traceability-graph",
        "bad_value",
        {"depth": DIGITS},
        argument="REQ-1",
    ),
    _view_case(
        "traceability-graph-direction",
        "traceability-graph",
        "bad_value",
        {"direction": SCRIPT},
        argument="REQ-1",
    ),
    _view_case(
        "traceability-graph-links",
        "traceability-graph",
        "unknown_type",
        {"links": SCRIPT},
        argument="REQ-1",
    ),
    _view_case(
        "traceability-graph-root-unknown", "traceability-graph", "unknown_ref", argument="NOPE-1"
    ),
    _view_case(
        "architecture-diagram-include", "architecture-diagram", "unknown_type", {"include": SCRIPT}
    ),
    _view_case(
        "architecture-diagram-expand", "architecture-diagram", "unknown_ref", {"expand": SCRIPT}
    ),
    _view_case("api-index-components", "api-index", "unknown_ref", {"components": "NOPE-1"}),
    _view_case("er-diagram-models", "er-diagram", "unknown_ref", {"models": "NOPE"}),
    _view_case(
        "traceability-graph-alt-hostile",
        "traceability-graph",
        None,
        {"alt": HOSTILE},
        argument="REQ-1",
    ),
    _view_case("architecture-diagram-alt-hostile", "architecture-diagram", None, {"alt": HOSTILE}),
    _view_case("er-diagram-caption-hostile", "er-diagram", None, {"caption": HOSTILE}),
    _view_case("spec-guide-no-argument", "spec-guide", "bad_option"),
    _view_case("spec-guide-unknown-section", "spec-guide", "bad_value", argument=SCRIPT),
    _view_case(
        "spec-guide-unknown-option", "spec-guide", "bad_option", {"bogus": "x"}, argument="scope"
    ),
    _view_case("scope-unknown-option", "scope", "bad_option", {"bogus": "x"}),
    _view_case("scope-argument", "scope", "bad_option", argument="x"),
    _view_case("scope-no-entries", "scope", "bad_option", body="KEEP-SCOPE"),
]


def config_cases() -> list[Case]:
    cases: list[Case] = []
    for name, declared in sorted(config_values().items()):
        for label, value in _bad_config_values(declared.schema):
            conf = f"{name} = {value}\n"
            files = {"index.rst": "KEEP-BEFORE\n\n.. requirement:: REQ-1 KEEP-ITEM\n\nKEEP-AFTER\n"}
            keep = ("KEEP-BEFORE", "KEEP-AFTER", "KEEP-ITEM")
            cases.append(Case(f"{name}-{label}", files, "bad_config", "conf.py:3", conf, keep))
    return cases


def _bad_config_values(schema) -> list[tuple[str, str]]:
    kinds = _schema_types(schema)
    values: list[tuple[str, str]] = []
    if "array" in kinds:
        values += [("wrong-type", "5")]
        if "null" not in kinds:  # None is a valid value of this one (techspec_features)
            values.append(("none", "None"))
        values += [
            ("wrong-entries", "[5, None]"),
            ("huge", "[5] * 2000"),
            ("hostile-entry", f"[{{'x': {SCRIPT!r}}}]"),
        ]
        entry = schema.get("items", {})
        if "object" in _schema_types(entry):
            values.append(
                ("unknown-key", "[{'name': 'x', 'lable': 'y', 'type': 'x', 'link': 'y'}]")
            )
    elif "object" in kinds:
        values += [
            ("wrong-type", "5"),
            ("wrong-shape", "[1, 2]"),
            ("unknown-key", "{'titel': 'x', 'x': {'tipe': 'http'}}"),
        ]
    elif "number" in kinds or "integer" in kinds:
        values += [("wrong-type", "'ten'"), ("wrong-shape", "[1]")]
        if "exclusiveMinimum" in schema or "minimum" in schema:
            values.append(("too-small", "-1"))
    elif "boolean" in kinds:
        values += [("wrong-type", "'yes'"), ("hostile", repr(SCRIPT))]
    elif "string" in kinds:
        values += [("wrong-type", "5"), ("wrong-shape", "['a']")]
        if schema.get("minLength"):
            values.append(("empty", "''"))
    return values


def _schema_types(schema) -> set[str]:
    found: set[str] = set()
    kind = schema.get("type")
    if isinstance(kind, str):
        found.add(kind)
    elif isinstance(kind, list):
        found.update(kind)
    for branch in schema.get("anyOf", ()):
        found |= _schema_types(branch)
    return found


OTHER_CONFIG_CASES = [
    Case(
        "techspec_id_pattern-bad-regex",
        {"index.rst": "KEEP-BEFORE\n\nKEEP-AFTER\n"},
        "bad_config",
        "conf.py:3",
        "techspec_id_pattern = '(' * 5000\n",
    ),
    Case(
        "techspec_item_types-typo",
        {"index.rst": "KEEP-BEFORE\n\nKEEP-AFTER\n"},
        "bad_config",
        "conf.py:3",
        "techspec_item_types = [{'name': 'widget', 'lable': 'Widget'}]\n",
    ),
    Case(
        "techspec_coverage_rules-unknown-type",
        {"index.rst": "KEEP-BEFORE\n\nKEEP-AFTER\n"},
        "bad_config",
        "conf.py:3",
        "techspec_coverage_rules = [{'type': 'nosuch', 'link': 'verifies'}]\n",
    ),
    Case(
        "techspec_link_types-unknown-item-type",
        {"index.rst": "KEEP-BEFORE\n\nKEEP-AFTER\n"},
        "bad_config",
        "conf.py:3",
        "techspec_link_types = [{'name': 'x', 'reverse': 'y', 'sources': ['nosuch']}]\n",
    ),
]

HUGE = "word " * 20_000

HUGE_CASES = [
    item_case("requirement-huge-title", "requirement", None, argument=f"REQ-1 {HUGE}"),
    item_case("requirement-huge-status", "requirement", "bad_value", {"status": HUGE.strip()}),
    item_case("requirement-huge-body", "requirement", None, body=f"KEEP-BODY {HUGE}"),
    item_case(
        "requirement-huge-links",
        "requirement",
        "unknown_ref",
        {"refines": ", ".join(f"R-{n}" for n in range(2000))},
    ),
    item_case("api-endpoint-huge-path", "api-endpoint", None, argument="GET /" + "a" * 5000),
]

CASES = [
    *item_cases(),
    *HUGE_CASES,
    *DESIGN_CASES,
    *view_cases(),
    *VIEW_OPTION_CASES,
    *config_cases(),
    *OTHER_CONFIG_CASES,
]

_TAG = re.compile(r"\[techspec\.[a-z_]+\]$")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(tmp_path, case):
    # Hostile text is checked in HTML (markup must not get through); the rest is
    # built as text, thirty times faster, with the same reading and checks.
    html = "hostile" in case.id and not case.id.startswith("techspec_")
    conf = case.conf + ("html_theme = 'basic'\n" if html else "")
    built = build(tmp_path, case.files, conf, builder="html" if html else "text")
    for line in built.warnings:
        assert located(line) and _TAG.search(line), line
    if case.subtype is not None:
        found = built.typed(case.subtype)
        assert any(where in line for where in case.places() for line in found), built.warnings
    output = built.page("index", ".html" if html else ".txt")
    for text in case.keep:
        assert text in output, text
    if html:
        for text in case.absent:
            assert text not in output
        assert 'onmouseover="' not in built.page("genindex")


def test_the_corpus_covers_every_directive_option_and_config_value():
    ids = {case.id for case in CASES}
    for item_type in ITEM_TYPES:
        assert f"{item_type.name}-unknown-option" in ids
        assert f"{item_type.name}-unknown-option-myst" in ids
        for spec in _fields_of(item_type.name):
            assert f"{item_type.name}-{spec.name}-bad" in ids
    for link in LINK_TYPES:
        assert any(case_id.endswith(f"-{link.name}-unknown") for case_id in ids), link.name
    for name, view in views().items():
        assert f"{name}-unknown-option" in ids and f"{name}-unknown-option-myst" in ids
        for option in view.directive.option_spec:
            assert any(case_id.startswith(f"{name}-{option}") for case_id in ids), (name, option)
    for name in config_values():
        assert any(case_id.startswith(f"{name}-") for case_id in ids), name
