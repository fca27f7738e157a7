"""Turn the OpenAPI document into plain rows for the server-rendered documentation page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    tag: str
    parameters: list[Parameter] = field(default_factory=list)
    body: str = ""
    responses: list[tuple[str, str, str]] = field(default_factory=list)


def type_name(schema: dict[str, Any]) -> str:
    """A short human name for a JSON schema: `CaseOut`, `string`, `list of CaseTypeOut`."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_name(s) for s in schema["anyOf"])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return type_name(schema["allOf"][0])
    if "enum" in schema:
        return " | ".join(f"{v}" for v in schema["enum"])
    if schema.get("type") == "array":
        return f"[{type_name(schema.get('items', {}))}]"
    return str(schema.get("type", "any"))


@dataclass
class SchemaField:
    name: str
    type: str
    required: bool
    description: str


def schema_fields(schema: dict[str, Any]) -> list[SchemaField]:
    required = set(schema.get("required", []))
    return [
        SchemaField(name, type_name(spec), name in required, spec.get("description", ""))
        for name, spec in schema.get("properties", {}).items()
    ]


def schemas(schema: dict[str, Any]) -> list[tuple[str, str, list[SchemaField]]]:
    return [
        (name, spec.get("description", ""), schema_fields(spec))
        for name, spec in sorted(schema.get("components", {}).get("schemas", {}).items())
    ]


def operations(schema: dict[str, Any]) -> list[Operation]:
    rows: list[Operation] = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            row = Operation(
                method=method.upper(),
                path=path,
                anchor=op.get("operationId", f"{method}-{path}"),
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                tag=(op.get("tags") or [""])[0],
            )
            for param in op.get("parameters", []):
                row.parameters.append(
                    Parameter(
                        name=param["name"],
                        where=param["in"],
                        required=bool(param.get("required")),
                        type=type_name(param.get("schema", {})),
                        description=param.get("description", "")
                        or param.get("schema", {}).get("description", ""),
                    )
                )
            content = op.get("requestBody", {}).get("content", {})
            for media in content.values():
                row.body = type_name(media.get("schema", {}))
            for code, response in op.get("responses", {}).items():
                content = response.get("content", {})
                media_type = next(iter(content), "")
                body = type_name(content[media_type].get("schema", {})) if media_type else ""
                row.responses.append((str(code), media_type, body))
            rows.append(row)
    return rows
