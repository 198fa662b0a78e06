"""Check that a built PDF holds every diagram as a picture (CI: ``make example-pdf``).

A LaTeX build of sphinx-techspec includes each diagram as a PDF file drawn by
headless Chromium (``techspec-diagram-<hash>.pdf``); without a browser the
diagrams silently become tables. This reads what ``pdflatex`` made of it:

- the ``.tex`` includes one picture per diagram (as many as the HTML build of the
  same project draws, when ``--html`` names it);
- the final PDF embeds each picture file as a vector form (pdfTeX records the file
  name in ``/PTEX.FileName``), not as a bitmap;
- the words of each picture (its labels) are text in the final PDF.

Usage::

    python scripts/check_pdf_diagrams.py example_project/_build/latex \
        --html example_project/_build/html
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

INCLUDE = re.compile(
    r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{(techspec-diagram-[0-9a-f]+)\}\.pdf\}"
)

MERMAID_BLOCK = re.compile(r'<pre\s+class="mermaid"')


def embedded_files(reader: PdfReader) -> set[str]:
    """Names of the PDF files pdfTeX embedded as form XObjects, on any page."""
    found: set[str] = set()
    seen: set[int] = set()

    def walk(resources: object) -> None:
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        if not isinstance(resources, DictionaryObject):
            return
        xobjects = resources.get("/XObject")
        if xobjects is None:
            return
        for reference in xobjects.get_object().values():
            key = getattr(reference, "idnum", None)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            xobject = reference.get_object()
            if xobject.get("/Subtype") != "/Form":
                continue
            name = xobject.get("/PTEX.FileName")
            if name is not None:
                found.add(Path(str(name)).stem)
            walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9-]{3,}", text)]


def check(latex_dir: Path, html_dir: Path | None) -> list[str]:
    problems: list[str] = []
    documents = [
        tex for tex in sorted(latex_dir.glob("*.tex")) if tex.with_suffix(".pdf").is_file()
    ]
    if not documents:
        return [f"no .tex with its .pdf in {latex_dir} (run make latexpdf first)"]
    includes: list[str] = []
    for tex in documents:
        names = INCLUDE.findall(tex.read_text(encoding="utf-8"))
        includes += names
        reader = PdfReader(tex.with_suffix(".pdf"))
        embedded = embedded_files(reader)
        missing = sorted(set(names) - embedded)
        if missing:
            problems.append(
                f"{tex.with_suffix('.pdf').name}: pictures not embedded as vector forms: {missing}"
            )
        text = " ".join(page.extract_text() or "" for page in reader.pages)
        for name in sorted(set(names)):
            labels = words(PdfReader(latex_dir / f"{name}.pdf").pages[0].extract_text() or "")
            absent = [w for w in labels if w not in text]
            if not labels or absent:
                problems.append(
                    f"{name}.pdf: labels not found as text in the PDF: {absent or 'none'}"
                )
        print(
            f"{tex.with_suffix('.pdf').name}: {len(reader.pages)} pages, {len(names)} diagram "
            f"pictures ({len(set(names))} files), {len(embedded)} embedded as vector forms"
        )
    if html_dir is not None:
        drawn = sum(
            len(MERMAID_BLOCK.findall(page.read_text(encoding="utf-8")))
            for page in html_dir.rglob("*.html")
        )
        print(f"HTML build: {drawn} Mermaid diagrams")
        if drawn != len(includes):
            problems.append(f"{len(includes)} pictures in the PDF for {drawn} diagrams in the HTML")
    if not includes:
        problems.append(
            "no diagram pictures at all (was Chromium found? see the build's info line)"
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("latex_dir", type=Path)
    parser.add_argument("--html", type=Path, help="the HTML build of the same project")
    arguments = parser.parse_args(argv)
    problems = check(arguments.latex_dir, arguments.html)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
