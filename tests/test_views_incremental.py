"""Views on one page follow edits on another page without a full rebuild (-E).

The generic test takes the views from the feature registry (no list here): a new view
is tested as soon as a feature declares it. Each view sits alone on its page; an edit
elsewhere of each item type and each store the views declared (``domain.note_view``)
must rewrite the pages that declared it, and every page and export must then equal a
fresh build's; so must they after edits of other kinds (an item moved to a new page, a
page removed), and a parallel build's (``-j 2``) must equal a serial one's.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOTS

from sphinx_techspec.feature import all_features, stores, views

pytestmark = pytest.mark.slow(seconds=9)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def views_copy(tmp_path):
    srcdir = tmp_path / "views"
    shutil.copytree(ROOTS / "test-views", srcdir)
    return srcdir


def read_docs(app) -> list[str]:
    status = ANSI.sub("", app.status.getvalue())
    return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status)


def matrix_text(app) -> str:
    return (app.outdir / "matrix.txt").read_text()


def test_editing_verifies_elsewhere_rewrites_the_matrix(make_app, views_copy):
    app = make_app("text", srcdir=views_copy)
    app.build()
    before = matrix_text(app)
    assert "| REQ-003 | Audit log of resets            | -              |" in before
    assert "Verified by: 2 of 3 requirements (66 %)" in before

    tests_rst = views_copy / "tests.rst"
    tests_rst.write_text(
        tests_rst.read_text().replace(":verifies: REQ-001\n", ":verifies: REQ-001, REQ-003\n")
    )
    app = make_app("text", srcdir=views_copy)  # a new run on the same outdir, no -E
    app.build()
    assert read_docs(app) == ["tests"]  # matrix.rst was not re-read, only rewritten
    after = matrix_text(app)
    assert "| REQ-003 | Audit log of resets            | TC-001         |" in after
    assert "Verified by: 3 of 3 requirements (100 %)" in after
    # The item pages follow too (reverse links), and the export.
    assert "TC-001" in (app.outdir / "requirements.txt").read_text().split("REQ-003")[1]


def test_removing_an_item_elsewhere_rewrites_views(make_app, views_copy):
    app = make_app("text", srcdir=views_copy)
    app.build()
    assert "REQ-003" in matrix_text(app)
    requirements = views_copy / "requirements.rst"
    text = requirements.read_text()
    requirements.write_text(text[: text.index(".. requirement:: REQ-003")])
    app = make_app("text", srcdir=views_copy)
    app.build()
    after = matrix_text(app)
    assert "REQ-003" not in after
    assert "Verified by: 2 of 2 requirements (100 %)" in after


def test_serial_and_parallel_builds_write_the_same_views(make_app, tmp_path):
    pages = {}
    for jobs in (1, 2):
        srcdir = tmp_path / f"views-j{jobs}"
        shutil.copytree(ROOTS / "test-views", srcdir)
        app = make_app("html", srcdir=srcdir, parallel=jobs)
        app.build()
        pages[jobs] = [
            (app.outdir / name).read_text() for name in ("matrix.html", "graphs.html")
        ] + [(app.outdir / name).read_text() for name in ("techspec.json", "needs.json")]
    assert pages[1] == pages[2]


def written_docs(app) -> list[str]:
    status = ANSI.sub("", app.status.getvalue())
    return re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", status)


def test_a_page_holding_only_a_matrix_follows_items_of_its_columns(make_app, views_copy):
    """The matrix declares its columns' item types, not only its rows': a component added
    elsewhere shows in an "implemented by" column although no requirement changed."""
    (views_copy / "only_matrix.rst").write_text(
        "Only a matrix\n=============\n\n.. traceability-matrix::\n   :columns: implements\n"
    )
    index = views_copy / "index.rst"
    index.write_text(index.read_text() + "   only_matrix\n")
    app = make_app("text", srcdir=views_copy)
    app.build()
    assert "GATEWAY" not in (app.outdir / "only_matrix.txt").read_text()

    components = views_copy / "components.rst"
    components.write_text(
        components.read_text() + "\n.. component:: GATEWAY API gateway\n   :implements: REQ-003\n"
    )
    app = make_app("text", srcdir=views_copy)
    app.build()
    assert read_docs(app) == ["components"]
    assert "only_matrix" in written_docs(app)  # rewritten, not re-read
    row = next(
        line
        for line in (app.outdir / "only_matrix.txt").read_text().splitlines()
        if "REQ-003" in line
    )
    assert "GATEWAY" in row


# -- every declared view, alone on its page ------------------------------------------

#: Item sources that need more than ``.. TYPE:: ID Title``; the title is always
#: ``Title of TYPE`` so that one replacement edits exactly one item.
ITEM_SOURCES = {
    "requirement": ".. requirement:: REQ-1 Title of requirement\n",
    "component": ".. component:: COMP-1 Title of component\n   :implements: REQ-1\n",
    "test-case": (
        ".. test-case:: TEST-1 Title of test-case\n   :verifies: REQ-1\n"
        "   :junit: tests.test_x::test_one\n"
    ),
    "use-case": ".. use-case:: UC-1 Title of use-case\n   :actors: User\n",
    "api-endpoint": (
        ".. api-endpoint:: GET /things\n   :id: API-1\n   :summary: Title of api-endpoint\n"
        "   :component: COMP-1\n   :errors: ERR_1\n   :response: 200: Thing\n"
    ),
    "data-model": (
        ".. data-model:: Thing Title of data-model\n   :implements: REQ-1\n\n"
        "   :field id: uuid, pk -- The ID.\n"
    ),
    "error-code": ".. error-code:: ERR_1 Title of error-code\n   :http-status: 404\n",
    "risk": (
        ".. risk:: RISK-1 Title of risk\n   :likelihood: high\n   :impact: high\n"
        "   :mitigated-by: REQ-1\n"
    ),
    "sequence": (
        ".. sequence:: SEQ-1 Title of sequence\n   :realises: UC-1\n\n"
        "   User -> COMP-1: GET /things\n"
    ),
    "workflow": (
        ".. workflow:: WF-1 Title of workflow\n\n   start open: Begin\n   end done: Done\n"
        "   open -> done\n"
    ),
}

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="1" failures="{failures}" errors="0">
<testcase classname="tests.test_x" name="test_one" time="0.1">{outcome}</testcase>
</testsuite></testsuites>
"""


