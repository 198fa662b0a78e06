"""How fast the language server answers on a large spec (default: 5,000 items, 100 pages).

Writes a synthetic project (half RST, half MyST pages; requirements, components that
implement them, test cases that verify them, roles in the prose), then times what an
editor asks for, each the median of ``--repeat`` runs, in milliseconds:

- loading ``conf.py`` and indexing every page (once, at start);
- re-indexing one page after an edit, and the diagnostics of that page;
- the diagnostics of five open pages (what each keystroke publishes);
- completion after ``:verifies:``, hover, references, rename, workspace symbols.

Usage: ``python bench/lsp_index.py [--items 5000] [--pages 100] [--repeat 20]``.
No timing is asserted by the tests (shared CI machines are noisy); this prints.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sphinx_techspec.lsp.completion import complete
from sphinx_techspec.lsp.diagnostics import page_problems
from sphinx_techspec.lsp.hover import hover_text
from sphinx_techspec.lsp.navigation import references, workspace_symbols
from sphinx_techspec.lsp.project import Project
from sphinx_techspec.lsp.rename import rename_edit
from sphinx_techspec.lsp.workspace_index import WorkspaceIndex

SEED = 20261207


def write_project(root: Path, items: int, pages: int) -> list[Path]:
    """Pages of requirements, components and test cases, every link resolvable."""
    rng = random.Random(SEED)
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_techspec"]\nproject = "bench"\n', encoding="utf-8"
    )
    per_page = max(items // pages, 1)
    requirements: list[str] = []
    written: list[Path] = []
    number = 0
    for page_number in range(pages):
        myst = page_number % 2 == 1
        blocks = []
        for _ in range(per_page):
            number += 1
            kind = ("requirement", "component", "test-case")[number % 3]
            item_id = {"requirement": "REQ", "component": "COMP", "test-case": "TC"}[kind]
            item_id = f"{item_id}-{number:05d}"
            options = {"status": rng.choice(["draft", "approved", "implemented"])}
            if kind == "requirement":
                requirements.append(item_id)
            elif requirements:
                link = "implements" if kind == "component" else "verifies"
                options[link] = ", ".join(rng.sample(requirements, min(3, len(requirements))))
            body = f"Item {number} of the benchmark"
            if requirements:
                role = rng.choice(requirements)
                body += f", see {{req}}`{role}`." if myst else f", see :req:`{role}`."
            blocks.append(
                item_block(kind, item_id, f"Benchmark item {number}", options, body, myst)
            )
        path = root / f"page{page_number:03d}.{'md' if myst else 'rst'}"
        title = f"Page {page_number}"
        heading = f"# {title}" if myst else f"{title}\n{'=' * len(title)}"
        path.write_text(heading + "\n\n" + "\n".join(blocks), encoding="utf-8")
        written.append(path)
    return written


def item_block(
    kind: str, item_id: str, title: str, options: dict[str, str], body: str, myst: bool
) -> str:
    if myst:
        lines = [f"```{{{kind}}} {item_id} {title}", *(f":{k}: {v}" for k, v in options.items())]
        return "\n".join([*lines, "", body, "```", ""])
    lines = [f".. {kind}:: {item_id} {title}", *(f"   :{k}: {v}" for k, v in options.items())]
    return "\n".join([*lines, "", f"   {body}", ""])


def timed(repeat: int, work: Callable[[], object]) -> float:
    """Median wall time of ``work`` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        pages = write_project(root, args.items, args.pages)
        started = time.perf_counter()
        index = WorkspaceIndex(Project.load(root))
        index.scan()
        start_ms = (time.perf_counter() - started) * 1000
        problems = sum(len(page_problems(index, str(p))) for p in pages)
        edited = str(pages[len(pages) // 2 + 1])  # a MyST page
        text = Path(edited).read_text(encoding="utf-8")
        target = next(i for i in index.pages[edited].items if i.type == "test-case")
        line = target.option("verifies").name_span.line
        text_lines = text.splitlines()
        column = target.option("verifies").name_span.end + 1
        open_pages = [str(p) for p in pages[:5]]
        some_id = target.option("verifies").parts[0].text
        rows = [
            ("load conf.py and index every page (once)", start_ms),
            (
                "re-index one page after an edit",
                timed(args.repeat, lambda: index.update(edited, text)),
            ),
            ("diagnostics of that page", timed(args.repeat, lambda: page_problems(index, edited))),
            (
                "diagnostics of five open pages",
                timed(args.repeat, lambda: [page_problems(index, p) for p in open_pages]),
            ),
            (
                "completion after :verifies:",
                timed(args.repeat, lambda: complete(index, edited, text_lines, line, column)),
            ),
            ("hover", timed(args.repeat, lambda: hover_text(index, some_id))),
            ("references", timed(args.repeat, lambda: references(index, some_id, True))),
            ("rename", timed(args.repeat, lambda: rename_edit(index, some_id, "REQ-RENAMED"))),
            (
                "workspace symbols 'item 4'",
                timed(args.repeat, lambda: workspace_symbols(index, "item 4")),
            ),
        ]
        completions = complete(index, edited, text_lines, line, column)
        print(
            f"{len(index.definitions)} items, {len(index.pages)} pages, "
            f"{sum(len(v) for v in index.references.values())} references, "
            f"{problems} problems; {len(completions)} completions after :verifies:"
        )
        for label, ms in rows:
            print(f"{label:45} {ms:9.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
