"""``live-example``: a directive's source in MyST and reStructuredText tabs, then its result.

The guide's own build renders the result, so every example a reader sees is what
the directive produces today. The content is MyST (the guide's pages are MyST);
the reStructuredText tab is translated from it: ```` ```{name} arg ```` becomes
``.. name:: arg``, leading ``:option:`` lines become indented options, the body
is indented, nested fences nest, and ``{role}`x``` becomes ``:role:`x```.
"""

from __future__ import annotations

import json
import re

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*)$")
OPTION = re.compile(r"^:(?P<name>[\w-]+):\s*(?P<value>.*)$")
ROLE = re.compile(r"\{([\w:-]+)\}`")


def to_rst(lines: list[str], indent: str = "") -> list[str]:
    """The reStructuredText of MyST directive blocks (enough for the guide's examples)."""
    result: list[str] = []
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            line = lines[index]
            result.append(indent + ROLE.sub(r":\1:`", line) if line.strip() else "")
            index += 1
            continue
        fence = match["fence"]
        end = index + 1
        while end < len(lines) and lines[end].strip() != fence:
            end += 1
        inner = lines[index + 1 : end]
        argument = f" {match['argument']}" if match["argument"] else ""
        result.append(f"{indent}.. {match['name']}::{argument}")
        position = 0
        while position < len(inner) and (option := OPTION.match(inner[position])):
            value = option["value"]
            if value.startswith('"') and value.endswith('"'):
                value = json.loads(value)
            result.append(f"{indent}   :{option['name']}: {value}".rstrip())
            position += 1
        body = inner[position:]
        while body and not body[0].strip():
            body = body[1:]
        if body:
            result.append("")
            result += to_rst(body, indent + "   ")
        index = end + 1
    return result


class LiveExample(SphinxDirective):
    """Source tabs (MyST, reStructuredText) and the live result below them."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        source = list(self.content)
        rst = to_rst(source)
        text = [
            "::::{tab-set}",
            ":class: live-example-source",
            "",
            ":::{tab-item} MyST",
            ":sync: myst",
            "`````md",
            *source,
            "`````",
            ":::",
            "",
            ":::{tab-item} reStructuredText",
            ":sync: rst",
            "`````rst",
            *rst,
            "`````",
            ":::",
            "::::",
        ]
        container = nodes.container(classes=["live-example"])
        self.state.nested_parse(StringList(text, self.get_source_info()[0]), 0, container)
        result = nodes.container(classes=["live-example-result"])
        result += nodes.rubric("", "Result")
        self.state.nested_parse(self.content, self.content_offset, result)
        container += result
        return [container]


def site_link(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{site}`text <example/index.html>``: a link to a file of the built site (not a page)."""
    from docutils.utils import unescape
    from sphinx.util.nodes import split_explicit_title

    _has_title, title, target = split_explicit_title(unescape(text))
    return [nodes.reference(rawtext, title, refuri=target)], []


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_directive("live-example", LiveExample)
    app.add_role("site", site_link)
    app.add_css_file("live-example.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
