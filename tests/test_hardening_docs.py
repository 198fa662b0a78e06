"""The worked example of docs/architecture.md is real code: build a project with it."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

ARCHITECTURE = Path(__file__).parent.parent / "docs" / "architecture.md"

RUNNER = """
import sys
sys.path.insert(0, {pkgdir!r})
import sphinx_techspec.feature as feature
feature.FEATURES = (*feature.FEATURES, "titles_example")
from sphinx.cmd.build import build_main
sys.exit(build_main(["-q", "-b", "html", {src!r}, {out!r}]))
"""


def _example_code() -> str:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    (code,) = [block for block in blocks if block.startswith("# sphinx_techspec/titles/")]
    return code


def test_the_documented_view_works(tmp_path):
    package = tmp_path / "pkg" / "titles_example"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(_example_code(), encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_techspec"]\n', encoding="utf-8")
    (src / "index.rst").write_text(
        textwrap.dedent(
            """
            .. requirement:: REQ-2 Beta

            .. requirement:: REQ-1 Gamma

            .. requirement:: OTHER-1 Alpha

            .. title-list::
               :prefix: REQ

            .. title-list::
               :prefix: $$
               :bogus: 1
            """
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    runner = RUNNER.format(pkgdir=str(package.parent), src=str(src), out=str(out))
    result = subprocess.run([sys.executable, "-c", runner], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert any("index.rst:11:" in w and "[techspec.bad_value]" in w for w in warnings), warnings
    # The unknown option at its own line (the example warns about :prefix: at the directive).
    assert any("index.rst:13:" in w and "[techspec.bad_option]" in w for w in warnings), warnings
    html = (out / "index.html").read_text(encoding="utf-8")
    first = html.split("techspec-title-list")[1]
    assert first.index("Beta") < first.index("Gamma") and "Alpha" not in first.split("</ul>")[0]
    second = html.split("techspec-title-list")[2].split("</ul>")[0]
    assert second.index("Alpha") < second.index("Beta") < second.index("Gamma")


STORE_RUNNER = """
import os, shutil, sys, time
sys.path.insert(0, {pkgdir!r})
import sphinx_techspec.feature as feature
feature.FEATURES = (*feature.FEATURES, "reviews_example")
from sphinx.cmd.build import build_main
args = ["-q", "-b", "html", {src!r}, {out!r}]
if build_main(args):
    sys.exit(1)
notes = os.path.join({src!r}, "notes.rst")
for step, edit in enumerate(({edits!r})):
    with open(notes, encoding="utf-8") as f:
        text = f.read()
    with open(notes, "w", encoding="utf-8") as f:
        f.write(text.replace(*edit))
    later = time.time() + 5 * (step + 1)
    os.utime(notes, (later, later))
    if build_main(args):
        sys.exit(1)
    for page in ("comments", "design"):
        shutil.copy({out!r} + f"/{{page}}.html", {out!r} + f"/{{page}}-{{step}}.html")
"""

#: Edit a comment's text (the list changes, no count does), then add one (a count changes).
EDITS = (
    ("Which address?", "Which sender address?"),
    ("address?\n", "address?\n\n.. review-comment:: REQ-1\n\n   Say which mail.\n"),
)


def _store_example_code() -> str:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    (code,) = [block for block in blocks if block.startswith("# sphinx_techspec/reviews/")]
    return code


def test_the_documented_store_works_in_incremental_builds(tmp_path):
    package = tmp_path / "pkg" / "reviews_example"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(_store_example_code(), encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    files = {
        "conf.py": 'extensions = ["sphinx_techspec"]\n',
        "index.rst": "Spec\n====\n\n.. toctree::\n\n   reqs\n   design\n   notes\n   comments\n",
        "reqs.rst": "Reqs\n====\n\n.. requirement:: REQ-1 Send a reset mail\n",
        "design.rst": "Design\n======\n\n.. requirement:: REQ-2 Mail text\n   :refines: REQ-1\n",
        "notes.rst": "Notes\n=====\n\n.. review-comment:: REQ-1\n\n   Which address?\n",
        "comments.rst": "Comments\n========\n\n.. review-comments::\n",
    }
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    runner = STORE_RUNNER.format(
        pkgdir=str(package.parent), src=str(src), out=str(out), edits=EDITS
    )
    result = subprocess.run([sys.executable, "-c", runner], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Neither page was read again after an edit: the store's digest rewrote them.
    edited = (out / "comments-0.html").read_text(encoding="utf-8")
    assert "Which sender address?" in edited  # no item changed: `reads` rewrote the page
    added = (out / "comments-1.html").read_text(encoding="utf-8")
    assert "Which sender address?" in added and "Say which mail." in added
    design = (out / "design-1.html").read_text(encoding="utf-8")  # "Refines: REQ-1 2 comments"
    assert "2 comments" in design and "1 comment<" not in design
