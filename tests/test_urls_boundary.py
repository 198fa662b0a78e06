"""URLs from other projects are checked at the boundary: only http, https, mailto and
relative URLs reach an ``href`` or a Mermaid ``click``; others are dropped with a
located ``techspec.bad_url`` warning, and an item left without a URL is shown
without a link (never ``href="#"``), named in one ``techspec.external_no_url``."""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil

import pytest
from conftest import ROOTS
from hardening_projects import build

from sphinx_techspec.urls import is_safe_url

HOSTILE = ("javascript:", "data:", "vbscript:", "file:")


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a.html#X", True),
        ("http://example.org", True),
        ("mailto:owner@example.org", True),
        ("page.html#REQ-1", True),
        ("../other/page.html", True),
        ("#REQ-1", True),
        ("a/b:c.html", True),  # a colon after a slash is not a scheme
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" \tjava\nscript:alert(1)", False),  # browsers drop these characters
        ("\x01javascript:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:msgbox", False),
        ("file:///etc/passwd", False),
    ],
)
def test_only_safe_schemes_pass(url, safe):
    assert is_safe_url(url) is safe


@pytest.fixture(scope="module")
def platform_json(tmp_path_factory) -> dict:
    """A real techspec.json, whose URLs the test then turns hostile."""
    src = tmp_path_factory.mktemp("platform") / "src"
    shutil.copytree(ROOTS / "test-interchange-platform", src)
    built = build(src)
    return json.loads((built.outdir / "techspec.json").read_text(encoding="utf-8"))


HUB = """
Hub
===

.. test-case:: HUB-TC A test of foreign items
   :verifies: platform:REQ-1, platform:REQ-2, legacy:N_ONE, legacy:N_TWO

See :spec:`platform:REQ-1`, :spec:`platform:REQ-2`, :spec:`legacy:N_ONE`, :spec:`legacy:N_TWO`.

.. traceability-matrix::
   :types: requirement
   :columns: test-case

.. item-table::
   :types: requirement
   :columns: id, title

.. traceability-graph::
   :types: requirement, test-case
"""

NEEDS = {
    "current_version": "1",
    "versions": {
        "1": {
            "needs": {
                "N_ONE": {
                    "id": "N_ONE",
                    "type": "req",
                    "title": "Hostile need",
                    "docname": "index",
                    "external_url": "JaVaScript:alert(2)",
                },
                "N_TWO": {"id": "N_TWO", "type": "req", "title": "No URL", "docname": "index"},
            }
        }
    },
}


def test_hostile_urls_of_linked_projects_reach_no_href_and_no_click(tmp_path, platform_json):
    document = json.loads(json.dumps(platform_json))
    document["items"]["REQ-1"]["url"] = "javascript:alert(1)"
    document["items"]["REQ-1"].pop("external_url", None)
    document["items"]["REQ-2"]["external_url"] = "data:text/html;base64,PHNjcmlwdD4="
    (tmp_path / "platform.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    (tmp_path / "needs.json").write_text(json.dumps(NEEDS), encoding="utf-8")
    conf = (
        'techspec_external_projects = {"platform": "platform.json"}\n'
        "techspec_needs_import = [\n"
        '    {"path": "needs.json", "project": "legacy", "types": {"req": "requirement"}},\n'
        "]\n"
    )
    built = build(tmp_path, {"index.rst": HUB}, conf)
    page = built.page()
    links = [html_lib.unescape(h) for h in re.findall(r'href="([^"]*)"', page)]
    clicks = re.findall(r"click \S+ href \"([^\"]*)\"", html_lib.unescape(page))
    assert "techspec-matrix" in page and "techspec-item-table" in page and clicks
    for url in links + clicks:
        cleaned = "".join(url.split()).lower()
        assert not cleaned.startswith(HOSTILE), url
    body = page.split('role="main"')[1].split('class="sphinxsidebar"')[0]
    assert 'href="#"' not in body  # an item without a URL is not a link to nowhere
    # The good URL of the same project still links (the platform's own test case).
    assert any(u.startswith("https://platform.example.org/spec/") for u in links + clicks)
    # Each unsafe URL is reported once, where it was read.
    bad = built.typed("bad_url")
    assert len(bad) == 3, bad
    line_of_req_1 = platform_lines(tmp_path / "platform.json", "REQ-1")
    assert any(f"platform.json:{line_of_req_1}:" in w and "'javascript'" in w for w in bad)
    assert any("platform.json:" in w and "'data'" in w for w in bad)
    assert any("needs.json:1:" in w and "JaVaScript" in w for w in bad)
    (no_url,) = [w for w in built.typed("external_no_url") if "needs.json" in w]
    assert "2 imported items have no URL" in no_url and "legacy:N_TWO" in no_url
    # The items stay in every view, shown without a link.
    assert page.count('class="techspec-no-url"') >= 1
    assert "legacy:N_TWO" in page and "platform:REQ-2" in page


def platform_lines(path, item_id: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line == f'    "{item_id}": {{':
            return number
    raise AssertionError(item_id)


def test_a_local_linked_project_without_base_url_is_linked_relatively(tmp_path, platform_json):
    """Not through a ``file://`` URL (refused like any other scheme): a relative path
    from the output directory, from each page up to it first."""
    document = json.loads(json.dumps(platform_json))
    for record in document["items"].values():
        record.pop("external_url", None)
    folder = tmp_path / "platform" / "html"
    folder.mkdir(parents=True)
    (folder / "techspec.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    files = {
        "index.rst": ".. toctree::\n\n   sub/page\n\nSee :spec:`platform:REQ-1`.\n",
        "sub/page.rst": "Page\n====\n\nSee :spec:`platform:REQ-2`.\n",
    }
    conf = 'techspec_external_projects = {"platform": "../platform/html/techspec.json"}\n'
    built = build(tmp_path / "hub", files, conf)
    assert built.typed("bad_url") == [] and built.typed("external_no_url") == []
    # The output directory is hub/_build/html.
    assert 'href="../../../platform/html/index.html#REQ-1"' in built.page()
    assert 'href="../../../../platform/html/index.html#REQ-2"' in built.page("sub/page")
