"""Sequences and workflows: diagrams, derived links both ways, MyST, exports, checks."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import techspec_warnings, warnings_of
from test_views_diagrams import mermaid_blocks

from sphinx_techspec.exports.techspec_json import export_schema


def field_rows(page: str, label: str) -> list[str]:
    """The texts of the rows named ``label`` on a page's cards (tags stripped)."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", body).split())
        for body in re.findall(
            rf'<dt class="field-\w+">{label}<span class="colon">:</span></dt>'
            r"\s*<dd[^>]*>(.*?)</dd>",
            page,
            re.S,
        )
    ]


@pytest.fixture
def built(app):
    app.build()
    return app


@pytest.mark.sphinx("html", testroot="flows", freshenv=True)
def test_sequence_is_a_mermaid_sequence_diagram_linking_participants(built):
    assert not warnings_of(built)
    sequence, workflow = mermaid_blocks((built.outdir / "flows.html").read_text())
    body = sequence.split("---\n")[-1]
    assert body.splitlines()[:5] == [
        "sequenceDiagram",
        "    actor p0 as User",
        "    participant p1 as ACC#45;API#58; Account API",
        "    participant p2 as MAILER#58; Mailer",
        "    p0->>p1: POST /password#45;resets",
    ]
    assert "    p2-->>p1: 202\n    alt account unknown\n" in body
    assert "    else account known\n    p1-->>p0: 202\n    end\n" in body
    assert "    Note over p1: same answer either way" in body
    # The fragment as an entity: a sequence line would end at a bare '#'.
    assert "    link p1: ACC#45;API @ design.html#35;ACC-API" in body
    # The workflow: shapes by step kind, the failure path dashed, the step's item linked.
    flow = workflow.split("---\n")[-1]
    assert flow.startswith("flowchart TD\n    s0([")
    assert '    s2{"Is the token valid?"}' in flow
    assert '    s2 -.->|"no"| s4' in flow and '    s2 -->|"yes"| s3' in flow
    assert '    click s1 href "design.html#API-CONFIRM"' in flow
    assert "    class s4 tsFail" in flow


@pytest.mark.sphinx("html", testroot="flows", freshenv=True)
def test_links_derived_from_the_body_show_on_both_ends(built):
    flows = (built.outdir / "flows.html").read_text()
    design = (built.outdir / "design.html").read_text()
    assert field_rows(flows, "Realises")[0] == "UC-RESET Reset a password"
    assert field_rows(flows, "Participants")[0] == "ACC-API Account API MAILER Mailer"
    assert field_rows(flows, "Calls")[:2] == [
        "API-RESET POST /password-resets API-SEND POST /messages",
        "API-CONFIRM POST /password-resets/{token}/confirm",
    ]
    # Reverse links: the endpoint is "used in", the component "takes part in".
    used_in = field_rows(design, "Used in")
    assert "SEQ-RESET Password reset" in used_in  # API-RESET
    assert "WF-CONFIRM Confirming a reset token" in used_in  # API-CONFIRM
    assert "SEQ-MYST Sending a message SEQ-RESET Password reset" in used_in  # API-SEND
    takes_part = field_rows(design, "Takes part in")
    assert takes_part == [
        "SEQ-RESET Password reset",
        "SEQ-MYST Sending a message SEQ-RESET Password reset",
    ]
    # A workflow step that names an item is no participant: the item is "named in" it.
    assert field_rows(design, "Named in") == ["WF-MYST Sending"]
    assert field_rows(design, "Realised by") == [
        "SEQ-MYST Sending a message SEQ-RESET Password reset WF-CONFIRM Confirming a reset token"
    ]


@pytest.mark.sphinx("html", testroot="flows", freshenv=True)
def test_myst_flows_are_items_too(built):
    page = (built.outdir / "myst.html").read_text()
    sequence, workflow = mermaid_blocks(page)
    assert "    actor p0 as User\n    participant p1 as MAILER#58; Mailer\n" in sequence
    assert '    s1(["Sent<br/>MAILER"])' in workflow