def item_source(item_type: str) -> str:
    ids = re.sub(r"[^A-Z0-9]+", "-", item_type.upper())
    return ITEM_SOURCES.get(item_type, f".. {item_type}:: {ids}-1 Title of {item_type}\n")


def page_of(view_name: str) -> str:
    return f"view-{view_name}"


def write_project(src: Path, item_types: list[str]) -> None:
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinx_techspec"]\nproject = "rewrite"\n'
        'techspec_test_results = ["junit.xml"]\ntechspec_baseline = "baseline.json"\n'
        "techspec_export_reqif = True\n"
        'techspec_code_paths = ["code/*.py"]\n'
    )
    (src / "code").mkdir()
    (src / "code" / "impl.py").write_text(CODE)
    pages = ["items", *(page_of(name) for name in views())]
    (src / "index.rst").write_text(
        "Views\n=====\n\n.. toctree::\n\n" + "".join(f"   {p}\n" for p in pages)
    )
    (src / "items.rst").write_text(
        "Items\n=====\n\n" + "\n".join(item_source(t) for t in item_types)
    )
    for name in views():
        title = f"View {name}"
        (src / f"{page_of(name)}.rst").write_text(f"{title}\n{'=' * len(title)}\n\n.. {name}::\n")
    (src / "junit.xml").write_text(JUNIT.format(failures=0, outcome=""))


def rename(item_type: str) -> Callable[[Path, Path], None]:
    def edit(src: Path, outdir: Path) -> None:
        items = src / "items.rst"
        text = items.read_text()
        assert f"Title of {item_type}\n" in text, item_type
        items.write_text(text.replace(f"Title of {item_type}\n", f"Renamed {item_type}\n"))

    return edit


def fail_the_test(src: Path, outdir: Path) -> None:
    (src / "junit.xml").write_text(
        JUNIT.format(failures=1, outcome='<failure message="boom">boom</failure>')
    )


def baseline_from_last_build(src: Path, outdir: Path) -> None:
    shutil.copy(outdir / "techspec.json", src / "baseline.json")


#: The project's code: one marker, which ``move_the_marker`` moves to another function.
CODE = "# @implements REQ-1\ndef one():\n    pass\n\n\ndef two():\n    pass\n"


def move_the_marker(src: Path, outdir: Path) -> None:
    code = src / "code" / "impl.py"
    code.write_text("def one():\n    pass\n\n\n# @implements REQ-1\ndef two():\n    pass\n")


def add_a_heading(src: Path, outdir: Path) -> None:
    items = src / "items.rst"
    items.write_text(items.read_text() + "\nConclusion\n----------\n\nAll is well.\n")


#: How to change each store from outside a view's page (a store no view reads needs none).
STORE_EDITS: dict[str, Callable[[Path, Path], None]] = {
    "test_results": fail_the_test,
    "change_control": baseline_from_last_build,
    "template_pages": add_a_heading,
    "code_refs": move_the_marker,
}


