"""The pages ``sphinx-techspec init`` writes: one per section of the spec template.

Each page is data (title, guide, example directives) rendered to
reStructuredText or MyST Markdown, so both formats say the same thing and a
new example is one entry here. The examples link to each other, so the new
project builds with ``-W -n`` and already shows reverse links and views.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from dataclasses import dataclass

from docutils.utils import column_width

from .install_source import INDEX_REQUIREMENT


@dataclass(frozen=True)
class Example:
    """One directive: ``.. name:: argument``, its options, body and nested directives."""

    name: str
    argument: str = ""
    options: tuple[tuple[str, str], ...] = ()
    body: str = ""
    children: tuple[Example, ...] = ()

    @property
    def depth(self) -> int:
        return 1 + max((child.depth for child in self.children), default=0)


@dataclass(frozen=True)
class Page:
    """One template section: the file ``name``, the ``:section:`` key, and its content."""

    name: str
    section: str
    title: str
    guide: str
    examples: tuple[Example, ...]


PAGES: tuple[Page, ...] = (
    Page(
        "overview", "overview", "Overview",
        "Say what is being built and why: the problem, who has it, the goals and the "
        "non-goals, in a few paragraphs. The spec header below records the status, version, "
        "authors and reviewers of this document.",
        (Example("spec-header", "SPEC-001 {title}", (
            ("status", "draft"), ("version", "0.1"), ("authors", "{author}"),
            ("date", "{date}"))),),
    ),
    Page(
        "scope", "scope", "Scope",
        "List what this spec covers and what it deliberately leaves out. Each entry is an item "
        "with an ID, so requirements can name the scope they cover with their scope option.",
        (Example("scope", children=(
            Example("in-scope", "SCOPE-001 The main user journey"),
            Example("out-of-scope", "SCOPE-002 Migration of historical data",
                    body="Covered by a separate spec."),
        )),),
    ),
    Page(
        "architecture", "architecture", "Architecture overview",
        "Describe the building blocks and how they talk to each other. Give every component an "
        "ID, name the requirements it implements and the dependencies it uses.",
        (Example("component", "COMP-001 Main service", (
            ("status", "draft"), ("implements", "REQ-001, REQ-002"), ("uses", "DEP-001")),
            "A stateless HTTP service in front of the database."),),
    ),
    Page(
        "design", "design", "Detailed design",
        "Go one level deeper: interfaces, data flow, algorithms, and the decisions taken on "
        "the way. Give every API endpoint its request, responses and error codes, and record "
        "each significant decision as a decision item (an ADR).",
        (Example("api-endpoint", "GET /orders/{{order_id}}", (
            ("id", "API-001"), ("summary", "Get an order"), ("component", "COMP-001"),
            ("auth", "bearer"), ("implements", "REQ-001"), ("response", "200: Order, 4XX: Error"),
            ("errors", "ORDER_NOT_FOUND")),
            "Answers with the order as stored.\n\n"
            ":path order_id: uuid -- The order's ID.\n\n"
            ":example response 200:\n\n"
            '   {"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",\n'
            '    "customer_id": "16fd2706-8baf-433b-82eb-8c7fada847da", "total": 42.5}'),
         Example("decision", "ADR-001 Record architecture decisions", (
            ("status", "accepted"), ("date", "{date}"), ("concerns", "COMP-001")),
            "**Context.** Decisions get lost in chat threads.\n\n"
            "**Decision.** Every significant decision is a decision item in this spec.\n\n"
            "**Consequences.** Reviewers see why the design is the way it is."),),
    ),
    Page(
        "requirements", "requirements", "Use cases and requirements",
        "Write the use cases first, then the requirements that refine them. Each requirement "
        "has an ID, a kind (functional, performance, security...) and, where it applies, "
        "a measurable metric.",
        (
            Example("use-case", "UC-001 A user completes the main journey", (
                ("actors", "user"), ("involves", "COMP-001")),
                "The user starts the journey and reaches the goal without help."),
            Example("requirement", "REQ-001 Users can complete the main journey", (
                ("status", "draft"), ("kind", "functional"), ("priority", "high"),
                ("refines", "UC-001"), ("scope", "SCOPE-001")),
                "Describe the behaviour in one or two sentences."),
            Example("requirement", "REQ-002 The journey answers quickly", (
                ("status", "draft"), ("kind", "performance"),
                ("metric", "p95 latency < 300 ms"), ("refines", "UC-001")),
                "State the target and the load under which it holds."),
        ),
    ),
    Page(
        "workflows", "workflows", "Workflows",
        "Walk through the main flows step by step, including the unhappy paths. A diagram or "
        "a numbered list per flow is usually enough.",
        (
            Example("use-case", "UC-002 The main workflow", (
                ("actors", "user"), ("involves", "COMP-001")),
                "1. The user sends a request.\n2. The service validates it.\n"
                "3. The service stores the result and answers."),
            Example("sequence", "SEQ-001 A request end to end", (("realises", "UC-002"),),
                    "User -> COMP-001: send the request\n"
                    "alt the request is valid\n  COMP-001 --> User: the result\n"
                    "else it is not\n  COMP-001 --> User: an error code\nend"),
            Example("workflow", "WF-001 Handling a request", (("realises", "UC-002"),),
                    "start received: A request arrives\n"
                    "step validate: Validate it [COMP-001]\n"
                    "decision valid: Is it valid?\n"
                    "end stored: Stored and answered\n"
                    "fail rejected: Rejected with an error code\n"
                    "received -> validate\nvalidate -> valid\n"
                    "valid -> stored: yes\nvalid -> rejected: no"),
        ),
    ),
    Page(
        "error-handling", "error-handling", "Error handling",
        "Say how errors are detected, reported, retried and shown to users, and which errors "
        "are never shown. Give every error code its HTTP status and message; the catalog "
        "lists them with the endpoints that return them.",
        (Example("requirement", "REQ-003 Errors carry a stable error code", (
            ("status", "draft"), ("kind", "reliability"), ("refines", "UC-002")),
            "Every error response names a documented, stable error code."),
         Example("error-code", "ORDER_NOT_FOUND No such order", (
            ("http-status", "404"), ("message", "No order has this ID.")),
            "The order does not exist or belongs to another customer. Do not retry."),
         Example("error-catalog")),
    ),
    Page(
        "database", "database", "Database design",
        "Describe the data model: entities, keys, indexes, retention and migrations. Stored "
        "models name their table; foreign keys become the relationships of the diagram.",
        (Example("component", "COMP-002 Database", (("status", "draft"), ("tags", "storage")),
                 "One schema per service; migrations run before each deployment."),
         Example("er-diagram", options=(("caption", "The stored tables."),)),
         Example("data-model", "Customer A customer who places orders", (("table", "customers"),),
                 ":field id: uuid, pk -- Customer ID.\n"
                 ":field email: string, required, unique, format=email -- Contact address."),
         Example("data-model", "Order An order of a customer", (("table", "orders"),),
                 ":field id: uuid, pk -- Order ID.\n"
                 ":field customer_id: uuid, required, references Customer.id -- Who ordered.\n"
                 ":field total: number, required, min=0 -- Amount in EUR."),
         Example("data-model", "Error The body of every error response", (),
                 ":field code: string, required -- One of the error codes.\n"
                 ":field message: string, required -- For people; may change.")),
    ),
    Page(
        "security", "security", "Security",
        "List the threats and other risks, with likelihood and impact; the severity follows. "
        "Name the requirements or components that mitigate each one: the register below marks "
        "the risks that nothing mitigates yet.",
        (
            Example("risk", "RISK-001 Unauthorised access to stored data", (
                ("category", "information-disclosure"), ("likelihood", "medium"),
                ("impact", "high"), ("status", "open"), ("mitigated-by", "COMP-001")),
                "An attacker who reaches the database reads personal data."),
            Example("risk-register"),
        ),
    ),
    Page(
        "testing", "testing", "Testing strategy",
        "Say how the requirements are verified: unit, integration, load and security tests, "
        "and who runs them when. Link every test case to the requirements it verifies.",
        (Example("test-case", "TC-001 The main journey end to end", (
            ("verifies", "REQ-001"),),
            "Run the main journey against a staging deployment."),),
    ),
    Page(
        "deployment", "deployment", "Deployment",
        "Describe the environments, how a release is promoted from one to the next, who "
        "approves it, and how it is rolled back.",
        (
            Example("environment", "ENV-STAGING Staging", (
                ("url", "https://staging.example.com"), ("purpose", "acceptance tests"),
                ("deployment", "automatically on every merge"),
                ("promotes-to", "ENV-PRODUCTION"))),
            Example("environment", "ENV-PRODUCTION Production", (
                ("url", "https://example.com"), ("approvals", "product owner")),
                "Roll back by redeploying the previous release."),
        ),
    ),
    Page(
        "monitoring", "monitoring", "Monitoring and logging",
        "Name the metrics, logs and traces that show the system is healthy, their thresholds "
        "and alerts, and the requirements they measure.",
        (Example("metric", "MET-001 Request latency", (
            ("type", "histogram"), ("unit", "ms"), ("threshold", "p95 < 300"),
            ("alert", "page the on-call engineer after 5 minutes"), ("measures", "REQ-002"))),),
    ),
    Page(
        "dependencies", "dependencies", "Dependencies",
        "List the libraries, services and external APIs this design relies on, with the "
        "version, licence and owner of each.",
        (
            Example("dependency", "DEP-001 PostgreSQL", (
                ("kind", "service"), ("version", ">=15"), ("license", "PostgreSQL"),
                ("owner", "platform team"))),
            Example("dependency-table"),
        ),
    ),
    Page(
        "conclusion", "conclusion", "Conclusion",
        "Summarise the design, the open questions and the next steps. Open questions can be "
        "proposed decisions until they are settled.",
        (Example("decision", "ADR-002 Open question: how long are records kept?", (
            ("status", "proposed"), ("concerns", "COMP-002"))),),
    ),
    Page(
        "appendices", "appendices", "Appendices",
        "Add the glossary, references and change history. The index below lists every spec "
        "document of this project with its status and version.",
        (Example("glossary", body="Order\n   What a customer buys in one checkout.\n\n"
                 "Error code\n   A stable name of an error that clients branch on."),
         Example("spec-index")),
    ),
)  # fmt: skip

_RST_SPECIAL = re.compile(r"([\\*`|_])")
_MD_SPECIAL = re.compile(r"([\\*`_\[\]<>#])")
#: Option values MyST's YAML would misread unless quoted.
_YAML_SPECIAL = re.compile(r"^[>|*&!%@`'\"{\[#?:,-]|: | #")


def render_rst(example: Example, indent: str = "") -> list[str]:
    head = f".. {example.name}::" + (f" {example.argument}" if example.argument else "")
    lines = [indent + head]
    lines += [f"{indent}   :{name}: {value}".rstrip() for name, value in example.options]
    inner = indent + "   "
    if example.body:
        lines.append("")
        lines += [inner + line if line else "" for line in example.body.splitlines()]
    for child in example.children:
        lines.append("")
        lines += render_rst(child, inner)
    return lines


def render_md(example: Example) -> list[str]:
    # A backtick in a backtick fence's info string ends the directive (CommonMark):
    # an argument holding one (a title) gets a tilde fence, which may hold any.
    fence = ("~" if "`" in example.argument else "`") * (2 + example.depth)
    head = f"{fence}{{{example.name}}}" + (f" {example.argument}" if example.argument else "")
    lines = [head]
    for name, value in example.options:
        quoted = json.dumps(value) if _YAML_SPECIAL.search(value) else value
        lines.append(f":{name}: {quoted}".rstrip())
    if example.body:
        if example.options or example.body.startswith(":"):
            # A body line starting with ':' right after the fence would be read as an option.
            lines.append("")
        lines += example.body.splitlines()
    for index, child in enumerate(example.children):
        if index or example.options or example.body:
            lines.append("")
        lines += render_md(child)
    lines.append(fence)
    return lines


def heading(title: str, fmt: str, level: int = 1) -> list[str]:
    """A page (level 1) or section (level 2) title, as text: markup characters escaped,
    one line, and (RST) a leading punctuation mark escaped too, so ``.. include::`` or
    ``- x`` is a title, never a directive or a list."""
    title = one_line(title)
    if fmt == "md":
        return ["#" * level + " " + _MD_SPECIAL.sub(r"\\\1", title)]
    escaped = _RST_SPECIAL.sub(r"\\\1", title)
    if escaped[:1] and not escaped[0].isalnum() and escaped[0] != "\\":
        escaped = "\\" + escaped
    return [escaped, ("=" if level == 1 else "-") * max(column_width(escaped), 3)]


def one_line(text: str) -> str:
    """Whitespace runs (line breaks too) as single spaces: a value never starts a new line
    of a page, where it could be read as markup of its own."""
    return " ".join(text.split())


def guide_lines(page: Page, fmt: str) -> list[str]:
    guide = Example("spec-guide", page.section, body=textwrap.fill(page.guide, 88))
    return render_md(guide) if fmt == "md" else render_rst(guide)


def render_page(page: Page, fmt: str, values: dict[str, str]) -> str:
    if fmt == "md":
        lines = ["---", f"section: {page.section}", "---", ""]
    else:
        lines = [f":section: {page.section}", ""]
    lines += [*heading(page.title, fmt), "", *guide_lines(page, fmt)]
    for example in page.examples:
        example = fill(example, values)
        lines += ["", *(render_md(example) if fmt == "md" else render_rst(example))]
    return "\n".join(lines) + "\n"


def fill(example: Example, values: dict[str, str]) -> Example:
    """Put the author and date into the option values that name them (none: no option)."""
    filled = ((name, value.format(**values)) for name, value in example.options)
    options = tuple((name, value) for name, value in filled if value)
    children = tuple(fill(child, values) for child in example.children)
    argument = example.argument.format(**values)
    return Example(example.name, argument, options, example.body, children)


def render_index(title: str, fmt: str) -> str:
    intro = (
        "This technical specification follows the fifteen-section template of "
        "sphinx-techspec. Each page starts with a guide box: write the section, then delete "
        "the box. The checklist at the end shows which sections are still to write."
    )
    toctree = Example(
        "toctree",
        options=(("maxdepth", "1"), ("numbered", "")),
        body="\n".join(page.name for page in PAGES),
    )
    render = render_md if fmt == "md" else render_rst
    lines = [
        *heading(title, fmt),
        "",
        textwrap.fill(intro, 92),
        "",
        *render(toctree),
        "",
        *heading("Completeness", fmt, level=2),
        "",
        *render(Example("spec-completeness")),
    ]
    return "\n".join(lines) + "\n"


def render_conf(title: str, author: str, fmt: str, year: str = "") -> str:
    """``conf.py``: code written here, data only as ``repr()`` literals (never formatted in).

    furo shows ``html_title`` as HTML, so with furo it is the title HTML-escaped.
    """
    extensions = ["myst_parser", "sphinx_techspec"] if fmt == "md" else ["sphinx_techspec"]
    holder = f"{year}, {author}" if author else year
    html_title = html.escape(title)
    return (
        f'''"""Sphinx configuration of a technical specification written with sphinx-techspec."""

import importlib.util

project = {title!r}
author = {author!r}
copyright = {holder!r}
version = "0.1"
release = version

extensions = {extensions!r}
exclude_patterns = ["_build", ".venv"]
# Report every reference that does not resolve (as sphinx-build -n does).
nitpicky = True

# The theme is listed in requirements.txt; without it the build still works, plainer.
html_theme = "furo" if importlib.util.find_spec("furo") else "alabaster"
# furo shows html_title as HTML (alabaster escapes it): the title, escaped for it.
html_title = {html_title!r} if html_theme == "furo" else project

# Warn (techspec.incomplete) for each template section that is missing or still
# holds its guide box: switch on when the spec should be complete.
techspec_check_completeness = False

# Require :mitigated-by: on every risk at or above this severity.
# techspec_risk_gate = "high"
'''
        + SIDEBAR_BLOCK
    )


#: Appended last to a new conf.py (after any html_theme line): alabaster's navigation
#: sidebar renders the whole table of contents on every page, which costs a large spec
#: a third of its build (quadratic in pages); see docs/performance.md.
SIDEBAR_BLOCK = """
# Build cost (docs/performance.md): the default theme's navigation sidebar renders
# the whole table of contents on every page. Show the page's own contents and
# previous/next instead; the index page keeps the full table of contents.
if globals().get("html_theme", "alabaster") == "alabaster":
    html_sidebars = {"**": ["about.html", "localtoc.html", "relations.html", "searchbox.html"]}
