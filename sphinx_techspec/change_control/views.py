"""``.. changes-since::`` and ``.. suspect-links::``: change control on a page.

Both are views of the shared base (:mod:`sphinx_techspec.view`) with its filter
options, rendered from this build's :class:`~.build.ChangeState`. Word diffs mark
deleted and inserted words with classes (for HTML) and with ``[-…-]`` / ``{+…+}``
(visible in text and PDF; the stylesheet hides them in HTML, where strike-through
and underline show the same).
"""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes
from sphinx.application import Sphinx

from ..domain import TechspecDomain
from ..filters import ItemFilter
from ..rendering import item_reference
from ..tables import Row, build_table
from ..view import ViewDirective, ViewNode, info_line, warn_unknown_ids
from .build import STORE_NAME, baseline_file, change_state, lock_path, needs_reapproval
from .diff import ItemChange, Piece, link_text, value_text
from .records import Record


def _app_of(directive: ViewDirective) -> Sphinx:
    env = directive.env
    return env._app if hasattr(env, "_app") else env.app  # type: ignore[attr-defined]


class ChangesSinceDirective(ViewDirective):
    """``.. changes-since::``: items added, removed and changed since ``techspec_baseline``."""

    reads = (STORE_NAME,)

    def configure(self, node: ViewNode) -> None:
        path = baseline_file(_app_of(self))
        if path is not None and path.is_file():
            self.env.note_dependency(path)

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        return None  # a change anywhere may show here


class SuspectLinksDirective(ViewDirective):
    """``.. suspect-links::``: links whose target changed since the link was reviewed."""

    reads = (STORE_NAME,)

    def configure(self, node: ViewNode) -> None:
        path = lock_path(_app_of(self))
        if path.is_file():
            self.env.note_dependency(path)

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        return None


# -- suspect links --------------------------------------------------------------------


