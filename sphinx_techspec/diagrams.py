"""Mermaid diagrams built from domain data: safe text, fixed styles, loading, fallbacks.

Every diagram of every feature (traceability graph, architecture, ER, sequence,
workflow) is written through this module:

- user text reaches Mermaid only through :func:`escape_text` (and :func:`label`,
  which quotes it), so no title can end a label, start a ``%%{init}%%`` directive,
  add a ``click`` line or inject markup;
- node colours and shapes are fixed :class:`NodeStyle` values each feature declares
  for its item types (``Feature.diagram_styles``, made by :func:`node_style` from
  literals): ``classDef`` lines never hold user text (CVE-2026-41148);
- builders that show HTML in a browser (html, dirhtml, singlehtml) get a Mermaid
  node inside a scrolling container; LaTeX and EPUB get a picture of the same text
  drawn at build time by headless Chromium (:mod:`.diagram_pictures`), and every
  other builder (text, man), or LaTeX and EPUB without a browser, a readable
  fallback: sphinxcontrib-mermaid's LaTeX path needs mermaid-cli and warns
  untyped, and e-book readers run no Mermaid.

The HTML loads Mermaid's single-file build (``vendor/mermaid/mermaid.min.js``, see
``scripts/refresh_mermaid.py``) with a classic ``<script>``: pages opened from disk
(``file://``) may not import ES modules, so sphinxcontrib-mermaid's own loader
(dark-theme detection, fullscreen) is kept and only its ``import`` line is
replaced by the global the classic build sets. Loading Mermaid from the CDN is an
opt-in (``techspec_mermaid_cdn = True``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinxcontrib.mermaid import mermaid

from .diagram_pictures import draw_batch, draw_pictures, picture_format, picture_node

if TYPE_CHECKING:
    from .domain import TechspecDomain

#: The Mermaid version in ``vendor/mermaid/`` (written there as VERSION too).
VENDORED_MERMAID_VERSION = "11.17.2"

#: Folder added to ``html_static_path`` for builders that render in a browser only.
VENDOR_DIR = Path(__file__).parent / "vendor"

#: The vendored classic script, relative to ``_static/``.
VENDORED_MERMAID_SCRIPT = "mermaid/mermaid.min.js"

#: sphinxcontrib-mermaid's default CDN version, which has CVE-2026-41148.
_FLAWED_DEFAULT_VERSION = "11.12.1"

#: HTML-format builders whose output is not opened in a browser that runs Mermaid.
NO_SCRIPT_BUILDERS = frozenset({"epub"})

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")

#: The first line of sphinxcontrib-mermaid's loader (``default.js.j2``).
_IMPORT_LINE = re.compile(r'\Aimport mermaid from "([^"]+)";')


# -- loading Mermaid -------------------------------------------------------------


def setup_mermaid(app: Sphinx) -> None:
    """Load sphinxcontrib-mermaid and make it use the vendored classic build."""
    app.setup_extension("sphinxcontrib.mermaid")
    # After conf.py and after sphinxcontrib-mermaid's own defaults.
    app.connect("config-inited", use_vendored_mermaid, priority=900)
    app.connect("builder-inited", add_vendored_static)
    app.connect("builder-inited", add_viewer_script)
    # After sphinxcontrib-mermaid's install_js (priority 500) added its loader.
    app.connect("html-page-context", load_mermaid_classically, priority=600)
    # After the one placeholder walk (priority 500) has rendered the page's views.
    app.connect("doctree-resolved", draw_pictures, priority=700)
    # Inside an HTML-family builder's finish(), before it copies the images.
    app.connect("html-collect-pages", draw_batch)


def use_vendored_mermaid(app: Sphinx, config: Config) -> None:
    """Use the vendored copy unless the project opted into the CDN or set its own copy."""
    if config.techspec_mermaid_cdn:
        if config.mermaid_version == _FLAWED_DEFAULT_VERSION:
            config.mermaid_version = VENDORED_MERMAID_VERSION
        return
    if not config.mermaid_use_local:
        config.mermaid_use_local = VENDORED_MERMAID_SCRIPT


def renders_in_browser(app: Sphinx) -> bool:
    """Whether this builder's pages are opened in a browser that runs Mermaid."""
    builder = app.builder
    return builder.format == "html" and builder.name not in NO_SCRIPT_BUILDERS


