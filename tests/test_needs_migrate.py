"""sphinx-needs in, as written: a needs.json from a real sphinx-needs build (link
conditions, links to other projects' needs, types named like ours, needtables and roles
in need content) is migrated into a project that builds with ``-W -n`` as it is, and
imported into a project that only enables the extension."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOTS, built_app, techspec_warnings, warnings_of

from sphinx_techspec.cli import main
from sphinx_techspec.domain import DOMAIN
from sphinx_techspec.interchange.migrate import REPORT

pytest.importorskip("sphinx_needs")

IDS = {
    "std_req__iso26262__plan",
    "std_req__iso26262__case",
    "gd_req__safety_plan",
    "wf__create_plan",
    "comp__planner",
}
CONDITIONS = (
    "complies std_req__iso26262__case [version==1]; complies std_req__iso26262__plan [version==1]"
)


@pytest.fixture(scope="module")
def rich_json(tmp_path_factory) -> dict:
    """The needs.json of tests/roots/test-needs-rich, built once by sphinx-needs."""
    src = tmp_path_factory.mktemp("rich") / "src"
    shutil.copytree(ROOTS / "test-needs-rich", src)
    app = built_app(src)
    return json.loads((app.outdir / "needs.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["rst", "md"])
def migrated(request, rich_json, tmp_path_factory):
    """migrate-needs of the file, then one build of the written folder as it is."""
    fmt = request.param
    base = tmp_path_factory.mktemp(f"migrated-{fmt}")
    source = base / "needs.json"
    source.write_text(json.dumps(rich_json), encoding="utf-8")
    out = base / "out"
    assert main(["migrate-needs", str(source), "--out", str(out), "--format", fmt]) == 0
    app = built_app(out)
    return fmt, out, app


def test_migrated_project_builds_without_a_warning(migrated):
    fmt, out, app = migrated
    assert warnings_of(app) == []
    suffix = "md" if fmt == "md" else "rst"
    assert (out / f"index.{suffix}").exists() and (out / "conf.py").exists()
    domain = app.env.get_domain(DOMAIN)
    assert set(domain.items) == IDS


def test_conditions_resolve_to_the_id_and_stay_visible(migrated):
    _, _, app = migrated
    plan = app.env.get_domain(DOMAIN).items["gd_req__safety_plan"]
    assert set(plan.links["complies"]) == {"std_req__iso26262__plan", "std_req__iso26262__case"}
    assert plan.fields["link-conditions"] == CONDITIONS
    html = (app.outdir / "process.html").read_text(encoding="utf-8")
    assert "Link conditions" in html and "[version==1]" in html
    exported = json.loads((app.outdir / "techspec.json").read_text(encoding="utf-8"))
    record = exported["items"]["gd_req__safety_plan"]
    assert record["fields"]["link-conditions"] == CONDITIONS
    needs = json.loads((app.outdir / "needs.json").read_text(encoding="utf-8"))
    version = needs["versions"][needs["current_version"]]
    assert version["needs"]["gd_req__safety_plan"]["link_conditions"] == CONDITIONS


def test_links_outside_the_file_are_kept_as_text_and_reported_once(migrated):
    _, out, app = migrated
    items = app.env.get_domain(DOMAIN).items
    outside = items["gd_req__safety_plan"].fields["outside-links"]
    assert outside == "links: std_req__aspice_40__sup_1"
    assert "links" not in items["gd_req__safety_plan"].links
    report = (out / REPORT).read_text(encoding="utf-8")
    assert "Links: 4 of 7 resolve in the file; 3 from 2 needs point to 2 IDs outside" in report
    assert "  'std_req__aspice_40__sup_1': 2\n  'std_req__aspice_40__sup_2': 1\n" in report


def test_types_keep_their_names_by_the_one_rule(migrated):
    _, out, app = migrated
    items = app.env.get_domain(DOMAIN).items
    assert items["std_req__iso26262__plan"].type == "std-req"
    # Names our features declare are not taken: workflow and component get need-.
    assert items["wf__create_plan"].type == "need-workflow"
    assert items["comp__planner"].type == "need-component"
    assert items["comp__planner"].links == {"need-implements": ("gd_req__safety_plan",)}
    assert items["gd_req__safety_plan"].fields["safety-level"] == "ASIL_B"
    assert items["gd_req__safety_plan"].fields["tags"] == ["safety", "planning"]
    conf = (out / "conf.py").read_text(encoding="utf-8")
    assert "'label': 'Standard Requirement'" in conf
    assert "techspec_statuses = [" in conf and "'valid'" in conf


def test_bodies_keep_structure_and_lose_only_what_cannot_work_here(migrated):
    _, out, app = migrated
    process = (app.outdir / "process.html").read_text(encoding="utf-8")
    assert 'href="components.html"' in process  # :doc: to a migrated page stays a link
    assert "glossary" in process  # :doc: to a page without needs: its text
    assert "techspec-table" in process or "item-table" in process  # the needtable
    assert "<img" not in process and "_assets/plan.svg" in process  # shown as source
    assert not (app.outdir / "_downloads").exists()
    components = (app.outdir / "components.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;literal, never run&lt;/b&gt;" in components
    report = (out / REPORT).read_text(encoding="utf-8")
    for change in (
        "process: gd_req__safety_plan: needtable became an item-table (options style, "
        "columns left out)",
        "process: gd_req__safety_plan: directive 'figure' shown as source, not run",
        "process: gd_req__safety_plan: :doc: to 'glossary' (not migrated) became text",
        "process: wf__create_plan: role 'download' became text",
        "index: std_req__iso26262__case: role 'ref' became text",
    ):
        assert change in report


def test_needs_import_brings_every_need_in_without_configuration(make_app, tmp_path, rich_json):
    src = tmp_path / "bare"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_techspec"]\n', encoding="utf-8")
    (src / "needs.json").write_text(json.dumps(rich_json), encoding="utf-8")
    (src / "index.rst").write_text(
        "Imported\n========\n\n.. needs-import:: needs.json\n", encoding="utf-8"
    )
    app = make_app("html", srcdir=src)
    app.build()
    items = app.env.get_domain(DOMAIN).items
    assert set(items) == IDS
    assert items["std_req__iso26262__plan"].type == "std-req"  # the name migrate writes
    assert items["gd_req__safety_plan"].fields["link-conditions"] == CONDITIONS
    assert items["gd_req__safety_plan"].fields["status"] == "valid"  # declared, no bad_value
    warnings = techspec_warnings(app, "needs_import")
    assert any("2 needs link to 2 IDs outside the file (3 links)" in w for w in warnings)
    assert [w for w in warnings_of(app) if "needs_import" not in w] == []


def test_needs_import_reads_what_migrate_declared(make_app, tmp_path, rich_json, migrated):
    """With the conf.py migrate-needs wrote, needs-import finds every type it names."""
    _, out, _ = migrated
    src = tmp_path / "again"
    src.mkdir()
    shutil.copy(out / "conf.py", src / "conf.py")
    (src / "needs.json").write_text(json.dumps(rich_json), encoding="utf-8")
    (src / "index.rst").write_text("Again\n=====\n\n.. needs-import:: needs.json\n")
    app = make_app("html", srcdir=src)
    app.build()
    assert set(app.env.get_domain(DOMAIN).items) == IDS
    assert not any("left out" in w for w in techspec_warnings(app, "needs_import"))


def test_configured_needs_import_keeps_the_file_types(make_app, tmp_path, rich_json):
    src = tmp_path / "configured"
    src.mkdir()
    (src / "needs.json").write_text(json.dumps(rich_json), encoding="utf-8")
    (src / "conf.py").write_text(
        'extensions = ["sphinx_techspec"]\n'
        'techspec_needs_import = [{"path": "needs.json", "project": "proc"}]\n',
        encoding="utf-8",
    )
    (src / "index.rst").write_text(
        "Hub\n===\n\n.. requirement:: REQ-1 Ours\n\n   Follows :spec:`proc:gd_req__safety_plan`.\n"
    )
    app = make_app("html", srcdir=src)
    app.build()
    items = app.env.get_domain(DOMAIN).items
    plan = items["proc:gd_req__safety_plan"]
    assert plan.type == "gd-req"
    assert set(plan.links["complies"]) == {
        "proc:std_req__iso26262__plan",
        "proc:std_req__iso26262__case",
    }
    assert plan.fields["link-conditions"] == CONDITIONS
    # The file names no URLs and the entry no base-url: said once, with the items.
    warning, no_url = warnings_of(app)
    assert "2 needs link to 2 IDs outside the file (3 links)" in warning
    assert warning.startswith(f"{src / 'conf.py'}:2: WARNING: techspec_needs_import: ")
    assert no_url.endswith("[techspec.external_no_url]")
    assert "5 imported items have no URL" in no_url


def test_a_type_named_like_a_docutils_directive_is_renamed_and_builds(tmp_path, make_app):
    # S-CORE's process description has a need type `role`: `.. role::` is docutils' own
    # directive, so written as is, its 18 needs would silently not be items.
    needs = {
        "current_version": "1",
        "versions": {
            "1": {
                "needs": {
                    "rl__committer": {
                        "id": "rl__committer",
                        "type": "role",
                        "title": "Committer",
                        "docname": "roles",
                        "lineno": 3,
                        "content": "Reviews and merges.",
                    },
                    "wf__merge": {
                        "id": "wf__merge",
                        "type": "workflow",
                        "title": "Merge",
                        "docname": "roles",
                        "lineno": 9,
                        "approved_by": ["rl__committer"],
                        "content": "",
                    },
                }
            }
        },
    }
    source = tmp_path / "needs.json"
    source.write_text(json.dumps(needs), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["migrate-needs", str(source), "--out", str(out)]) == 0
    page = (out / "roles.rst").read_text(encoding="utf-8")
    assert ".. need-role:: rl__committer Committer" in page and ".. role::" not in page
    report = (out / REPORT).read_text(encoding="utf-8")
    assert "role" in report and "need-role" in report
    app = make_app("html", srcdir=out)
    app.build()
    assert warnings_of(app) == []
    assert app.env.get_domain(DOMAIN).items["rl__committer"].type == "need-role"