def render_suspect_links(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    warn_unknown_ids(domain, item_filter, node)
    state = change_state(app, domain)
    name = state.lock_path.name
    if state.lock_unreadable:
        return [info_line(f"The lock file {name} cannot be read (see the build's warnings).")]
    if state.lock is None:
        return [
            info_line(
                f"No lock file ({name}): no link has been reviewed yet. "
                f"Run sphinx-techspec review --all to record today's targets."
            )
        ]
    rows = []
    for (source_id, link_name, target_id), (reviewed, _now) in state.suspects.items():
        source, target = domain.get(source_id), domain.get(target_id)
        if source is None or target is None:
            continue
        if item_filter != ItemFilter() and not (
            _shown(item_filter, source) or _shown(item_filter, target)
        ):
            continue
        link = domain.schema.link_types.get(link_name)
        rows.append(
            Row(
                [
                    item_reference(app, domain, docname, source_id),
                    link.forward if link else link_name,
                    item_reference(app, domain, docname, target_id, (source, link_name, target)),
                    target.title,
                    "changed since review" if reviewed else "never reviewed",
                ],
                ["techspec-suspect-row"],
            )
        )
    if not rows:
        return [info_line("No suspect links: every reviewed link's target is as reviewed.")]
    table = build_table(
        ["Source", "Link", "Target", "Target title", "Why"], rows, ["techspec-suspect-links"]
    )
    summary = info_line(
        f"{len(rows)} suspect link{'s' if len(rows) != 1 else ''}: check each source against "
        f"its changed target, then run sphinx-techspec review with the source's ID."
    )
    return [summary, table]


def _shown(item_filter: ItemFilter, item) -> bool:
    if item_filter.ids and item.id not in item_filter.ids:
        return False
    return item_filter.matches(item)


# -- changes since the baseline ------------------------------------------------------------


def render_changes(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    warn_unknown_ids(domain, item_filter, node)
    state = change_state(app, domain)
    if not app.config.techspec_baseline:
        return [info_line("No baseline is configured: set techspec_baseline in conf.py.")]
    if state.baseline is None or state.changes is None:
        return [info_line("The baseline cannot be read (see the build's warnings).")]
    changes = state.changes
    baseline = state.baseline
    added = [r for r in changes.added if _record_shown(item_filter, r)]
    removed = [r for r in changes.removed if _record_shown(item_filter, r)]
    changed = [
        c
        for c in changes.changed
        if _record_shown(item_filter, c.after) or _record_shown(item_filter, c.before)
    ]
    version = f", version {baseline.document.version}" if baseline.document.version else ""
    result: list[nodes.Node] = [
        info_line(
            f"Compared with the baseline {baseline.label}{version}: {len(added)} added, "
            f"{len(removed)} removed, {len(changed)} changed."
        )
    ]
    if not (added or removed or changed):
        result.append(info_line("Nothing changed since the baseline."))
        return result
    container = nodes.container(classes=["techspec-changes"])
    if added:
        container += nodes.rubric("", f"Added ({len(added)})")
        container += _record_list(app, domain, docname, added, linked=True)
    if removed:
        container += nodes.rubric("", f"Removed ({len(removed)})")
        container += _record_list(app, domain, docname, removed, linked=False)
    if changed:
        container += nodes.rubric("", f"Changed ({len(changed)})")
        reapprove = {change.id for change in needs_reapproval(app, changes)}
        for change in changed:
            container += _changed_item(app, domain, docname, change, change.id in reapprove)
    if not baseline.document.has_text:
        container += info_line(
            "The baseline has no item text (it was built before change control), "
            "so text changes are not shown."
        )
    result.append(container)
    return result


def _record_shown(item_filter: ItemFilter, record: Record) -> bool:
    return _shown(item_filter, record.as_item())


def _record_list(
    app: Sphinx, domain: TechspecDomain, docname: str, records: list[Record], linked: bool
) -> nodes.bullet_list:
    bullets = nodes.bullet_list(classes=["techspec-change-list"])
    for record in records:
        paragraph = nodes.paragraph()
        if linked:
            paragraph += item_reference(app, domain, docname, record.id)
        else:
            paragraph += nodes.inline(
                "", record.id, classes=["techspec-ref-id", "techspec-removed"]
            )
        if record.title:
            paragraph += nodes.Text(f" {record.title}")
        paragraph += nodes.Text(f" ({domain.schema.label(record.type).lower()})")
        bullets += nodes.list_item("", paragraph)
    return bullets


def _changed_item(
    app: Sphinx, domain: TechspecDomain, docname: str, change: ItemChange, reapprove: bool
) -> nodes.container:
    box = nodes.container(classes=["techspec-change"])
    heading = nodes.paragraph(classes=["techspec-change-heading"])
    heading += item_reference(app, domain, docname, change.id)
    if change.after.title:
        heading += nodes.Text(f" {change.after.title}")
    box += heading
    status = change.after.fields.get("status")
    if reapprove:
        box += info_line(
            f"{change.id} is {status} and changed since the baseline: it needs re-approval "
            f"(techspec.changed_approved)."
        )
        box[-1]["classes"].append("techspec-changed-approved")
    if change.fields:
        rows = [
            Row([field_label(domain, change, f.name), value_text(f.before), value_text(f.after)])
            for f in change.fields
        ]
        box += build_table(["Field", "Baseline", "Now"], rows, ["techspec-change-fields"])
    if change.text is not None:
        text = nodes.paragraph(classes=["techspec-change-text"])
        text += [nodes.strong("", "Text:"), nodes.Text(" ")]
        text += diff_nodes(change.text)
        box += text
    for label, keys, marker in (
        ("Links added: ", change.links_added, "insert"),
        ("Links removed: ", change.links_removed, "delete"),
    ):
        if not keys:
            continue
        line = nodes.paragraph(classes=["techspec-change-links"])
        line += [nodes.strong("", label.strip()), nodes.Text(" ")]
        for position, key in enumerate(keys):
            if position:
                line += nodes.Text(", ")
            line += nodes.Text(f"{link_text(key).rpartition(' ')[0]} ")
            target = item_reference(app, domain, docname, key[2])
            line += nodes.inline("", "", target, classes=[f"techspec-diff-{marker}"])
        box += line
    return box


def field_label(domain: TechspecDomain, change: ItemChange, name: str) -> str:
    if name in ("type", "title"):
        return name.capitalize()
    spec = domain.schema.field_of(change.after.type, name)
    return spec.label if spec else name


#: Visible markers (text, PDF); HTML hides them and styles the words instead.
MARKERS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}


def diff_nodes(pieces: Iterable[Piece]) -> list[nodes.Node]:
    """A word diff as inline nodes: ``techspec-diff-delete`` / ``-insert`` with markers."""
    result: list[nodes.Node] = []
    for position, (kind, text) in enumerate(pieces):
        if position:
            result.append(nodes.Text(" "))
        if kind == "equal":
            result.append(nodes.Text(text))
            continue
        opening, closing = MARKERS[kind]
        result.append(
            nodes.inline(
                "",
                "",
                nodes.inline("", opening, classes=["techspec-diff-marker"]),
                nodes.Text(text),
                nodes.inline("", closing, classes=["techspec-diff-marker"]),
                classes=[f"techspec-diff-{kind}"],
            )
        )
    return result
