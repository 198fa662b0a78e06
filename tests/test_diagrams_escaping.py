"""Every diagram's user text goes through one escaping function: no Mermaid syntax, no markup."""

from __future__ import annotations

import re

import pytest
from conftest import warnings_of
from test_views_diagrams import mermaid_blocks

from sphinx_techspec.diagrams import escape_text, label
from sphinx_techspec.feature import all_features

#: Every feature's fixed diagram styles (Feature.diagram_styles).
TYPE_STYLES = {name: style for f in all_features() for name, style in f.diagram_styles.items()}

HOSTILE = [
    '%%{init: {"theme":"dark"}}%%',
    "click X call alert()",
    '"',
    "]",
    "#",
    ";",
    "<script>alert(1)</script>",
    "end",
    "a --> b",
    "`md`",
    'x\nclick n0 href "javascript:alert(1)"',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_holds_no_character_mermaid_parses(text):
    escaped = escape_text(text)
    assert "\n" not in escaped
    # Entities only: the one '#…;' form Mermaid decodes after parsing.
    stripped = re.sub(r"#\d+;", "", escaped)
    assert not set(stripped) & set('"%{}[]()<>#;:|`-&@,\n')
    assert label(text) == f'"{escaped}"'


def test_entities_decode_back_to_the_text():
    text = 'Brackets ] [ "q" %% <b> #; é ü 漢'
    decoded = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), escape_text(text))
    assert decoded == text
    assert "é ü 漢" in escape_text(text)  # letters of any script stay readable


@pytest.mark.sphinx("html", testroot="diagrams-hostile", freshenv=True)
def test_hostile_titles_reach_every_diagram_only_escaped(app):
    app.build()
    assert not warnings_of(app)
    blocks = mermaid_blocks((app.outdir / "index.html").read_text())
    assert [b.split("---\n")[-1].split(None, 1)[0] for b in blocks] == [
        "flowchart",
        "flowchart",
        "sequenceDiagram",
        "flowchart",
        "erDiagram",
    ]
    fixed = {style.class_def() for style in TYPE_STYLES.values()}
    for block in blocks:
        body = block.split("---\n")[-1]
        assert "%%" not in body
        # Our own backward links (``<---``, ``<-.-``, ``<===``) and the line break before a
        # label's second line (``<br/>``) are the only "<".
        body = re.sub(r" <(---|-\.-|===) ", " ", body).replace("<br/>", " ")
        assert "<" not in body and ">>" not in body.replace("->>", "").replace("-->>", "")
        assert "alert(" not in body and "<script" not in body
        for line in body.splitlines():
            words = line.split()
            if not words:
                continue
            # Only generated statements start a line: names, keywords, fixed styles.
            assert re.fullmatch(
                r"flowchart|sequenceDiagram|erDiagram|Member|Tenant|uuid|\}|classDef|class|click|"
                r"linkStyle|subgraph|direction|end|alt|else|link|"
                r"participant|actor|Note|[nsp]\d+(?:\W.*)?|gn\d+",
                words[0],
            ) or re.fullmatch(r"[nsp]\d+\S*", words[0]), line
            if words[0] == "click":
                assert re.fullmatch(r'    click [ns]\d+ href "[^"\s]+"', line), line
            if words[0] == "classDef" and line.split()[1].startswith("ts"):
                pass
            # Quotes appear only as label delimiters.
            assert line.count('"') % 2 == 0, line
    graph = blocks[0]
    assert 'n1["REQ#45;1#58; #37;#37;#123;init#58; #123;#34;theme#34;#58;' in graph
    assert "#60;script#62;alert#40;1#41;#60;/script#62;" in graph
    assert all(
        line in fixed or line.split()[1] in ("tsProblem", "tsAttention", "tsSpacer")
        for line in graph.splitlines()
        if "classDef" in line
    )
    sequence = blocks[2]
    assert "    p0->>p0: click X call alert#40;#41; #34;q#34; #93; #35; #59; #60;script" in sequence
    assert "    alt #37;#37; #34;quoted#34; #93; #59; #60;i#62;x#60;/i#62;" in sequence
