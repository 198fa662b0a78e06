"""Refresh the Mermaid build vendored in ``sphinx_techspec/static/mermaid/``.

Built HTML must render diagrams with no network, so the package ships a pinned
ES-module build of Mermaid, taken from the npm ``mermaid`` package:
``dist/mermaid.esm.min.mjs`` and the ``dist/chunks/mermaid.esm.min/`` modules it
imports (without source maps), plus the package's LICENSE and a VERSION file.

Usage (needs ``npm`` on PATH)::

    python scripts/refresh_mermaid.py            # the version pinned below
    python scripts/refresh_mermaid.py 11.17.2    # another version

Keep to a version without known flaws: Mermaid 11.0-11.14 has a CSS-injection
flaw (CVE-2026-41148), fixed in 11.15.0 and 10.9.6. After a refresh, update
``VENDORED_MERMAID_VERSION`` in ``sphinx_techspec/diagrams.py`` and run the
browser test (``TECHSPEC_REQUIRE_BROWSER=1 pytest tests/test_browser_diagrams.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PINNED_VERSION = "11.17.2"
TARGET = Path(__file__).resolve().parent.parent / "sphinx_techspec" / "static" / "mermaid"


def fetch(version: str, workdir: Path) -> Path:
    """Install ``mermaid@version`` with npm into ``workdir``; return the package folder."""
    subprocess.run(
        [
            "npm",
            "install",
            "--no-save",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            f"mermaid@{version}",
        ],
        cwd=workdir,
        check=True,
    )
    package = workdir / "node_modules" / "mermaid"
    installed = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != version:
        sys.exit(f"npm installed mermaid {installed}, not {version}")
    return package


def copy_build(package: Path, target: Path, version: str) -> int:
    """Replace ``target`` with the ES-module build; return the number of files copied."""
    if target.exists():
        shutil.rmtree(target)
    chunks = target / "chunks" / "mermaid.esm.min"
    chunks.mkdir(parents=True)
    shutil.copy2(package / "dist" / "mermaid.esm.min.mjs", target / "mermaid.esm.min.mjs")
    count = 1
    for module in sorted((package / "dist" / "chunks" / "mermaid.esm.min").glob("*.mjs")):
        shutil.copy2(module, chunks / module.name)
        count += 1
    shutil.copy2(package / "LICENSE", target / "LICENSE")
    (target / "VERSION").write_text(f"{version}\n", encoding="utf-8")
    return count


def main(argv: list[str]) -> None:
    version = argv[1] if len(argv) > 1 else PINNED_VERSION
    with tempfile.TemporaryDirectory(prefix="mermaid-") as tmp:
        package = fetch(version, Path(tmp))
        count = copy_build(package, TARGET, version)
    print(f"mermaid {version}: {count} modules copied to {TARGET}")


if __name__ == "__main__":
    main(sys.argv)
