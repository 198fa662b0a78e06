"""Relationships between data models and the Mermaid ``erDiagram`` drawn from them.

A foreign key (``references Organization.id``) relates the referenced model (one)
to the model holding the key (zero or more; zero or one when the key is unique);
a field whose type is a model (or an array of one) relates the two as containment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagrams import FRONT_MATTER, label, safe_identifier
from ..model import Item

#: Mermaid cardinality markers, written from the left and from the right, with words.
_LEFT = {"one": "||", "zero-or-one": "|o"}
_RIGHT = {"one": "||", "zero-or-one": "o|", "many": "o{"}
CARDINALITY_WORDS = {"one": "exactly one", "zero-or-one": "zero or one", "many": "zero or more"}


@dataclass(frozen=True)
class Relationship:
    parent: str
    child: str
    parent_cardinality: str
    child_cardinality: str
    field: str
    kind: str  # "foreign key" or "contains"


def model_name(item: Item) -> str:
    return item.fields.get("name", item.id)


def relationships(models: list[Item], by_name: dict[str, Item]) -> list[Relationship]:
    """Every relationship among ``models``, in model then field order."""
    found: list[Relationship] = []
    shown = {model_name(m) for m in models}
    for model in models:
        for field in model.fields.get("fields", []):
            references = field.get("references")
            if references and references["model"] in by_name:
                parent = model_name(by_name[references["model"]])
                if parent in shown:
                    optional = field.get("nullable") or not field.get("required")
                    single = field.get("unique") or field.get("primary_key")
                    found.append(
                        Relationship(
                            parent,
                            model_name(model),
                            "zero-or-one" if optional else "one",
                            "zero-or-one" if single else "many",
                            field["name"],
                            "foreign key",
                        )
                    )
                continue
            contained = _contained_model(field["type"])
            if contained and contained[0] in by_name:
                child = model_name(by_name[contained[0]])
                if child in shown:
                    many = contained[1]
                    if many:
                        cardinality = "many"
                    elif field.get("required") and not field.get("nullable"):
                        cardinality = "one"
                    else:
                        cardinality = "zero-or-one"
                    found.append(
                        Relationship(
                            model_name(model),
                            child,
                            "one",
                            cardinality,
                            field["name"],
                            "contains",
                        )
                    )
    return found


def _contained_model(type_: dict[str, Any]) -> tuple[str, bool] | None:
    if type_.get("kind") == "model":
        return type_["model"], False
    if type_.get("kind") == "array" and type_["items"].get("kind") == "model":
        return type_["items"]["model"], True
    return None


def _attribute_type(type_: dict[str, Any]) -> str:
    kind = type_.get("kind", "object")
    if kind == "model":
        return safe_identifier(type_["model"])
    return str(kind)


def _entity(name: str) -> str:
    identifier = safe_identifier(name)
    return identifier if identifier == name else f"{identifier}[{label(name)}]"


def mermaid_code(models: list[Item], found: list[Relationship]) -> str:
    """The ``erDiagram`` text: entities with typed attributes and keys, then relationships.

    Names that are not plain identifiers are shown through :func:`label`; every
    identifier Mermaid parses comes from :func:`safe_identifier`.
    """
    lines = ["erDiagram"]
    for model in models:
        name = model_name(model)
        fields = model.fields.get("fields", [])
        if not fields:
            lines.append(f"    {_entity(name)}")
            continue
        lines.append(f"    {_entity(name)} {{")
        for field in fields:
            keys = []
            if field.get("primary_key"):
                keys.append("PK")
            if field.get("references"):
                keys.append("FK")
            if field.get("unique"):
                keys.append("UK")
            attribute = f"        {_attribute_type(field['type'])} {safe_identifier(field['name'])}"
            if keys:
                attribute += " " + ", ".join(keys)
            lines.append(attribute)
        lines.append("    }")
    for relation in found:
        line = "--" if relation.kind == "foreign key" else ".."
        lines.append(
            f"    {safe_identifier(relation.parent)} {_LEFT[relation.parent_cardinality]}"
            f"{line}{_RIGHT[relation.child_cardinality]} {safe_identifier(relation.child)} : "
            f"{label(relation.field)}"
        )
    return FRONT_MATTER + "\n".join(lines) + "\n"
