"""Coverage counts only links that count; the gate, the report, the matrix and orphans agree."""

from __future__ import annotations

import re

from hardening_projects import build

FILES = {
    "index.rst": """
    .. requirement:: REQ-1 Verified properly

    .. requirement:: REQ-2 Refines nothing real
       :refines: REQ-404

    .. component:: COMP-1 A component

    .. test-case:: TC-1 Verifies the wrong type and a real requirement
       :verifies: COMP-1, REQ-1

    .. coverage-report::

    .. traceability-matrix::
       :types: component
       :columns: verifies
    """
}

CONF = """
techspec_coverage_rules = [
    {"type": "requirement", "link": "refines", "gate": True},
    {"type": "component", "link": "verifies"},
]
"""


def test_unknown_and_wrong_type_links_do_not_cover(tmp_path):
    built = build(tmp_path, FILES, CONF)
    uncovered = built.typed("uncovered")
    assert any("REQ-2" in line and "index.rst:3:" in line for line in uncovered)
    assert any("COMP-1" in line and "index.rst:6:" in line for line in uncovered)
    # REQ-1 has no refines link either: three failing items, all located.
    assert len(uncovered) == 3
    html = built.page()
    report = html.split("techspec-rule-coverage")[1].split("</table>")[0]
    assert re.search(r"0 of 2", report) and re.search(r"0 of 1", report)
    matrix = html.split("techspec-matrix-list")[1].split("</table>")[0]
    assert "UNCOVERED" in matrix and "TC-1" not in matrix
    # The orphan list counts the same links: the wrong-type link leaves COMP-1 an orphan,
    # the valid one makes REQ-1 and TC-1 linked.
    orphans = html.split("techspec-orphans")[1].split("</ul>")[0]
    assert "COMP-1" in orphans and "REQ-2" in orphans
    assert "REQ-1" not in orphans and "TC-1" not in orphans


def test_matrix_and_report_agree_on_a_valid_link(tmp_path):
    conf = 'techspec_coverage_rules = [{"type": "requirement", "link": "verifies"}]\n'
    files = {
        "index.rst": """
        .. requirement:: REQ-1 Verified

        .. requirement:: REQ-2 Not verified

        .. test-case:: TC-1 Verifies
           :verifies: REQ-1, REQ-404

        .. coverage-report::

        .. traceability-matrix::
           :columns: verifies
        """
    }
    built = build(tmp_path, files, conf)
    (line,) = built.typed("uncovered")
    assert "REQ-2" in line
    html = built.page()
    assert "1 of 2" in html.split("techspec-rule-coverage")[1].split("</table>")[0]
    assert "Verified by: 1 of 2 requirements (50 %)" in html