@pytest.mark.sphinx("html", testroot="flows", freshenv=True)
def test_flows_are_in_both_exports(built):
    data = json.loads((built.outdir / "techspec.json").read_text())
    jsonschema.Draft202012Validator(export_schema()).validate(data)
    sequence = data["items"]["SEQ-RESET"]
    assert sequence["type"] == "sequence"
    assert sequence["links"]["has-participant"] == ["ACC-API", "MAILER"]
    assert sequence["links"]["uses-endpoint"] == ["API-RESET", "API-SEND"]
    steps = sequence["flow"]["steps"]
    assert steps[0] == {
        "kind": "request",
        "from": "User",
        "to": "ACC-API",
        "text": "POST /password-resets",
        "line": 7,
        "method": "POST",
        "path": "/password-resets",
    }
    needs = json.loads((built.outdir / "needs.json").read_text())
    [version] = needs["versions"].values()
    need = version["needs"]["WF-CONFIRM"]
    assert need["type"] == "workflow"
    assert need["uses_endpoint"] == ["API-CONFIRM"]
    assert json.loads(need["flow"])["steps"][1]["item"] == "API-CONFIRM"  # JSON text
    assert version["needs"]["API-CONFIRM"]["uses_endpoint_back"] == ["WF-CONFIRM"]


@pytest.mark.sphinx("text", testroot="flows", freshenv=True)
def test_text_builder_gets_message_and_step_tables(built):
    text = (built.outdir / "flows.txt").read_text()
    assert re.search(r"\| 1 +\| User +\| ACC-API Account API +\| POST /password-resets +\|", text)
    assert re.search(r"\| +\| +\| +\| alt account unknown +\|", text)
    assert re.search(r"\| 4 +\| ACC-API Account API +\| User +\| +reply: 202 \(no mail", text)
    assert re.search(r"\| Is the token valid\? +\| Decision +\| +\| Password changed \(yes", text)


@pytest.mark.sphinx("html", testroot="flows-warnings", freshenv=True)
def test_each_problem_is_a_located_typed_warning(built):
    def located(subtype: str) -> list[str]:
        found = techspec_warnings(built, subtype)
        return [re.sub(r"^.*?index\.rst:(\d+): WARNING: ", r"\1: ", w) for w in found]

    assert located("flow_participant") == [
        "12: SEQ-BAD: participant 'Usr' is neither an item ID nor an actor of a use case it "
        "realises (use cases: UC-RESET; actors: support engineer, user) [techspec.flow_participant]"
    ]
    assert located("flow_endpoint") == [
        "15: SEQ-BAD: no api-endpoint of ACC-API declares DELETE /password-resets (it declares: "
        "POST /password-resets, POST /password-resets/{token}/confirm) [techspec.flow_endpoint]"
    ]
    assert located("flow_status") == [
        "14: SEQ-BAD: reply 500 to POST /password-resets, which API-RESET does not answer "
        "(it answers: 202, 4XX) [techspec.flow_status]"
    ]
    syntax = [line for line in located("flow_syntax") if "myst.md" not in line]
    [myst] = [line for line in located("flow_syntax") if "myst.md" in line]
    assert "myst.md:7: WARNING: SEQ-MYST-BAD: line 'User ACC-API' has no arrow" in myst
    assert [line.split(":", 1)[0] for line in syntax] == ["16", "17", "18", "19", "24", "26", "25"]
    assert "has no arrow" in syntax[0] and "has no colon" in syntax[1]
    assert "'else' outside an alt block" in syntax[2]
    assert "'alt' block is never closed with 'end'" in syntax[3]
    assert "needs 'KIND NAME: label'" in syntax[4]
    assert "neither a step" in syntax[5] and "unknown step 'c'" in syntax[6]
    assert located("unknown_ref") == [
        "23: WF-BAD: step 'a' names unknown ID 'NOPE-1' [techspec.unknown_ref]"
    ]
    assert len(warnings_of(built)) == 12
