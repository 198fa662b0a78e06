"""Smoke test of ``bench/lsp_index.py``: it runs, and its generated spec reads clean.

No timing is asserted (shared machines are noisy); the script prints the timings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "bench" / "lsp_index.py"


def test_the_benchmark_indexes_every_item_without_false_problems() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--items", "300", "--pages", "6", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # Every link resolves: the parser and the checks find no problem in a clean spec.
    assert lines[0] == (
        "300 items, 6 pages, 886 references, 0 problems; 100 completions after :verifies:"
    )
    assert [line.split("  ")[0] for line in lines[1:]] == [
        "load conf.py and index every page (once)",
        "re-index one page after an edit",
        "diagnostics of that page",
        "diagnostics of five open pages",
        "completion after :verifies:",
        "hover",
        "references",
        "rename",
        "workspace symbols 'item 4'",
    ]
