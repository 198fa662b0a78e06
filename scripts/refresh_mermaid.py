"""Refresh the Mermaid build vendored in ``sphinx_techspec/vendor/mermaid/``.

Built HTML must render diagrams with no network, also when opened from disk
(``file://``, where browsers refuse ES-module imports). So the package ships
Mermaid's pinned single-file build, taken from the npm ``mermaid`` package:
``dist/mermaid.min.js`` (loaded by a classic ``<script>``; it sets ``window.mermaid``),
plus the package's MIT LICENSE and a VERSION file. It is copied to ``_static/mermaid/``
only by builders that show pages in a browser (not epub).

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
TARGET = Path(__file__).resolve().parent.parent / "sphinx_techspec" / "vendor" / "mermaid"


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
    """Replace ``target`` with the single-file build; return the number of files copied."""
    licence = (package / "LICENSE").read_text(encoding="utf-8")
    if "MIT License" not in licence:
        sys.exit("mermaid's LICENSE is no longer the MIT licence: check it before shipping")
    script = (package / "dist" / "mermaid.min.js").read_text(encoding="utf-8")
    if 'globalThis["mermaid"]' not in script[-500:]:
        sys.exit("dist/mermaid.min.js no longer sets window.mermaid: check the loader")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(package / "dist" / "mermaid.min.js", target / "mermaid.min.js")
    shutil.copy2(package / "LICENSE", target / "LICENSE")
    (target / "VERSION").write_text(f"{version}\n", encoding="utf-8")
    return 3


def main(argv: list[str]) -> None:
    version = argv[1] if len(argv) > 1 else PINNED_VERSION
    with tempfile.TemporaryDirectory(prefix="mermaid-") as tmp:
        package = fetch(version, Path(tmp))
        count = copy_build(package, TARGET, version)
    print(f"mermaid {version}: {count} files copied to {TARGET}")


if __name__ == "__main__":
    main(sys.argv)
