"""Small projects built in a temporary directory, for the hardening tests.

One project per case keeps each bad input alone, so a warning can be pinned to
its file and line and nothing else can hide it.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Built:
    app: SphinxTestApp
    srcdir: Path
    warnings: list[str]
    status: str

    @property
    def outdir(self) -> Path:
        return Path(self.app.outdir)

    def typed(self, subtype: str) -> list[str]:
        return [line for line in self.warnings if line.endswith(f"[techspec.{subtype}]")]

    def page(self, name: str = "index", suffix: str = ".html") -> str:
        return (self.outdir / f"{name}{suffix}").read_text(encoding="utf-8")


def write_project(srcdir: Path, files: dict[str, str], conf: str = "") -> Path:
    srcdir.mkdir(parents=True, exist_ok=True)
    conf_py = 'extensions = ["sphinx_techspec"]\nproject = "Hardening"\n'
    if any(name.endswith(".md") for name in files):
        conf_py = 'extensions = ["myst_parser", "sphinx_techspec"]\nproject = "Hardening"\n'
    (srcdir / "conf.py").write_text(conf_py + textwrap.dedent(conf), encoding="utf-8")
    for name, text in files.items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return srcdir


def build(
    srcdir: Path,
    files: dict[str, str] | None = None,
    conf: str = "",
    builder: str = "html",
    parallel: int = 0,
    fresh: bool = True,
) -> Built:
    """Write ``files`` (if given) and build; a Python error propagates (the test fails)."""
    if files is not None:
        write_project(srcdir, files, conf)
    status, warning = io.StringIO(), io.StringIO()
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=srcdir / "_build",
        freshenv=fresh,
        status=status,
        warning=warning,
        parallel=parallel,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    text = _ANSI.sub("", warning.getvalue())
    lines = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
    return Built(app, srcdir, lines, status.getvalue())


def located(line: str) -> bool:
    """Whether a warning line starts with ``file:line:`` (a page or conf.py)."""
    return re.match(r"^\S.*?:\d+: (WARNING|ERROR)", line) is not None
