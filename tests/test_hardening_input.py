"""The input boundary: bad IDs, flags with values, JSON limits, surrogates, includes."""

from __future__ import annotations

import json

import pytest
from hardening_projects import build, located

HOSTILE_ID = """
.. requirement:: x"onmouseover="alert(31337)" Hostile ID

   Body text stays.

.. requirement:: REQ-OK Fine

   :spec:`REQ-OK`
"""


def test_hostile_id_never_becomes_an_anchor_or_index_link(tmp_path):
    built = build(tmp_path, {"index.rst": HOSTILE_ID})
    (bad,) = built.typed("bad_id")
    assert "index.rst:1:" in bad
    html = built.page()
    assert "Body text stays." in html
    assert 'onmouseover="alert' not in html
    genindex = built.page("genindex")
    assert 'onmouseover="alert' not in genindex
    assert "onmouseover=&#34;alert" in genindex or "onmouseover=&quot;alert" in genindex
    assert 'href="index.html#REQ-OK"' in genindex  # a valid ID keeps its own anchor
    assert 'id="REQ-OK"' in html


@pytest.mark.parametrize(
    ("directive", "flag", "needle"),
    [
        (".. error-code:: E_ONE Something failed\n   :http-status: 500\n", "retryable", "E_ONE"),
        (".. data-model:: Thing\n", "open", "Thing"),
    ],
)
def test_flag_given_a_value_keeps_the_item(tmp_path, directive, flag, needle):
    text = directive + f"   :{flag}: yes\n\n   The body is kept.\n"
    if "data-model" in directive:
        text = directive + f"   :{flag}: no\n\n   The body is kept.\n\n   :field id: integer\n"
    built = build(tmp_path, {"index.rst": text})
    (line,) = built.typed("bad_option")
    flag_line = directive.count("\n") + 1  # the flag's own line, after the directive's
    assert f"index.rst:{flag_line}:" in line and f":{flag}: is a flag and takes no value" in line
    html = built.page()
    assert "The body is kept." in html and needle in html
    data = json.loads((built.outdir / "techspec.json").read_text())
    (item,) = data["items"] if isinstance(data["items"], list) else data["items"].values()
    assert item["fields"][flag] is True


def _model_with_example(json_text: str) -> str:
    body = "\n".join("      " + line for line in json_text.splitlines())
    return (
        ".. data-model:: Thing\n\n   :field n: integer\n\n   :example:\n\n" + body + "\n\nAfter.\n"
    )


@pytest.mark.parametrize(
    ("json_text", "reason"),
    [
        ("[" * 5000 + "]" * 5000, "nested deeper"),
        ('{"n": ' + "9" * 5000 + "}", "more than 64 digits"),
        ('{"n": NaN}', "NaN"),
        ('{"n": Infinity}', "Infinity"),
        ('{"n": 1e999}', "too large"),
        ('{"s": "\\ud800"}', "lone surrogate"),
        ('{"s": "' + "x" * 300_000 + '"}', "longer than"),
    ],
    ids=["deep", "digits", "nan", "infinity", "overflow", "surrogate", "huge"],
)
def test_json_example_limits(tmp_path, json_text, reason):
    built = build(tmp_path, {"index.rst": _model_with_example(json_text)})
    (line,) = built.typed("bad_json")
    assert "index.rst:7:" in line and reason in line
    assert "After." in built.page()
    # The raw text is shown, and only strict JSON reaches the exports.
    assert (built.outdir / "openapi.json").exists()
    json.loads(
        (built.outdir / "openapi.json").read_text(),
        parse_constant=lambda name: pytest.fail(f"{name} in openapi.json"),
    )
    assert all(located(w) for w in built.warnings), built.warnings


def test_lone_surrogates_in_directive_input_do_not_break_writers(tmp_path):
    conf = """
    def _inject(app, docname, source):
        source[0] = source[0].replace("SURROGATE", "\\ud800")

    def setup(app):
        app.connect("source-read", _inject)
    """
    files = {
        "index.rst": """
        .. requirement:: REQ-1 Title SURROGATE here
           :tags: aSURROGATE

           Body SURROGATE text.

        .. item-table::
           :types: requirement
        """
    }
    for builder, page in (("html", "index.html"), ("text", "index.txt"), ("latex", None)):
        built = build(tmp_path / builder, files, conf, builder=builder)
        lines = built.typed("bad_option")
        assert lines and all("index.rst:1:" in line and "lone surrogate" in line for line in lines)
        if page:
            out = (built.outdir / page).read_text(encoding="utf-8")
            assert "Title \ufffd here" in out and "Body \ufffd text." in out
        else:
            assert list(built.outdir.glob("*.tex"))


def test_included_items_warn_at_the_included_file(tmp_path):
    files = {
        "index.rst": """
        Title
        =====

        Some text.

        .. include:: part.rst.inc
        """,
        "part.rst.inc": """
        .. test-case:: TC-1 Checks something
           :verifies: REQ-MISSING

        .. data-model:: Thing

           :field owner: Nobody

        .. requirement:: REQ-1 First
        """,
        "other.rst": """
        .. requirement:: REQ-1 Again
        """,
    }
    conf = 'exclude_patterns = ["_build"]\nsource_suffix = {".rst": "restructuredtext"}\n'
    built = build(tmp_path, files, conf)
    (unknown,) = built.typed("unknown_ref")
    assert "part.rst.inc:2:" in unknown  # the line of :verifies: in the included file
    (model,) = built.typed("unknown_model")
    assert "part.rst.inc:6:" in model
    (duplicate,) = built.typed("duplicate_id")
    assert "other.rst:1:" in duplicate and "also defined at part.rst.inc:8" in duplicate


def test_a_model_default_must_fit_its_own_constraints(tmp_path):
    files = {
        "index.rst": """
        .. data-model:: Thing

           :field size: integer, min=1, default=0
           :field name: string, max-length=3, default="toolong"
           :field ok: integer, min=1, default=5
           :field nan: number, default=NaN
        """
    }
    built = build(tmp_path, files)
    lines = built.typed("bad_field")
    assert any("index.rst:3:" in w and "Thing.size: default 0 does not fit" in w for w in lines)
    assert any("index.rst:4:" in w and "Thing.name: default" in w for w in lines)
    assert any("index.rst:6:" in w and "Thing.nan: default" in w for w in lines)
    assert not any("index.rst:5:" in w for w in built.warnings)
    assert "NaN" not in (built.outdir / "openapi.json").read_text().replace('"NaN"', "")


def test_incomplete_warnings_are_located(tmp_path):
    conf = """
    techspec_check_completeness = True
    techspec_template = [{"name": "overview", "title": "Overview"}, "security"]
    """
    files = {"index.rst": "Overview\n========\n\n.. spec-guide:: overview\n\n   Write it.\n"}
    built = build(tmp_path, files, conf)
    lines = built.typed("incomplete")
    assert len(lines) == 2, built.warnings
    assert any("index.rst:1:" in w and "'Security' is missing" in w for w in lines)
    assert any("index.rst:4:" in w and "template guide" in w for w in lines)
    assert all(located(w) for w in built.warnings)