"""


# -- hosting: ReadTheDocs, requirements, git -----------------------------------------

#: What ``requirements.txt`` names for a copy from an index; ``init`` without
#: ``--requirement`` names where this copy came from (:mod:`.install_source`).
DEFAULT_REQUIREMENT = INDEX_REQUIREMENT


def input_problem(title: str, author: str, requirement: str) -> str:
    """Why ``init`` refuses these values ("" when it does not): each is one line, the
    title is not blank, and the requirement is one requirement, never a pip option."""
    for name, value in (("--title", title), ("--author", author), ("--requirement", requirement)):
        if any(char in value for char in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
            return f"{name} must be one line (it holds a line break)"
        if any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in value.replace("\t", "")):
            return f"{name} holds a control character"
    if not title.strip():
        return "--title must not be blank"
    if any(part.startswith("-") for part in requirement.split()):
        return (
            f"--requirement {requirement!r} holds a pip option (a word starting with '-'); "
            "give a requirement, a URL or a path"
        )
    return ""


def render_requirements(requirement: str, fmt: str) -> str:
    """What a fresh environment (ReadTheDocs, CI) installs to build the spec."""
    lines = [
        "# Installed by ReadTheDocs (.readthedocs.yaml) and by: pip install -r requirements.txt",
        one_line(requirement),
        "furo",
    ]
    if fmt == "md":
        lines.append("myst-parser")
    return "\n".join(lines) + "\n"


def render_readthedocs() -> str:
    return """\
# ReadTheDocs builds this spec with the packages of requirements.txt, warnings as errors.
# If the spec lives in a subdirectory of the repository, prefix both paths with it.
version: 2

build:
  os: ubuntu-24.04
  tools:
    python: "3.12"

sphinx:
  configuration: conf.py
  fail_on_warning: true

python:
  install:
    - requirements: requirements.txt
"""


def render_gitignore() -> str:
    return "# Build output and local environments\n_build/\n.venv/\n__pycache__/\n"


def project_files(
    fmt: str, title: str, author: str, date: str, requirement: str = DEFAULT_REQUIREMENT
) -> dict[str, str]:
    """File name → content of a new spec project in ``fmt`` (``rst`` or ``md``)."""
    title, author = one_line(title), one_line(author)
    values = {"author": author, "date": date, "title": title}
    files = {
        "conf.py": render_conf(title, author, fmt, date[:4]),
        f"index.{fmt}": render_index(title, fmt),
        "requirements.txt": render_requirements(requirement, fmt),
        ".readthedocs.yaml": render_readthedocs(),
        ".gitignore": render_gitignore(),
    }
    for page in PAGES:
        files[f"{page.name}.{fmt}"] = render_page(page, fmt, values)
    return files
