"""Mermaid text to pictures in one headless Chromium launch, for builders without a browser.

The LaTeX and EPUB builders cannot run Mermaid, so their diagrams are drawn at
build time by the same vendored ``mermaid.min.js`` the HTML loads, in a local
headless Chromium. One launch draws every diagram of a batch on one page:

- ``pdf``: each diagram on its own named ``@page`` sized to the diagram, printed
  with ``--print-to-pdf`` and split into one PDF per diagram with pypdf (whose
  files carry no creation date, so the same text gives the same bytes);
- ``svg``: the SVG text of each diagram, read from ``--dump-dom``.

Each diagram's outcome (drawn, or Mermaid's parse error) comes back on the
console log (``--enable-logging=stderr``), base64-encoded so no text of a diagram
can break the line. Nothing is fetched: the page and Mermaid are local files and
every host name fails to resolve.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

#: Executables looked for on ``PATH`` when ``techspec_diagram_browser`` names none.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: The vendored single-file Mermaid build (see :mod:`sphinx_techspec.diagrams`).
MERMAID_SCRIPT = Path(__file__).parent / "vendor" / "mermaid" / "mermaid.min.js"

#: Mermaid settings of every drawn picture; part of the cache key. SVG text labels
#: (``htmlLabels: false``) because e-book readers show no HTML inside SVG;
#: deterministic IDs so that the same text gives the same SVG.
MERMAID_CONFIG = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "theme": "default",
    "htmlLabels": False,
    "flowchart": {"htmlLabels": False},
    "deterministicIds": True,
    "deterministicIDSeed": "techspec",
    # Mermaid 11 draws shapes with rough.js even in the classic look: a fixed seed.
    "handDrawnSeed": 1,
}

#: Raised when the page, its flags or the splitting change, so old cached files are not reused.
RENDERER_VERSION = "3"

#: The vendored Mermaid's version; part of the cache key.
MERMAID_VERSION = (MERMAID_SCRIPT.parent / "VERSION").read_text(encoding="utf-8").strip()

#: Longest a launch may take before its diagrams fall back to tables.
TIMEOUT_SECONDS = 180

_RESULT = re.compile(r"TECHSPEC-RESULT ([A-Za-z0-9+/=]+)")

_FLAGS = (
    "--headless",
    "--no-sandbox",  # needed as root; the page is local and loads nothing else
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=30000",
)


class RenderError(Exception):
    """The browser could not be run or gave no usable output (every diagram falls back)."""


@dataclass(frozen=True, slots=True)
class Picture:
    """One diagram's outcome: its file content (PDF bytes or SVG text), or Mermaid's error."""

    content: bytes = b""
    error: str = ""


def find_browser(configured: str | None) -> str | None:
    """The Chromium to launch: the configured path, else the first known name on ``PATH``."""
    if configured:
        path = shutil.which(configured)
        return path if path and os.access(path, os.X_OK) else None
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def render(
    browser: str, codes: Sequence[str], kind: str, names: Sequence[str] = ()
) -> list[Picture]:
    """Draw every Mermaid text of ``codes`` in one launch; ``kind`` is ``pdf`` or ``svg``.

    ``names``: each picture's SVG ``id`` (default ``techspec-d<position>``); an ID that
    depends on the text, not on the batch, makes a picture's bytes the same in any batch.
    """
    if not codes:
        return []
    with tempfile.TemporaryDirectory(prefix="techspec-diagrams-") as work:
        page = Path(work) / "page.html"
        page.write_text(page_html(codes, kind, names), encoding="utf-8")
        output = Path(work) / "out.pdf"
        action = f"--print-to-pdf={output}" if kind == "pdf" else "--dump-dom"
        command = [
            browser,
            *_FLAGS,
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",
            action,
            page.as_uri(),
        ]
        stdout, stderr_bytes, status = _run(command, browser)
        stderr = stderr_bytes.decode("utf-8", "replace")
        outcomes = _outcomes(stderr, len(codes))
        if outcomes is None:
            last = stderr.strip().splitlines()[-1:] or [f"exit status {status}"]
            raise RenderError(f"{Path(browser).name} drew no diagrams ({last[0][:200]})")
        if kind == "pdf":
            contents = _split_pdf(output, sum(1 for o in outcomes if "error" not in o))
        else:
            contents = _svgs_of(stdout.decode("utf-8", "replace"), len(codes))
    pictures = []
    drawn = iter(contents)
    for position, outcome in enumerate(outcomes):
        if "error" in outcome:
            pictures.append(Picture(error=" ".join(str(outcome["error"]).split())))
        elif kind == "pdf":
            pictures.append(Picture(content=next(drawn)))
        else:
            pictures.append(Picture(content=contents[position]))
    return pictures


def _run(command: list[str], browser: str) -> tuple[bytes, bytes, int]:
    """Run the browser in a session of its own, so a hung one is killed with its helpers."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:
        raise RenderError(f"{Path(browser).name} could not run: {error}") from error
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RenderError(f"{Path(browser).name} took longer than {TIMEOUT_SECONDS} s") from None
    return stdout, stderr, process.returncode


def page_html(codes: Sequence[str], kind: str, names: Sequence[str] = ()) -> str:
    """The page that draws ``codes``; JSON with ``<`` escaped cannot end its script."""
    ids = list(names) or [f"techspec-d{index}" for index in range(len(codes))]
    if len(ids) != len(codes):
        raise ValueError("one name per diagram")
    data = json.dumps({"codes": list(codes), "ids": ids, "config": MERMAID_CONFIG, "kind": kind})
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _PAGE.replace("@DATA@", data).replace("@MERMAID@", MERMAID_SCRIPT.as_uri())


