"""Environments: their URL is a link, not just text."""

from __future__ import annotations

from docutils import nodes

from ..directives import ItemDirective
from ..model import Item


class EnvironmentDirective(ItemDirective):
    """``.. environment:: ENV-PROD Production``: an item whose ``:url:`` is clickable."""

    def build_fields(self, item: Item) -> nodes.field_list | None:
        field_list = super().build_fields(item)
        url = item.fields.get("url", "")
        if field_list is None or not url.startswith(("https://", "http://")):
            return field_list
        for field in field_list.findall(nodes.field):
            if field[0].astext() == "URL":
                paragraph = nodes.paragraph()
                paragraph += nodes.reference(url, url, refuri=url)
                field[1].children = []
                field[1] += paragraph
        return field_list
