"""Work that belongs once per build runs once per build, however many pages and cards use it."""

from __future__ import annotations

from hardening_projects import build

from sphinx_techspec import schema as schema_module
from sphinx_techspec.feature import all_features
from sphinx_techspec.views import coverage

MODELS = """
.. toctree::

   api

.. data-model:: User

   :field id: integer
   :field org: Org

.. data-model:: Org

   :field id: integer

.. data-model:: Team

   :field lead: User
"""

ENDPOINTS = """
API
===

.. component:: API API

.. api-endpoint:: GET /users
   :response: 200: array of User
   :component: API

.. api-endpoint:: GET /orgs
   :response: 200: Org
   :component: API

.. api-index::
   :components: API

.. coverage-report::

.. coverage-report::
   :types: data-model
"""


def _counting(calls: list[str], name: str, function):
    def wrapper(*args, **kwargs):
        calls.append(name)
        return function(*args, **kwargs)

    return wrapper


def test_indexes_schema_and_rules_are_built_once_per_build(tmp_path, monkeypatch):
    calls: list[str] = []
    # Each application's registry takes the builders from the features' declarations.
    for feature in all_features():
        for name in ("model_usage", "endpoints_by_component", "models_by_name", "coverage_rules"):
            if name in feature.indexes:
                original = feature.indexes[name]
                monkeypatch.setitem(feature.indexes, name, _counting(calls, name, original))
    original_build = schema_module.SpecSchema.build.__func__
    monkeypatch.setattr(
        schema_module.SpecSchema,
        "build",
        classmethod(_counting(calls, "schema", original_build)),
    )
    monkeypatch.setattr(coverage, "parse_rules", _counting(calls, "rules", coverage.parse_rules))
    conf = (
        'techspec_coverage_rules = [{"type": "data-model", "link": "implements", "gate": False}]\n'
    )
    built = build(tmp_path, {"index.rst": MODELS, "api.rst": ENDPOINTS}, conf)
    assert built.warnings == []
    html = built.page()
    assert "Used by endpoints" in html and "Referenced by models" in html
    assert calls.count("schema") == 1
    assert calls.count("model_usage") == 1  # three model cards, one index
    assert calls.count("endpoints_by_component") == 1
    assert calls.count("coverage_rules") == 1  # two reports, one parse for the build
    assert calls.count("rules") <= 2  # the config check at config-inited, and the index
