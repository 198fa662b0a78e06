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
    assert any("index.rst:11:" in w and "[techspec.bad_option]" in w for w in warnings), warnings
    html = (out / "index.html").read_text(encoding="utf-8")
    first = html.split("techspec-title-list")[1]
    assert first.index("Beta") < first.index("Gamma") and "Alpha" not in first.split("</ul>")[0]
    second = html.split("techspec-title-list")[2].split("</ul>")[0]
    assert second.index("Alpha") < second.index("Beta") < second.index("Gamma")
