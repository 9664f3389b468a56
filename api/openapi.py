"""Document, once for every operation, the error answers the API really gives.

Each operation only declares its success (and domain-specific) responses; the shared
error answers are added here so the published schema never promises less than the API
does: 422 where there is input to get wrong, 401/403 where a login is needed, 404 where
a path names something.
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


def with_error_responses(schema: OpenAPISchema) -> OpenAPISchema:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
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


class FootingAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        return with_error_responses(
            super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        )
