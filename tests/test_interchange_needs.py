"""sphinx-needs: a needs.json written by a real sphinx-needs build is imported
(``needs-import`` and ``techspec_needs_import``) and migrated, with all needs and links."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOTS, built_app, techspec_warnings, warnings_of

from sphinx_techspec.cli import main
from sphinx_techspec.domain import DOMAIN
from sphinx_techspec.interchange.migrate import REPORT

pytest.importorskip("sphinx_needs")

ALL_NEEDS = {"R_LOGIN", "R_LOGOUT", "T_LOGIN"}


@pytest.fixture(scope="module")
def needs_json(tmp_path_factory) -> dict:
    """A needs.json from a real sphinx-needs build (built once for this module)."""
    src = tmp_path_factory.mktemp("legacy") / "src"
    shutil.copytree(ROOTS / "test-interchange-sphinx-needs", src)
    app = built_app(src)
    return json.loads((app.outdir / "needs.json").read_text(encoding="utf-8"))


def importer(make_app, tmp_path, needs: dict, extra_conf: str = "", root="test-interchange-needs"):
    src = tmp_path / "importer"
    shutil.copytree(ROOTS / root, src)
    (src / "needs.json").write_text(json.dumps(needs), encoding="utf-8")
    if extra_conf:
        with (src / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(extra_conf)
    app = make_app("html", srcdir=src)
    app.build()
    return app


def test_needs_import_creates_linked_items_with_their_origin(make_app, tmp_path, needs_json):
    app = importer(make_app, tmp_path, needs_json)
    domain = app.env.get_domain(DOMAIN)
    assert set(domain.items) >= ALL_NEEDS
    assert domain.items["R_LOGIN"].type == "requirement"
    assert domain.items["R_LOGIN"].fields == {"status": "open", "tags": ["auth", "ui"]}
    assert domain.items["R_LOGOUT"].links == {"refines": ("R_LOGIN",)}
    assert set(domain.items["T_LOGIN"].links["verifies"]) == {"R_LOGIN", "R_LOGOUT"}
    # A local item links to an imported one; the matrix shows both.
    assert domain.items["TC-LOCAL"].links == {"verifies": ("R_LOGOUT",)}
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="https://legacy.example.org/docs/index.html#R_LOGIN"' in html
    assert 'href="https://legacy.example.org/docs/more.html#T_LOGIN"' in html
    assert "Imported from" in html
    assert "<em>must</em>" in html  # the need's content, parsed
    # The :need: role became ours.
    assert 'href="#R_LOGOUT"' in html
    matrix = html[html.index("techspec-matrix") :]
    assert "TC-LOCAL" in matrix and "T_LOGIN" in matrix
    # The only loss is named: the owner option is no field here.
    assert techspec_warnings(app, "needs_import") == [
        f"{app.srcdir / 'index.rst'}:4: WARNING: needs-import: needs.json: options owner are not "
        "fields of the item types and are left out [techspec.needs_import]"
    ]
    assert [w for w in warnings_of(app) if "[techspec." in w and "needs_import" not in w] == []


def test_needs_import_in_myst(make_app, tmp_path, needs_json):
    src = tmp_path / "myst"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_techspec"]\ntechspec_statuses = ["open"]\n',
        encoding="utf-8",
    )
    (src / "needs.json").write_text(json.dumps(needs_json), encoding="utf-8")
    (src / "index.md").write_text(
        "# Imported\n\n```{needs-import} needs.json\n:types: req=requirement, test=test-case\n"
        ":links: tests=verifies, links=refines\n```\n",
        encoding="utf-8",
    )
    app = make_app("html", srcdir=src)
    app.build()
    domain = app.env.get_domain(DOMAIN)
    assert set(domain.items) >= ALL_NEEDS
    assert set(domain.items["T_LOGIN"].links["verifies"]) == {"R_LOGIN", "R_LOGOUT"}
    assert "<em>must</em>" in (app.outdir / "index.html").read_text(encoding="utf-8")


def test_ids_clashing_with_local_ones_are_duplicates(make_app, tmp_path, needs_json):
    src = tmp_path / "clash"
    shutil.copytree(ROOTS / "test-interchange-needs", src)
    with (src / "index.rst").open("a", encoding="utf-8") as page:
        page.write("\n.. requirement:: R_LOGIN A local requirement with the same ID\n")
    (src / "needs.json").write_text(json.dumps(needs_json), encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    duplicates = techspec_warnings(app, "duplicate_id")
    assert len(duplicates) == 1 and "'R_LOGIN'" in duplicates[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "it is not valid JSON (line 1"),
        ('{"needs": []}', "it is not a sphinx-needs needs.json (no 'versions' object)"),
        ('{"versions": {}}', "it holds no version"),
        ('{"versions": {"1.0": {"needs": {"X": 3}}}}', "need 'X' is not an object"),
        ("[" * 100_000 + "]" * 100_000, "it is nested too deeply to read"),
        (b"\xff\xfe", "it is not UTF-8 text"),
    ],
)
def test_unreadable_needs_json_is_a_located_warning(make_app, tmp_path, content, message):
    src = tmp_path / "bad"
    shutil.copytree(ROOTS / "test-interchange-needs", src)
    if isinstance(content, bytes):
        (src / "needs.json").write_bytes(content)
    else:
        (src / "needs.json").write_text(content, encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = techspec_warnings(app, "needs_import")
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{src / 'index.rst'}:4: WARNING: needs-import: needs.json: ")
    assert message in warnings[0]


def test_an_old_needs_json_without_schema_still_imports(make_app, tmp_path, needs_json):
    """sphinx-needs before 6 wrote no needs_schema: links are found by their _back lists."""
    old = json.loads(json.dumps(needs_json))
    for version in old["versions"].values():
        version.pop("needs_schema", None)
    app = importer(make_app, tmp_path, old)
    domain = app.env.get_domain(DOMAIN)
    assert set(domain.items["T_LOGIN"].links["verifies"]) == {"R_LOGIN", "R_LOGOUT"}
    assert domain.items["R_LOGOUT"].links == {"refines": ("R_LOGIN",)}


def test_configured_needs_import_makes_needs_linkable(make_app, tmp_path, needs_json):
    src = tmp_path / "configured"
    src.mkdir()
    (src / "needs.json").write_text(json.dumps(needs_json), encoding="utf-8")
    (src / "conf.py").write_text(
        'extensions = ["sphinx_techspec"]\n'
        "techspec_needs_import = [{\n"
        '    "path": "needs.json", "project": "legacy",\n'
        '    "types": {"req": "requirement", "test": "test-case"},\n'
        '    "links": {"tests": "verifies", "links": "refines"},\n'
        '    "base_url": "https://legacy.example.org/docs/",\n'
        "}]\n",
        encoding="utf-8",
    )
    (src / "index.rst").write_text(
        "Hub\n===\n\n.. test-case:: TC-1 New test\n   :verifies: legacy:R_LOGOUT\n\n"
        ".. traceability-matrix::\n   :types: requirement\n   :columns: test-case\n",
        encoding="utf-8",
    )
    app = make_app("html", srcdir=src)
    app.build()
    domain = app.env.get_domain(DOMAIN)
    assert {f"legacy:{n}" for n in ALL_NEEDS} <= set(domain.items)
    assert set(domain.items["legacy:T_LOGIN"].links["verifies"]) == {
        "legacy:R_LOGIN",
        "legacy:R_LOGOUT",
    }
    assert [w for w in warnings_of(app) if "unknown_ref" in w] == []
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="https://legacy.example.org/docs/index.html#R_LOGOUT"' in html
    assert "TC-1" in html[html.index("techspec-matrix") :]
    (warning,) = techspec_warnings(app, "needs_import")
    assert warning.startswith(f"{src / 'conf.py'}:2: WARNING: techspec_needs_import: ")


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_migrate_needs_writes_a_project_that_builds_as_written(
    make_app, tmp_path, needs_json, fmt, capsys
):
    source = tmp_path / "needs.json"
    source.write_text(json.dumps(needs_json), encoding="utf-8")
    out = tmp_path / f"migrated-{fmt}"
    args = ["migrate-needs", str(source), "--out", str(out), "--format", fmt]
    args += ["--map", "req=requirement", "--map", "test=test-case", "--map", "tests=verifies"]
    args += ["--title", "Legacy"]
    assert main(args) == 0
    suffix = "md" if fmt == "md" else "rst"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["conf.py", f"index.{suffix}", f"index-page.{suffix}", f"more.{suffix}", REPORT]
    )
    assert "Maps that do not fit" not in (out / REPORT).read_text(encoding="utf-8")
    summary = capsys.readouterr().out
    assert "Migrated 3 needs into 2 pages" in summary and "3 of 3 links resolve" in summary
    report = (out / REPORT).read_text(encoding="utf-8")
    # owner is no field of requirement (mapped as asked): named, not silently dropped.
    assert "requirement: 'owner'" in report
    assert "type 'req' → requirement" in report
    page = (out / f"index-page.{suffix}").read_text(encoding="utf-8")
    assert page.index("R_LOGIN") < page.index("R_LOGOUT")  # original order
    app = make_app("html", srcdir=out)
    app.build()
    assert warnings_of(app) == []
    domain = app.env.get_domain(DOMAIN)
    assert set(domain.items) == ALL_NEEDS
    assert domain.items["R_LOGIN"].fields == {"status": "open", "tags": ["auth", "ui"]}
    # The generic links option is a link type of its own; tests is mapped to verifies.
    assert domain.items["R_LOGOUT"].links == {"links": ("R_LOGIN",)}
    assert set(domain.items["T_LOGIN"].links["verifies"]) == {"R_LOGIN", "R_LOGOUT"}
    assert domain.items["T_LOGIN"].type == "test-case"
    assert domain.items["T_LOGIN"].docname == "more"
    root = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="more.html"' in root and 'href="index-page.html"' in root


def test_migrate_names_a_link_map_the_mapped_types_cannot_have(tmp_path, needs_json):
    source = tmp_path / "needs.json"
    source.write_text(json.dumps(needs_json), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["migrate-needs", str(source), "--out", str(out), "--map", "tests=verifies"]) == 0
    report = (out / REPORT).read_text(encoding="utf-8")
    assert (
        "Maps that do not fit:\n  link 'tests' is mapped to 'verifies', which test items "
        "cannot have (only test-case)" in report
    )


def test_migrate_refuses_a_bad_file_and_writes_nothing(tmp_path, capsys):
    source = tmp_path / "needs.json"
    source.write_text('{"versions": 3}', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["migrate-needs", str(source), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert str(source) in error and "not a sphinx-needs needs.json" in error
    assert not out.exists()


def test_parallel_build_keeps_every_origin(make_app, tmp_path, needs_json):
    src = tmp_path / "parallel"
    src.mkdir()
    (src / "needs.json").write_text(json.dumps(needs_json), encoding="utf-8")
    (src / "conf.py").write_text(
        'extensions = ["sphinx_techspec"]\ntechspec_statuses = ["open"]\n'
        'suppress_warnings = ["techspec.needs_import"]\n',
        encoding="utf-8",
    )
    pages = {"a": "req=requirement", "b": "test=test-case", "c": "", "d": ""}
    (src / "index.rst").write_text(
        "Index\n=====\n\n.. toctree::\n\n" + "".join(f"   {p}\n" for p in pages), encoding="utf-8"
    )
    for name, types in pages.items():
        body = f".. needs-import:: needs.json\n   :types: {types}\n" if types else "Text.\n"
        (src / f"{name}.rst").write_text(f"{name}\n=\n\n{body}", encoding="utf-8")
    app = make_app("html", srcdir=src, parallel=2)
    app.build()
    assert "Imported from" in (app.outdir / "a.html").read_text(encoding="utf-8")
    assert "Imported from" in (app.outdir / "b.html").read_text(encoding="utf-8")
    assert set(app.env.get_domain(DOMAIN).items) == ALL_NEEDS


def test_problems_of_imported_needs_are_located_at_the_directive(make_app, tmp_path, needs_json):
    app = importer(make_app, tmp_path, needs_json, 'techspec_statuses = ["approved"]\n')
    (warning,) = techspec_warnings(app, "bad_value")
    assert warning.startswith(f"{app.srcdir / 'index.rst'}:4: WARNING: status 'open' is not one")


def test_a_changed_needs_json_is_read_again(make_app, tmp_path, needs_json):
    app = importer(make_app, tmp_path, needs_json)
    changed = json.loads(json.dumps(needs_json))
    for version in changed["versions"].values():
        version["needs"]["R_LOGIN"]["title"] = "Login really works"
    (app.srcdir / "needs.json").write_text(json.dumps(changed), encoding="utf-8")
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert again.env.get_domain(DOMAIN).items["R_LOGIN"].title == "Login really works"
    assert "Login really works" in (again.outdir / "index.html").read_text(encoding="utf-8")
