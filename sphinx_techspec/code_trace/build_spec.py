"""The impact walk's :class:`~.spec.Spec` from this build's domain, not from a techspec.json.

The ``impact`` command reads the last build's export; the ``impact`` view builds the
same :class:`~.spec.Spec` from the domain (change control's records, the schema's link
and item types, each test's worst result as the export writes it), so one traversal
(:mod:`.impact`) answers both.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from ..change_control.build import change_state
from ..domain import TechspecDomain
from ..feature import registry
from .impact import TEST_TYPES
from .spec import LinkTypeInfo, Spec


def spec_from_domain(app: Sphinx, domain: TechspecDomain) -> Spec:
    """Items, link types and test results of this build, as the impact walk needs them."""
    schema = domain.schema
    records = change_state(app, domain).records
    results: dict[str, str] = {}
    hooks = registry(app).item_export
    for record in records.values():
        item = domain.get(record.id)
        if item is None or record.type not in TEST_TYPES:
            continue
        for hook in hooks:
            result = hook(app, domain, item).get("result")
            if isinstance(result, str):
                results[record.id] = result
    return Spec(
        Path(app.srcdir),
        records,
        {
            name: LinkTypeInfo(link.forward, link.reverse, tuple(link.targets))
            for name, link in schema.link_types.items()
        },
        {name: (t.label, t.plural_label) for name, t in schema.item_types.items()},
        results,
    )
