"""Document, once for every operation, the error answers the API really gives.

Each operation only declares its success (and domain-specific) responses; the shared
error answers are added here so the published schema never promises less than the API
does: 422 where there is input to get wrong, 401/403 where a login is needed, 404 where
a path names something. It also states the one rule on input that no operation declares:
no string may hold a NUL character (400 in the address from `RejectNulBytesMiddleware`,
422 in a body from `api.schemas.InSchema`), so a fuzzer reading the schema knows such
input is invalid.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in a sentence."},
        "field": {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": "The field at fault.",
        },
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}
ERROR_RESPONSE = {
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
}
DESCRIPTIONS = {
    "400": "Malformed request",
    "401": "Not logged in",
    "403": "Not allowed (or a missing CSRF token)",
    "404": "Not found",
    "422": "Invalid input",
}


# Any text without a NUL: added to every string input that has no tighter rule of its own.
NO_NUL = "^[^\\x00]*$"


def with_error_responses(schema: OpenAPISchema) -> OpenAPISchema:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _forbid_nul(parameter.get("schema", {}), components)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _forbid_nul(content.get("schema", {}), components)
            codes = []
            if operation.get("parameters") or operation.get("requestBody"):
                codes += ["400", "422"]  # 400: a NUL byte in the URL, refused by middleware
            if operation.get("security"):
                codes += ["401", "403"]
            if "{" in path:
                codes.append("404")
            responses: dict[str, Any] = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": DESCRIPTIONS[code], **ERROR_RESPONSE})
    return schema


def _forbid_nul(
    node: dict[str, Any], components: dict[str, Any], seen: set[str] | None = None
) -> None:
    """Walk one input schema (following $refs once each) and mark its free strings."""
    seen = set() if seen is None else seen
    if ref := node.get("$ref"):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _forbid_nul(components[name], components, seen)
        return
    if node.get("type") == "string" and not {"pattern", "enum", "format", "const"} & set(node):
        node["pattern"] = NO_NUL
    children = [
        *node.get("anyOf", []),
        *node.get("oneOf", []),
        *node.get("allOf", []),
        *node.get("properties", {}).values(),
    ]
    for key in ("items", "additionalProperties", "propertyNames"):
        if isinstance(node.get(key), dict):
            children.append(node[key])
    for child in children:
        _forbid_nul(child, components, seen)


class FootingAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        return with_error_responses(
            super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        )
