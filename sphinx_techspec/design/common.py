"""Pieces shared by the design directives: body parsing, examples, type rendering."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.parsing import nested_parse_to_nodes

from ..diagnostics import warn
from ..directives import ItemDirective
from .body import Example, load_json
from .field_syntax import type_text
from .nodes import ModelRef


def is_myst_state(state: object) -> bool:
    """Whether a directive runs under MyST (its mocked state), without importing MyST.

    If ``myst_parser.mocking`` was never imported, no page is MyST: importing it
    (25 ms) only to answer "no" would cost every reStructuredText build.
    """
    mocking = sys.modules.get("myst_parser.mocking")
    return mocking is not None and isinstance(state, mocking.MockState)


#: Parses a description (text, source line) into inline nodes.
InlineParser = Callable[[str, int], list[nodes.Node]]


class BodyLinesDirective(ItemDirective):
    """An item directive whose body holds spec lines (``:field ...:``, ``:example:``)."""

    #: The keys of its spec lines besides ``example`` (``field``; ``query``...).
    body_keys: frozenset[str] = frozenset()

    def inline(self, text: str, lineno: int) -> list[nodes.Node]:
        """A field or parameter description with the page's inline markup (RST or MyST)."""
        if not text:
            return []
        parsed, messages = self.parse_inline(text, lineno=lineno)
        return [*parsed, *messages]

    def report_unknown_options(self, location: str) -> None:
        # ``:field id: ...`` right under the options is read as an option (MyST);
        # say what to do instead of only "unknown option".
        for name in [name for name in self.options if " " in name]:
            warn(
                f"':{name}:' was read as an option: leave a blank line between the options "
                "and the body's field, parameter and example lines",
                "bad_option",
                self.option_location(name),
            )
            del self.options[name]
        super().report_unknown_options(location)


def first_content_line(directive: SphinxDirective) -> int:
    """The 1-based source line of the directive's first content line.

    Docutils gives an absolute ``content_offset``; MyST gives it relative to the
    directive's own line and numbers content lines from 0.
    """
    if is_myst_state(directive.state):
        return directive.lineno + directive.content_offset + 1
    # The line in the file that holds it (an included file has its own numbering).
    _source, line = directive.state_machine.get_source_and_line(directive.content_offset + 1)
    return line or directive.content_offset + 1


def parse_description(directive: SphinxDirective, description: StringList) -> list[nodes.Node]:
    """The prose left after spec lines and examples were taken out."""
    if not any(line.strip() for line in description):
        return []
    return nested_parse_to_nodes(
        directive.state,
        description,
        offset=directive.content_offset,
        allow_section_headings=True,
    )


def load_example(
    example: Example, locate: Callable[[int], Any], data: dict[str, Any], item_id: str = ""
) -> dict[str, Any]:
    """Add the example's JSON value to ``data``, or its raw text and a ``bad_json`` warning.

    ``locate`` turns a line of the directive's file into a warning location; the
    warning names ``item_id``, the item the example belongs to.
    """
    value, error, line = load_json(example)
    data["line"] = example.line
    if error is not None:
        warn(bad_json_message(example, item_id, error, line), "bad_json", locate(line))
        data["text"] = example.text.strip("\n")
    else:
        data["value"] = value
    return data


def bad_json_message(example: Example, item_id: str, error: str, line: int) -> str:
    """The ``bad_json`` warning of an example (the language server shows it too)."""
    what = f"example '{example.what}'" if example.what else "example"
    what = f"{item_id}: {what}" if item_id else what
    return f"{what} is not valid JSON: {error} (line {line})"


def type_nodes(type_: dict[str, Any]) -> list[nodes.Node]:
    """A type as inline nodes, each model name a placeholder that becomes a link."""
    kind = type_.get("kind")
    if kind == "array":
        return [nodes.Text("array of "), *type_nodes(type_["items"])]
    if kind == "model":
        ref = ModelRef(model=type_["model"])
        ref += nodes.literal("", type_["model"])
        return [ref]
    return [nodes.literal("", type_text(type_))]


def example_nodes(examples: list[dict[str, Any]]) -> list[nodes.Node]:
    """Each example as a caption paragraph and a JSON literal block."""
    result: list[nodes.Node] = []
    for example in examples:
        caption = nodes.paragraph(classes=["techspec-example-caption"])
        caption += nodes.strong("", example_caption(example))
        text = (
            json.dumps(example["value"], indent=2, ensure_ascii=False)
            if "value" in example
            else example.get("text", "")
        )
        # Text that is not JSON (already warned as bad_json) is shown as it is, unlexed.
        language = "json" if "value" in example else "text"
        block = nodes.literal_block(text, text, language=language, classes=["techspec-example"])
        result += [caption, block]
    return result


def example_caption(example: dict[str, Any]) -> str:
    kind = example.get("kind", "")
    if kind == "request":
        caption = "Example request"
    elif kind == "response":
        caption = f"Example response {example.get('status', '')}".rstrip()
    else:
        caption = "Example"
    if example.get("title"):
        caption += f" ({example['title']})"
    return caption + ":"