def move_component_to_a_new_page(src: Path, outdir: Path) -> None:
    items = src / "items.rst"
    items.write_text(items.read_text().replace(item_source("component"), ""))
    (src / "moved.rst").write_text("Moved\n=====\n\n" + item_source("component"))
    index = src / "index.rst"
    index.write_text(index.read_text() + "   moved\n")


def remove_the_new_page(src: Path, outdir: Path) -> None:
    (src / "moved.rst").unlink()
    index = src / "index.rst"
    index.write_text(index.read_text().replace("   moved\n", ""))


#: Edits of other kinds: the pages they rewrite are not declared by one view.
STRUCTURE_EDITS = {
    "an item moved to a new page": move_component_to_a_new_page,
    "a page and its item removed": remove_the_new_page,
}


def output(outdir: Path) -> dict[str, str]:
    """Every page's body and every export of a build (what a reader or a tool gets).

    Not the theme's links to the previous and next page: Sphinx itself does not
    rewrite a page whose neighbour in the toctree was added or removed.
    """
    found = {}
    for path in sorted(outdir.glob("*.html")):
        html = path.read_text()
        found[path.name] = html[html.index('role="main"') : html.index('class="sphinxsidebar"')]
    for name in ("techspec.json", "needs.json", "spec.reqif"):
        found[name] = (outdir / name).read_text()
    # ReqIF's LAST-CHANGE is when a page was read: not the same in two builds.
    found["spec.reqif"] = re.sub(r"\d{4}-\d\d-\d\dT[\d:]+Z", "TIME", found["spec.reqif"])
    return found


def assert_same_output(app, other, what: str) -> None:
    ours, theirs = output(app.outdir), output(other.outdir)
    # Sphinx leaves the HTML of a removed page where it was: not ours to compare.
    assert ours.keys() >= theirs.keys(), what
    for name in theirs:
        assert ours[name] == theirs[name], f"{what}: {name} differs from a fresh build's"


def edit_groups(item_types: list[str], declared: dict[str, set[str]]) -> list[list[str]]:
    """Item types grouped by the views that declared them: editing a group at once
    tests as much as editing its types one by one (a view declares all or none of
    them), with fewer builds."""
    groups: dict[frozenset[str], list[str]] = {}
    for item_type in item_types:
        declarers = frozenset(name for name, types in declared.items() if item_type in types)
        groups.setdefault(declarers, []).append(item_type)
    return sorted(groups.values())


def test_every_view_is_rewritten_when_what_it_declared_changes(make_app, tmp_path):
    src = tmp_path / "src"
    item_types = [t.name for feature in all_features() for t in feature.item_types]
    write_project(src, item_types)
    build = tmp_path / "build"
    app = make_app("html", srcdir=src, builddir=build)
    app.build()
    domain = app.env.get_domain("techspec")
    declared_types = {name: domain.data["views"].get(page_of(name), set()) for name in views()}
    declared_stores = {name: domain.data["reads"].get(page_of(name), set()) for name in views()}
    assert all(declared_types.values())  # every view declared what it shows

    edits: dict[str, tuple[list[Callable[[Path, Path], None]], set[str]]] = {}
    for group in edit_groups(item_types, declared_types):
        pages = {
            page_of(name)
            for name, types in declared_types.items()
            if "*" in types or not types.isdisjoint(group)
        }
        edits[f"types {', '.join(group)}"] = ([rename(t) for t in group], pages)
    for store in sorted(set().union(*declared_stores.values())):
        assert store in stores(), store
        assert store in STORE_EDITS, f"no edit of the store {store!r} in this test"
        pages = {page_of(name) for name, read in declared_stores.items() if store in read}
        edits[f"store {store}"] = ([STORE_EDITS[store]], pages)
    for what, edit in STRUCTURE_EDITS.items():
        edits[what] = ([edit], set())
    assert {"store test_results", "store change_control", "store code_refs"} <= edits.keys()

    for number, (what, (changes, pages)) in enumerate(edits.items()):
        for change in changes:
            change(src, app.outdir)
        app = make_app("html", srcdir=src, builddir=build)  # incremental: same build folder
        app.build()
        assert pages <= set(written_docs(app)), f"{what}: {sorted(pages)} not all rewritten"
        assert pages.isdisjoint(read_docs(app)), f"{what}: view pages read again"
        fresh = make_app("html", srcdir=src, builddir=tmp_path / f"fresh-{number}")
        fresh.build()
        assert_same_output(app, fresh, what)

    parallel = make_app("html", srcdir=src, builddir=tmp_path / "parallel", parallel=2)
    parallel.build()
    assert parallel.parallel == 2 and parallel.is_parallel_allowed("read")
    assert_same_output(parallel, fresh, "-j 2")
