"""Source pages inside the built HTML, like ``sphinx.ext.viewcode``: ``_code/<path>.html``.

Each source file holding a reference that counts gets a page: the references at the top
(each linking to its line and to its item), then the file highlighted by Pygments with
an anchor per line (``#L-42``). Cards and the ``code-references`` view link there when
``techspec_code_url`` is not set, so the links work offline and on ReadTheDocs. Pages
are made at ``html-collect-pages`` (HTML builders with one file per page: ``html``,
``dirhtml``); every text from a source file is escaped (Pygments escapes the code, and
``html.escape`` the rest).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_for_filename
from pygments.util import ClassNotFound
from sphinx.application import Sphinx

from ..domain import DOMAIN, TechspecDomain
from ..export_writer import safe_path
from ..urls import item_url
from .model import CodeReference
from .source_text import Unscannable, read_source
from .store import base_of, references_by_item

#: The folder of the source pages in the output.
SOURCE_DIR = "_code"
#: Builders whose pages are files of their own, which ``html-collect-pages`` adds to.
PAGE_BUILDERS = ("html", "dirhtml")


def makes_source_pages(app: Sphinx) -> bool:
    """Source pages are made by page-per-file HTML builders, when no repository URL is set."""
    builder = getattr(app, "builder", None)
    return (
        builder is not None
        and builder.name in PAGE_BUILDERS
        and bool(app.config.techspec_code_paths)
        and not app.config.techspec_code_url
    )


def page_name(path: str) -> str:
    """``code/reset/tokens.py`` → ``_code/code/reset/tokens.py`` (``..`` kept apart as ``_up``)."""
    parts = ["_up" if part == ".." else part for part in path.split("/")]
    return f"{SOURCE_DIR}/{safe_path('/'.join(parts))}"


def source_page_url(app: Sphinx, docname: str, reference: CodeReference) -> str:
    """The reference's line on its source page, relative to ``docname``."""
    uri = app.builder.get_relative_uri(docname, page_name(reference.path))
    return f"{uri}#L-{reference.line}"


def references_by_file(domain: TechspecDomain) -> dict[str, list[CodeReference]]:
    found: dict[str, list[CodeReference]] = {}
    for references in references_by_item(domain).values():
        for reference in references:
            found.setdefault(reference.path, []).append(reference)
    return {path: sorted(found[path], key=CodeReference.sort_key) for path in sorted(found)}


def collect_source_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: one page per source file with references that count."""
    if not makes_source_pages(app):
        return
    domain: TechspecDomain = app.env.get_domain(DOMAIN)  # type: ignore[assignment]
    base = base_of(app)
    for path, references in references_by_file(domain).items():
        try:
            text = read_source(base / path)
        except Unscannable:  # changed since the scan: the next build scans it again
            continue
        name = page_name(path)
        body = references_html(app, domain, name, path, references) + highlighted(path, text)
        context = {"title": path, "body": body, "parents": [], "display_toc": False}
        yield name, context, "page.html"


def references_html(
    app: Sphinx,
    domain: TechspecDomain,
    pagename: str,
    path: str,
    references: list[CodeReference],
) -> str:
    """The heading and the list of references: each to its line, and to its item."""
    lines = [f"<h1>{html.escape(path)}</h1>", '<ul class="techspec-code-refs">']
    for reference in references:
        symbol = f" {reference.symbol}()" if reference.symbol else ""
        where = html.escape(f"{reference.path}:{reference.line}{symbol}")
        item = domain.get(reference.item_id)
        item_id = html.escape(reference.item_id)
        url = item_url(app, item, pagename) if item is not None else None
        target = f'<a href="{html.escape(url)}">{item_id}</a>' if url else item_id
        if item is not None and item.title:
            target += f" {html.escape(item.title)}"
        lines.append(
            f'<li><a href="#L-{reference.line}"><code>{where}</code></a> '
            f"{html.escape(reference.link_type)} {target}</li>"
        )
    lines.append("</ul>")
    return "\n".join(lines) + "\n"


def highlighted(path: str, text: str) -> str:
    """The file in Pygments' HTML, with line numbers and an anchor per line (``L-42``)."""
    try:
        lexer = get_lexer_for_filename(path, text, stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    formatter = HtmlFormatter(
        cssclass="highlight", linenos="inline", lineanchors="L", anchorlinenos=True
    )
    return highlight(text, lexer, formatter)


def setup_source_pages(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_source_pages)