def _outcomes(stderr: str, count: int) -> list[dict[str, object]] | None:
    outcomes: dict[int, dict[str, object]] = {}
    for match in _RESULT.finditer(stderr):
        try:
            outcome = json.loads(base64.b64decode(match.group(1)))
        except ValueError:
            continue
        if isinstance(outcome, dict) and isinstance(outcome.get("index"), int):
            outcomes[outcome["index"]] = outcome
    if sorted(outcomes) != list(range(count)):
        return None
    return [outcomes[index] for index in range(count)]


def _split_pdf(path: Path, expected: int) -> list[bytes]:
    """One PDF per page, with no dates or IDs, so equal diagrams give equal bytes."""
    if not expected:
        return []
    if not path.is_file():
        raise RenderError("the browser wrote no PDF")
    try:
        reader = PdfReader(path)
        if len(reader.pages) != expected:
            raise RenderError(f"the PDF has {len(reader.pages)} pages for {expected} diagrams")
        files = []
        for page in reader.pages:
            writer = PdfWriter()
            writer.add_page(page)
            writer.add_metadata({"/Producer": "sphinx-techspec"})
            buffer = io.BytesIO()
            writer.write(buffer)
            files.append(buffer.getvalue())
    except PyPdfError as error:
        raise RenderError(f"the browser wrote a PDF pypdf cannot read: {error}") from error
    return files


def _svgs_of(dom: str, count: int) -> list[bytes]:
    tree = lxml.html.fromstring(dom or "<html></html>")
    found = tree.xpath('//pre[@id="techspec-svgs"]')
    if not found:
        raise RenderError("the browser returned no SVG")
    try:
        svgs = json.loads(found[0].text_content())
    except ValueError:
        svgs = None
    if not isinstance(svgs, list) or len(svgs) != count:
        raise RenderError("the browser returned an incomplete list of SVGs")
    return [str(svg).encode("utf-8") for svg in svgs]


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<style>
@page { margin: 0 }
html, body { margin: 0; padding: 0; background: white }
.techspec-picture { overflow: hidden; padding: 4px; box-sizing: content-box }
.techspec-picture + .techspec-picture { break-before: page }
.techspec-picture svg { display: block }
</style>
<script src="@MERMAID@"></script>
</head><body>
<script>
const DATA = @DATA@;
function report(outcome) {
  const bytes = new TextEncoder().encode(JSON.stringify(outcome));
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  console.log("TECHSPEC-RESULT " + btoa(text));
}
(async () => {
  mermaid.initialize(DATA.config);
  const svgs = [];
  let pages = "";
  for (let index = 0; index < DATA.codes.length; index++) {
    try {
      const { svg } = await mermaid.render(DATA.ids[index], DATA.codes[index]);
      const holder = document.createElement("div");
      holder.className = "techspec-picture";
      holder.innerHTML = svg;
      document.body.appendChild(holder);
      const element = holder.querySelector("svg");
      // Mermaid turns the #45; of escaped labels into &#45;, which only HTML labels decode;
      // its line wrapping may cut one in two ("&#5" | "8;"): the cut part moves to the next
      // line of the same label before decoding.
      const texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let carry = "", carryLabel = null;
      for (let text = texts.nextNode(); text; text = texts.nextNode()) {
        if (text.parentNode.nodeName.toLowerCase() === "style") continue;
        const label = text.parentNode.closest("text, foreignObject") || text.parentNode;
        let value = (label === carryLabel ? carry : "") + text.nodeValue;
        const cut = /&#?\\d*$/.exec(value);
        carry = cut ? cut[0] : "";
        carryLabel = label;
        if (cut) value = value.slice(0, cut.index);
        text.nodeValue = value.replace(/&#(\\d+);/g, (entity, code) => {
          const number = Number(code);
          return number > 0 && number <= 0x10ffff ? String.fromCodePoint(number) : entity;
        });
      }
      const box = element.viewBox.baseVal;
      const width = Math.ceil(box && box.width ? box.width : element.getBBox().width);
      const height = Math.ceil(box && box.height ? box.height : element.getBBox().height);
      element.removeAttribute("style");
      // Links point at HTML pages: none in a PDF or an e-book picture.
      for (const link of element.querySelectorAll("a")) {
        link.removeAttribute("href");
        link.removeAttributeNS("http://www.w3.org/1999/xlink", "href");
      }
      element.setAttribute("width", width);
      element.setAttribute("height", height);
      holder.style.width = width + "px";
      holder.style.height = height + "px";
      holder.style.page = "p" + index;
      const size = (width + 8) + "px " + (height + 8) + "px";  // with the padding
      pages += "@page p" + index + " { size: " + size + "; margin: 0 }\\n";
      svgs.push(new XMLSerializer().serializeToString(element));
      report({ index: index, width: width, height: height });
    } catch (error) {
      for (const stray of document.querySelectorAll("#d" + DATA.ids[index])) stray.remove();
      svgs.push("");
      report({ index: index, error: String((error && error.message) || error) });
    }
  }
  const style = document.createElement("style");
  style.textContent = pages;
  document.head.appendChild(style);
  if (DATA.kind === "svg") {
    document.body.replaceChildren();
    const out = document.createElement("pre");
    out.id = "techspec-svgs";
    out.textContent = JSON.stringify(svgs);
    document.body.appendChild(out);
  }
})();
</script>
</body></html>
"""
