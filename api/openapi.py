"""The OpenAPI's examples: every request body carries one, read by people trying the API.

The service request's example is examples/request.json (documents shortened); the others are
built from each schema's own examples, defaults and enums, so a new body needs nothing here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLE_REQUEST = Path(__file__).resolve().parents[1] / "examples" / "request.json"
PDF_BASE64 = "JVBERi0xLjQKJcOkw7zDtsOfCg=="  # "%PDF-1.4" and a binary comment: a PDF's first line
FORMATS = {
    "date": "2026-12-09",
    "date-time": "2026-12-09T10:00:00+08:00",
    "email": "party@example.com",
    "uri": "http://127.0.0.1:9000/hooks/songda",
    "binary": "(file)",
}
STRINGS = {
    "phone": "13800000002",
    "reason": "the party asked for another day",
    "note": "本人电话确认新地址",
    "name": "clerk-li",
    "password": "correct horse battery staple",
    "court_code": "J12",
    "role": "clerk",
    "phones": "13800000002",
    "emails": "party@example.com",
    "text": "天津市河西区友谊路1号",
    "outcome": "reached_address_confirmed",
    "assignee": "clerk-li",
    "event_id": "evt-20261209-0001",
    "reference": "5dc17ba3380a4616a61147e2a9af7d9e:electronic:1:phone0s",
    "kind": "delivered",
    "token_prefix": "a1b2c3d4",
    "oidc_subject": "00u1ab2cd3EF",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
}
MAX_DEPTH = 6


def _submission() -> dict[str, Any]:
    body: dict[str, Any] = json.loads(EXAMPLE_REQUEST.read_text(encoding="utf-8"))
    for document in body.get("documents", []):
        document["content_base64"] = PDF_BASE64
    return body


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema


def example_of(
    schema: dict[str, Any], components: dict[str, Any], name: str = "", depth: int = 0
) -> Any:
    """Returns an example value for a JSON schema, from its examples, defaults, enums and types."""
    schema = _resolve(schema, components)
    for key in ("examples", "example", "default", "enum"):
        found = schema.get(key)
        if found not in (None, [], {}):
            return found[0] if key in ("examples", "enum") and isinstance(found, list) else found
    if depth > MAX_DEPTH:
        return None
    for key in ("anyOf", "oneOf", "allOf"):
        options = [o for o in schema.get(key, []) if o.get("type") != "null"]
        if options:
            return example_of(options[0], components, name, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {k: example_of(v, components, k, depth + 1) for k, v in properties.items()}
    if kind == "array":
        return [example_of(schema.get("items", {}), components, name, depth + 1)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(schema.get("minimum", 1.0))
    if kind == "boolean":
        return False
    return FORMATS.get(schema.get("format", ""), STRINGS.get(name, "…"))


def add_examples(schema: dict[str, Any]) -> None:
    """Puts an example on every request body of the OpenAPI document that has none."""
    components = schema.get("components", {}).get("schemas", {})
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                if "example" in media or "examples" in media:
                    continue
                if path == "/v1/service-requests" and method == "post":
                    media["example"] = _submission()
                else:
                    media["example"] = example_of(media.get("schema", {}), components)
