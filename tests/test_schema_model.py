"""The rubric's shape is written twice, as JSON Schema (what a file may hold) and as the model's
dataclasses (what the code reads): the two must agree, field for field, type for type, and a
schema's friendly messages must be keyed on codes the loader knows, not on its regexes."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path

from macros import model
from macros.project import Project
from macros.source.reading import DRIVER_SCHEMA, TOOLKIT_FILES
from macros.source.validating import PATTERN_MESSAGES

Node = tuple[str, dict]  # (schema file, a schema in it)
JSON_TYPES = {str: "string", int: "integer", bool: "boolean"}
ORIGIN_DEFS = ("$defs/origin", "$defs/file_origin")


def schema(name: str) -> dict:
    return json.loads((Project.schemas / name).read_text(encoding="utf-8"))


def resolve(node: Node) -> Node:
    """Follow $ref (to this file or another) until a schema with content is reached."""
    file, value = node
    while "$ref" in value:
        target, _, pointer = value["$ref"].partition("#")
        file = target or file
        value = schema(file)
        for part in filter(None, pointer.split("/")):
            value = value[part]
    return file, value


def toolkit_schema() -> Node:
    """The Toolkit as the loader assembles it from toolkit.yaml, the other files and drivers/."""
    file, root = "toolkit.schema.json", dict(schema("toolkit.schema.json"))
    properties = {name: (file, value) for name, value in root["properties"].items()}
    for schema_name, key in TOOLKIT_FILES.values():
        if key is not None:
            whole = schema(schema_name)
            only = set(whole["properties"]) - {"origin"} == {key}  # as load._assemble reads it
            fills = whole["properties"][key] if only else whole
            properties[key] = (schema_name, fills)
    properties["drivers"] = (DRIVER_SCHEMA, {"type": "array", "items": schema(DRIVER_SCHEMA)})
    required = set(root["required"]) | set(properties) - set(root["properties"])
    return file, {"type": "object", "properties": properties, "required": sorted(required)}


def disagreements(kind: object, node: Node, where: str) -> list[str]:
    file, value = resolve(node)
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        (kind,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind):
        assert isinstance(kind, type)
        if value.get("type") != "object":
            return [f"{where}: {kind.__name__} is a dataclass, the schema a {value.get('type')}"]
        properties = value.get("properties", {})
        required = set(value.get("required", []))
        fields = {field.name: field for field in dataclasses.fields(kind)}
        hints = typing.get_type_hints(kind)
        found = [f"{where}.{name}: in the schema, not in {kind.__name__}" for name in properties]
        found = [line for line, name in zip(found, properties) if name not in fields]
        for name, field in fields.items():
            if hints[name] is model.Origin:
                # The loader resolves `origin` (inherited where not written): when the schema
                # allows one, it is the shared definition.
                written = properties.get(name, {})
                written = written[1] if isinstance(written, tuple) else written
                if written and not written.get("$ref", "").endswith(ORIGIN_DEFS):
                    found.append(f"{where}.{name}: not the shared origin definition ({file})")
                continue
            if name not in properties:
                found.append(f"{where}.{name}: in {kind.__name__}, not in the schema ({file})")
                continue
            optional = (
                field.default is not dataclasses.MISSING
                or field.default_factory is not dataclasses.MISSING
            )
            if optional == (name in required):
                found.append(
                    f"{where}.{name}: the schema says {'' if name in required else 'not '}"
                    f"required, the model {'has' if optional else 'has no'} default"
                )
            member = properties[name]
            member_node = member if isinstance(member, tuple) else (file, member)
            found.extend(disagreements(hints[name], member_node, f"{where}.{name}"))
        return found
    if origin is tuple:
        if value.get("type") != "array":
            return [f"{where}: a tuple in the model, a {value.get('type')} in the schema"]
        return disagreements(typing.get_args(kind)[0], (file, value["items"]), f"{where}[]")
    if "enum" in value and "type" not in value:
        if all(type(option) is kind for option in value["enum"]):
            return []
        return [f"{where}: {kind} in the model, enum {value['enum']} in the schema"]
    wanted = JSON_TYPES.get(kind)  # type: ignore[call-overload]
    if wanted is None or value.get("type") != wanted:
        return [f"{where}: {kind} in the model, {value.get('type')} in the schema"]
    return []


def test_the_model_and_the_schemas_describe_the_same_fields():
    assert disagreements(model.Toolkit, toolkit_schema(), "Toolkit") == []


def test_the_check_finds_a_field_the_schema_lacks():
    @dataclasses.dataclass(frozen=True)
    class Extra:
        key: str
        short: str
        citation: str
        url: str | None = None
        pages: int = 0
        origin: model.Origin = model.Origin("toolkit")

    node = ("references.schema.json", schema("references.schema.json")["properties"]["references"])
    items = (node[0], node[1]["items"])
    assert disagreements(Extra, items, "Reference") == [
        "Reference.pages: in Extra, not in the schema (references.schema.json)"
    ]


def codes(value: object) -> set[str]:
    if isinstance(value, dict):
        own = {value["x-error"]} if "x-error" in value else set()
        return own.union(*(codes(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(codes(item) for item in value))
    return set()


def test_every_error_code_in_the_schemas_has_a_message():
    assessment_codes = {"date"}  # worded by macros/assessment/reading.py
    for path in sorted(Path(Project.schemas).glob("*.json")):
        known = set(PATTERN_MESSAGES) | (
            assessment_codes if path.name.startswith("assess") else set()
        )
        assert codes(schema(path.name)) <= known, path.name
    assert codes(schema("common.schema.json")) == set(PATTERN_MESSAGES)