def add_vendored_static(app: Sphinx) -> None:
    """Copy the vendored Mermaid only where it runs (an EPUB would list it as unknown)."""
    if app.config.mermaid_use_local != VENDORED_MERMAID_SCRIPT or not renders_in_browser(app):
        return
    if str(VENDOR_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(VENDOR_DIR))


def add_viewer_script(app: Sphinx) -> None:
    """Fit, zoom and pan of rendered diagrams (``static/techspec-diagrams.js``)."""
    if renders_in_browser(app):
        app.add_js_file("techspec-diagrams.js", loading_method="defer")


def load_mermaid_classically(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Turn sphinxcontrib-mermaid's ``import`` of our copy into a classic script.

    Its loader stays as it is (a deferred inline module needs no fetch, so it runs
    from ``file://``); only the import becomes ``window.mermaid``, set by the
    classic ``mermaid.min.js`` script placed just before it. Loaders of other
    copies (``mermaid_use_local``, the CDN) are left alone.
    """
    if not renders_in_browser(app) or app.config.mermaid_use_local != VENDORED_MERMAID_SCRIPT:
        return
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    for position, script in enumerate(scripts):
        attributes = getattr(script, "attributes", None)
        if getattr(script, "filename", "x") or not isinstance(attributes, dict):
            continue
        body = attributes.get("body") or ""
        match = _IMPORT_LINE.match(body)
        if not match or not match.group(1).endswith(f"_static/{VENDORED_MERMAID_SCRIPT}"):
            continue
        loader = type(script)(
            None,
            priority=script.priority,
            **{**attributes, "body": "const mermaid = window.mermaid;" + body[match.end() :]},
        )
        classic = type(script)(
            f"_static/{VENDORED_MERMAID_SCRIPT}", priority=script.priority - 1, defer="defer"
        )
        scripts[position : position + 1] = [classic, loader]
        return


# -- text ---------------------------------------------------------------------------

#: Characters written as they are; everything else becomes a Mermaid entity (``#35;``).
_PLAIN = frozenset(" ._/'?!+=*")


def escape_text(text: str) -> str:
    """User text made inert for any place in any Mermaid diagram.

    Letters, digits, spaces and a few punctuation marks stay; every other
    character becomes a numeric entity (``#37;`` for ``%``), which Mermaid decodes
    for display after parsing. So quotes cannot end a label, ``%%`` cannot start
    a comment or an ``%%{init}%%`` directive, ``;``/``#``/brackets/arrows cannot
    end a statement or a shape, ``<script>`` shows as text, and a ``click`` in a
    title stays words. Whitespace (newlines too) collapses to single spaces.
    """
    out = []
    for char in " ".join(text.split()):
        if (char.isalnum() and char.isprintable() and char not in "ﬂ¶ß°") or char in _PLAIN:
            out.append(char)
        else:
            out.append(f"#{ord(char)};")
    return "".join(out)


def label(text: str) -> str:
    """A quoted Mermaid label of user text (see :func:`escape_text`)."""
    return f'"{escape_text(text)}"'


def node_name(index: int, prefix: str = "n") -> str:
    """A Mermaid-safe node name; item IDs go into labels, never into names."""
    return f"{prefix}{index}"


def safe_identifier(text: str) -> str:
    """A Mermaid-safe identifier derived from ``text`` (for ER entity names)."""
    cleaned = _UNSAFE.sub("_", text)
    return cleaned if cleaned[:1].isalpha() else f"e_{cleaned}"


def safe_url(url: str) -> str:
    """A URL percent-encoded so that it cannot end its quotes or hold ``%%``/braces."""
    return quote(url.replace("\n", ""), safe="/#:?=&.-_~")


def click_line(name: str, url: str) -> str:
    """Make a Mermaid node a link (kept under the default ``securityLevel: strict``)."""
    return f'    click {name} href "{safe_url(url)}"'


# -- the fixed stylesheet -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeStyle:
    """How nodes of one item type look: a fixed class, colours and a Mermaid shape."""

    css_class: str
    colour: str
    fill: str
    stroke: str
    shape: str
    opening: str
    closing: str

    def class_def(self) -> str:
        return (
            f"    classDef {self.css_class} fill:{self.fill},stroke:{self.stroke},"
            "color:#111111,stroke-width:1.5px"
        )


def node_style(css: str, colour: str, fill: str, stroke: str, shape: str) -> NodeStyle:
    opening, closing = SHAPES[shape]
    return NodeStyle(css, colour, fill, stroke, shape, opening, closing)


#: Mermaid brackets of each shape, named as the legend says them.
SHAPES: dict[str, tuple[str, str]] = {
    "rectangle": ("[", "]"),
    "rounded box": ("(", ")"),
    "stadium": ("([", "])"),
    "box with side bars": ("[[", "]]"),
    "cylinder": ("[(", ")]"),
    "hexagon": ("{{", "}}"),
    "parallelogram": ("[/", "/]"),
    "diamond": ("{", "}"),
    "circle": ("((", "))"),
}

#: Every other type (custom types, template types without a style of their own).
OTHER_STYLE = node_style("tsOther", "white", "#ffffff", "#64748b", "rounded box")

#: Mark states shown on a node: a thicker coloured border beside the mark's word.
STATE_CLASSES: dict[str, str] = {
    "problem": "    classDef tsProblem stroke:#dc2626,stroke-width:4px,stroke-dasharray:6 3",
    "attention": "    classDef tsAttention stroke:#d97706,stroke-width:4px,stroke-dasharray:2 2",
}
#: Invisible spacer nodes between the columns of a ranked graph.
SPACER_CLASS = "    classDef tsSpacer fill:none,stroke:none,color:transparent"
STATE_CSS = {"problem": "tsProblem", "attention": "tsAttention"}
STATE_WORDS = {"problem": "red dashed border", "attention": "amber dotted border"}


def style_of(domain: TechspecDomain, item_type: str) -> NodeStyle:
    """The style the feature of ``item_type`` declared (``Feature.diagram_styles``)."""
    return domain.features.diagram_styles.get(item_type, OTHER_STYLE)


def front_matter(rank_spacing: int = 110, node_spacing: int = 30) -> str:
    """Front matter of a generated diagram: natural size (the viewer scales it), spacing."""
    return (
        "---\n"
        "config:\n"
        "  flowchart:\n"
        "    useMaxWidth: false\n"
        f"    rankSpacing: {rank_spacing}\n"
        f"    nodeSpacing: {node_spacing}\n"
        "  sequence:\n"
        "    useMaxWidth: false\n"
        "  er:\n"
        "    useMaxWidth: false\n"
        "---\n"
    )


#: Front matter of every generated diagram but ranked graphs.
FRONT_MATTER = front_matter()


# -- lines --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineStyle:
    """How edges of one link type look: a fixed colour and a Mermaid stroke."""

    css_class: str
    colour: str
    stroke: str
    pattern: str  # "solid", "dotted" or "thick"

    @property
    def words(self) -> str:
        return f"{self.colour} {self.pattern} line"


#: Line styles of link types, taken in turn by the link types' sorted names.
LINE_STYLES: tuple[LineStyle, ...] = (
    LineStyle("tsLine0", "blue", "#1d4ed8", "solid"),
    LineStyle("tsLine1", "teal", "#0f766e", "dotted"),
    LineStyle("tsLine2", "purple", "#7c3aed", "thick"),
    LineStyle("tsLine3", "orange", "#c2410c", "solid"),
    LineStyle("tsLine4", "grey", "#475569", "dotted"),
    LineStyle("tsLine5", "green", "#15803d", "thick"),
    LineStyle("tsLine6", "red", "#b91c1c", "dotted"),
    LineStyle("tsLine7", "brown", "#92400e", "solid"),
)

#: Mermaid link tokens of a pattern: (arrow at the end, arrow at the start).
_LINKS = {
    "solid": ("-->", "<---"),
    "dotted": ("-.->", "<-.-"),
    "thick": ("==>", "<==="),
}


def line_style(link_names: Sequence[str], name: str) -> LineStyle:
    """The line of link type ``name`` among all ``link_names`` (same on every page)."""
    ordered = sorted(link_names)
    position = ordered.index(name) if name in ordered else len(ordered)
    return LINE_STYLES[position % len(LINE_STYLES)]


# -- flowcharts ---------------------------------------------------------------------


@dataclass(slots=True)
class GraphNode:
    """One node: a safe name, its label text (user text), style, link and mark state."""

    name: str
    text: str
    style: NodeStyle
    url: str = ""
    state: str = ""
    group: str = ""
    type_label: str = ""
    #: A second line of the label (an architecture's counts), user text too.
    note: str = ""


@dataclass(slots=True)
class Graph:
    """A flowchart: nodes, edges (source, target, labels, dashed) and subgraph groups.

    Parallel edges between the same two nodes are merged into one edge whose
    label lists each distinct label once.
    """

    direction: str = "LR"
    nodes: list[GraphNode] = field(default_factory=list)
    edges: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    dashed: set[tuple[str, str]] = field(default_factory=set)
    groups: dict[str, str] = field(default_factory=dict)  # group name → title
    #: Edges drawn in a link type's line style; their labels show only where two differ.
    lines: dict[tuple[str, str], LineStyle] = field(default_factory=dict)
    #: Edges written right to left (target first) so the layout keeps its ranks.
    backward: set[tuple[str, str]] = field(default_factory=set)
    #: Invisible spacer nodes and links (after the drawn ones) that hold columns apart.
    spacers: list[str] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)
    #: Direction inside each group (Mermaid keeps it for groups without outside links).
    group_direction: str = ""
    #: Space between ranks (columns in ``LR``) and between nodes of a rank, in px.
    spacing: tuple[int, int] = (110, 30)

    def add_edge(
        self,
        source: str,
        target: str,
        text: str = "",
        dashed: bool = False,
        line: LineStyle | None = None,
        backward: bool = False,
    ) -> None:
        key = (target, source) if backward else (source, target)
        labels = self.edges.setdefault(key, [])
        if text and text not in labels:
            labels.append(text)
        if dashed:
            self.dashed.add(key)
        if line is not None:
            self.lines.setdefault(key, line)
        if backward:
            self.backward.add(key)

    def _edge_line(self, key: tuple[str, str], labels: list[str]) -> str:
        line = self.lines.get(key)
        pattern = "dotted" if key in self.dashed else (line.pattern if line else "solid")
        forward, reverse = _LINKS[pattern]
        arrow = reverse if key in self.backward else forward
        shown = labels if (line is None or len(labels) > 1) else []
        text = f"|{label(', '.join(shown))}|" if shown else ""
        return f"    {key[0]} {arrow}{text} {key[1]}"

    def code(self) -> str:
        lines = [f"flowchart {self.direction}"]
        grouped: dict[str, list[GraphNode]] = {}
        for node in self.nodes:
            grouped.setdefault(node.group, []).append(node)
        for node in grouped.get("", []):
            lines.append(f"    {_node_line(node)}")
        for group, title in self.groups.items():
            lines.append(f"    subgraph {group} [{label(title)}]")
            if self.group_direction:
                lines.append(f"        direction {self.group_direction}")
            lines.extend(f"        {_node_line(node)}" for node in grouped.get(group, []))
            lines.append("    end")
        styled: list[str] = []
        for position, (key, labels) in enumerate(self.edges.items()):
            lines.append(self._edge_line(key, labels))
            line = self.lines.get(key)
            if line is not None:
                width = 3 if line.pattern == "thick" else 2
                styled.append(
                    f"    linkStyle {position} stroke:{line.stroke},stroke-width:{width}px"
                )
        lines.extend(f'    {name}[" "]' for name in self.spacers)
        lines.extend(f"    {source} ~~~ {target}" for source, target in self.hidden)
        lines.extend(styled)
        lines.extend(_class_lines(self.nodes))
        if self.spacers:
            lines.append(SPACER_CLASS)
            lines.append(f"    class {','.join(self.spacers)} tsSpacer")
        lines.extend(click_line(node.name, node.url) for node in self.nodes if node.url)
        return front_matter(*self.spacing) + "\n".join(lines) + "\n"


def _node_line(node: GraphNode) -> str:
    text = escape_text(node.text) + (f"<br/>{escape_text(node.note)}" if node.note else "")
    return f'{node.name}{node.style.opening}"{text}"{node.style.closing}'


def _class_lines(graph_nodes: Sequence[GraphNode]) -> list[str]:
    """``classDef`` of the fixed styles in use, then ``class`` lines of generated names."""
    by_class: dict[str, list[str]] = {}
    styles: dict[str, NodeStyle] = {}
    states: dict[str, list[str]] = {}
    for node in graph_nodes:
        by_class.setdefault(node.style.css_class, []).append(node.name)
        styles[node.style.css_class] = node.style
        if node.state in STATE_CSS:
            states.setdefault(node.state, []).append(node.name)
    lines = [styles[css].class_def() for css in by_class]
    lines += [STATE_CLASSES[state] for state in STATE_CLASSES if state in states]
    lines += [f"    class {','.join(names)} {css}" for css, names in by_class.items()]
    lines += [
        f"    class {','.join(states[state])} {STATE_CSS[state]}"
        for state in STATE_CLASSES
        if state in states
    ]
    return lines


# -- nodes of the page ----------------------------------------------------------------


def mermaid_node(code: str, alt: str) -> nodes.Element:
    """A sphinxcontrib-mermaid node in its own scrolling container."""
    node = mermaid()
    node["code"] = code
    node["options"] = {}
    node["alt"] = alt
    container = nodes.container(classes=["techspec-diagram"])
    container += node
    return container


def mermaid_or_fallback(app: Sphinx, code: str, alt: str, fallback: nodes.Element) -> nodes.Element:
    """A Mermaid diagram where a browser runs Mermaid, a picture or ``fallback`` elsewhere."""
    if renders_in_browser(app):
        return mermaid_node(code, alt)
    if picture_format(app):
        return picture_node(code, alt, [fallback])
    return fallback


def draws_diagrams(app: Sphinx) -> bool:
    """Whether this builder shows diagrams (Mermaid in a browser, or pictures drawn for it).

    Where it does not (text, man), a view need not write the Mermaid text at all.
    """
    return renders_in_browser(app) or picture_format(app) is not None


def diagram_or_fallback(
    app: Sphinx, diagram: list[nodes.Node], fallback: Callable[[], nodes.Node]
) -> list[nodes.Node]:
    """``diagram`` (a :func:`mermaid_node`, then its legend) as this builder shows it.

    Browsers get it as it is; LaTeX and EPUB a picture of it with the legend, or
    the ``fallback`` table when no picture can be drawn (:mod:`.diagram_pictures`).
    """
    if renders_in_browser(app):
        return diagram
    container, *legend_nodes = diagram
    chart = next(iter(container.findall(mermaid)))
    return [picture_node(chart["code"], chart["alt"], [fallback()], legend_nodes)]


def legend(
    styles: Iterable[tuple[str, NodeStyle]],
    states: Iterable[str] = (),
    extra: Iterable[str] = (),
    lines: Iterable[tuple[str, LineStyle]] = (),
) -> nodes.paragraph:
    """``Legend: Requirement: blue rectangle; …`` with a colour swatch per entry in HTML.

    ``styles`` are (label, style) pairs; ``states`` the mark states shown;
    ``extra`` further sentences (what the boxes or dashed lines mean); ``lines``
    (link label, line style) pairs of the edges.
    """
    entries: list[tuple[str, str]] = [
        (style.css_class, f"{text}: {style.colour} {style.shape}") for text, style in styles
    ]
    entries += [(line.css_class, f"{text}: {line.words}") for text, line in lines]
    entries += [(STATE_CSS[state], f"{STATE_WORDS[state]}: marked ({state})") for state in states]
    entries += [("", sentence) for sentence in extra]
    paragraph = nodes.paragraph(classes=["techspec-legend"])
    paragraph += nodes.strong("", "Legend:")
    for position, (swatch, text) in enumerate(entries):
        paragraph += nodes.Text(" " if position == 0 else "; ")
        if swatch:
            paragraph += nodes.inline(
                "", "", classes=["techspec-swatch", f"techspec-swatch-{swatch}"]
            )
        paragraph += nodes.Text(text)
    paragraph += nodes.Text(".")
    return paragraph
