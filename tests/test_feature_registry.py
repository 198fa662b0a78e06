"""Good citizenship: features chosen per project (``techspec_features``), registries per
application, global directive names only where no other extension took them, and one
"links of an item" for every view."""

from __future__ import annotations

import re

from hardening_projects import build

from sphinx_techspec.feature import registry

ITEMS = """
.. requirement:: REQ-1 A requirement

.. test-case:: TC-1 A test
   :verifies: REQ-1
   :junit: tests/test_a.py::test_a

.. risk:: RISK-1 A risk

.. traceability-matrix::
   :results:
"""


def test_a_feature_switched_off_adds_nothing_and_others_keep_theirs(tmp_path):
    off = build(tmp_path / "off", {"index.rst": ITEMS}, 'techspec_features = ["views"]\n')
    names = registry(off.app).names
    assert names == {"core", "views"}
    # template off: the risk directive says so, located; test_results off: no junit
    # field, no :results:.
    (switched_off,) = off.typed("feature_off")
    assert "index.rst:7:" in switched_off and "'risk' belongs to the feature 'template'" in (
        switched_off
    )
    assert not any("Unknown directive" in w for w in off.warnings)
    assert "RISK-1" not in off.page()
    options = off.typed("bad_option")
    assert any(":junit:" in w or "'junit'" in w for w in options), options
    assert any("results" in w for w in options), options
    assert "techspec-matrix" in off.page()  # the views feature is on

    on = build(tmp_path / "on", {"index.rst": ITEMS})  # another app in the same process
    assert registry(on.app).names > {"core", "views", "template", "test_results"}
    assert on.typed("bad_option") == []
    assert not any("Unknown directive" in w for w in on.warnings)
    assert registry(off.app).names == {"core", "views"}  # per application, untouched


def test_an_unknown_feature_name_is_a_located_bad_config_and_all_features_stay(tmp_path):
    built = build(tmp_path, {"index.rst": ITEMS}, 'techspec_features = ["views", "nope"]\n')
    (warning,) = built.typed("bad_config")
    assert "conf.py:3:" in warning and "'nope'" in warning and "known: core" in warning
    assert "template" in registry(built.app).names
    assert not any("Unknown directive" in w for w in built.warnings)


CLASH = """
from docutils import nodes
from docutils.parsers.rst import Directive


class Other(Directive):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self):
        return [nodes.paragraph("", "OTHER EXTENSION " + self.name)]


def setup(app):
    app.add_directive("metric", Other)
    app.add_directive("traceability-matrix", Other)
    return {"parallel_read_safe": True}
"""

PAGE = """
.. metric:: plain

.. techspec:metric:: MET-1 Response time

.. traceability-matrix::

.. techspec:traceability-matrix::
"""


def test_generic_names_taken_by_another_extension_stay_theirs(tmp_path):
    for order in (["sphinx_techspec", "clash"], ["clash", "sphinx_techspec"]):
        src = tmp_path / "-".join(order)
        src.mkdir()
        (src / "clash.py").write_text(CLASH, encoding="utf-8")
        conf = f"import sys\nsys.path.insert(0, {str(src)!r})\nextensions = {order!r}\n"
        (src / "conf.py").write_text(conf, encoding="utf-8")
        (src / "index.rst").write_text(PAGE, encoding="utf-8")
        built = build(src)
        page = built.page()
        assert "OTHER EXTENSION metric" in page and "OTHER EXTENSION traceability-matrix" in page
        assert 'id="MET-1"' in page  # the domain directive always works
        assert "No items match" in page  # the domain's matrix rendered (no requirements)
        for name in ("metric", "traceability-matrix"):
            assert re.search(rf"directive name '{name}' belongs to another extension", built.status)
        assert not any("already registered" in w for w in built.warnings), built.warnings


def test_a_wrong_type_link_shows_on_its_card_and_counts_in_no_view(tmp_path):
    files = {
        "index.rst": """
            .. component:: COMP-1 A component

            .. requirement:: REQ-1 A requirement

            .. test-case:: TC-1 Tests the component directly
               :verifies: COMP-1, REQ-1

            .. item-table::
               :types: component, requirement
               :columns: id, verified by

            .. traceability-matrix::
               :types: component
               :columns: test-case
        """
    }
    built = build(tmp_path, files)
    (warning,) = built.typed("wrong_link_type")
    assert "TC-1" in warning and "COMP-1" in warning
    page = built.page()
    card = page.split('id="TC-1"')[1].split("</dl>")[0]
    assert ">COMP-1<" in card  # what the author wrote, where the warning points
    table = page.split("techspec-item-table")[1].split("</table>")[0]
    comp_row = table.split(">COMP-1<")[1].split("</tr>")[0]
    req_row = table.split(">REQ-1<")[1].split("</tr>")[0]
    assert "TC-1" not in comp_row and "TC-1" in req_row
    start = page.index("techspec-matrix-list")
    matrix = page[start : page.index("</table>", start)]
    assert "TC-1" not in matrix.split(">COMP-1<")[1].split("</tr>")[0]
