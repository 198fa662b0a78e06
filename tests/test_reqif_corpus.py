"""Real ReqIF files from DOORS, Polarion, Enterprise Architect, microTOOL in-STEP, Eclipse RMF,
ReqIF Studio and StrictDoc (tests/corpus/reqif, see SOURCES.md): each imports and builds as
written, nitpicky and without a warning; every SPEC-OBJECT becomes an item or a heading, every
relation whose ends are in the file becomes a link, text and structure reach the HTML."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import warnings_of
from lxml import etree

from sphinx_techspec.cli import main
from sphinx_techspec.domain import DOMAIN
from sphinx_techspec.interchange.project_writer import literal_only

CORPUS = Path(__file__).parent / "corpus" / "reqif"

#: file → (page format, words that must reach the HTML, HTML structure that must be there)
CASES = {
    "doors-01-date-datatype.reqif": ("rst", ["2010-05-21T00:00:00"], []),
    "doors-10-capella-requirements-vp.reqif": ("rst", ["PUID-1", "Requirement-1"], []),
    "eclipse-rmf-tc1200.reqif": (
        "md",
        ["XhtmlH1Type", "XhtmlLiType", "text after ul", "XhtmlStrongType"],
        ["<ul", "<ol", "<table", 'class="rubric"', "<strong>XhtmlStrongType</strong>"],
    ),
    "eclipse-rmf-tc1300.reqif": ("rst", ["Requirement 1", "Requirement 2"], []),
    # Objects under IS-TABLE-INTERNAL hierarchy entries, integer attributes.
    "eclipse-rmf-tc1400.reqif": (
        "md",
        ["TableObj1.1.3", "Changed name in order to comply to company naming conventions"],
        [],
    ),
    "enterprise-architect-8-example.reqif": (
        "md",
        ["The system shall observe the earths surface.", "Spotting fire", "Fast system"],
        [],
    ),
    # German text in character references, an identifier that is not ASCII, one relation.
    "microtool-in-step-blue-example.reqif": (
        "rst",
        ["Das System soll die Bodentemperatur \u00fcberwachen.", "Erkennung von Feuer"],
        [],
    ),
    "polarion-sample1.reqif": (
        "md",
        ["The Lorem Ipsum shall do something.", "Section 1", "LOREM-818"],
        ["<section"],
    ),
    # 14 relations whose SPEC-RELATION-TYPE the file does not declare.
    "reqif-studio-01-anonymized.reqif": ("md", ["Anonymized"], []),
    "strictdoc-sample2.reqif": (
        "rst",
        ["The system shall do A.", "Section 1.1", "Requirement B"],
        ["<section"],
    ),
}
#: Relations counted over the whole corpus, checked after the last file.
TOTALS = {"relations": 0, "resolvable": 0, "links": 0}


def file_counts(path: Path) -> tuple[int, int, int]:
    """SPEC-OBJECTs, SPEC-RELATIONs, and relations whose both ends are objects in the file."""
    root = etree.parse(str(path)).getroot()
    objects = {
        e.get("IDENTIFIER") for e in root.iter() if etree.QName(e).localname == "SPEC-OBJECT"
    }
    relations = [e for e in root.iter() if etree.QName(e).localname == "SPEC-RELATION"]

    def end(relation: etree._Element, wrapper: str) -> str:
        holder = next(c for c in relation if etree.QName(c).localname == wrapper)
        return "".join(holder[0].itertext()).strip()

    resolvable = sum(
        1 for r in relations if end(r, "SOURCE") in objects and end(r, "TARGET") in objects
    )
    return len(objects), len(relations), resolvable


def test_the_corpus_has_eight_files_from_five_tools():
    tools = set()
    for name in CASES:
        text = (CORPUS / name).read_text(encoding="utf-8")
        tool = re.search(r"<REQ-IF-TOOL-ID>([^<]*)<", text)
        tools.add((tool[1] if tool else name).split()[0].lower())
    assert len(CASES) >= 8
    assert len(tools) >= 5, tools
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(name in sources for name in CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_real_file_imports_and_builds_as_written(make_app, tmp_path, name, capsys):
    fmt, words, structure = CASES[name]
    path = CORPUS / name
    out = tmp_path / "project"
    assert main(["import-reqif", str(path), "--out", str(out), "--format", fmt]) == 0
    printed = capsys.readouterr().out
    # Standard output is a summary; the details are in the report file.
    assert len(printed.splitlines()) == 2
    report = (out / "import-report.txt").read_text(encoding="utf-8")

    conf = (out / "conf.py").read_text(encoding="utf-8")
    literal_only(conf)
    assert all(isinstance(s, ast.Assign) for s in ast.parse(conf).body)

    app = make_app("html", srcdir=out, confoverrides={"nitpicky": True})
    app.build()
    assert warnings_of(app) == []

    objects, relations, resolvable = file_counts(path)
    counts = re.search(r"(\d+) objects: (\d+) items, (\d+) headings; (\d+) of (\d+)", printed)
    assert counts is not None, printed
    read, items, headings, links, relations_read = map(int, counts.groups())
    assert read == objects
    assert items + headings == objects
    domain = app.env.get_domain(DOMAIN)
    assert len(domain.items) == items
    assert relations_read == relations
    written_links = sum(len(t) for item in domain.items.values() for t in item.links.values())
    assert written_links == links == resolvable
    # A relation that cannot become a link is reported (its end is not in the file).
    assert report.count("unknown SPEC-OBJECT") >= relations - resolvable
    TOTALS["relations"] += relations
    TOTALS["resolvable"] += resolvable
    TOTALS["links"] += written_links

    html = "\n".join(
        page.read_text(encoding="utf-8")
        for page in app.outdir.glob("*.html")
        if page.name not in ("genindex.html", "search.html")
    )
    for word in words:
        assert word in html, word
    for mark in structure:
        assert mark in html, mark
    # Headings became sections: one per heading object, besides each page's own title.
    assert html.count("<section") >= headings


def test_relations_across_the_corpus_resolve():
    if not TOTALS["relations"]:
        pytest.skip("runs after the corpus builds")
    # Every relation whose ends are both in its file became a link, and the corpus has some;
    # the others (Enterprise Architect's, whose ends name objects the file does not hold) are
    # reported per file above.
    assert TOTALS["links"] == TOTALS["resolvable"] > 0
