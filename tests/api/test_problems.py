"""Every API error is application/problem+json (RFC 9457), with a Chinese title."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth


def test_a_missing_token_is_a_problem(client: TestClient) -> None:
    answer = client.get("/v1/service-requests/nope")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == 401 and body["title"] == "需要登录或令牌无效"
    assert body["type"] == "/problems/401" and isinstance(body["detail"], str)


def test_refused_input_keeps_its_field_list(
    client: TestClient, case_system: dict[str, str]
) -> None:
    answer = client.post("/v1/service-requests", json={"external_id": 1}, headers=case_system)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["title"] == "输入有误"
    assert body["detail"] == body["errors"] and {e["field"] for e in body["errors"]}


def test_not_found_and_unknown_routes_are_problems(
    client: TestClient, case_system: dict[str, str]
) -> None:
    missing = client.get("/v1/service-requests/nope", headers=case_system)
    assert (missing.status_code, missing.json()["title"]) == (404, "未找到")
    nowhere = client.get("/v1/nowhere", headers=auth("x"))
    assert nowhere.headers["content-type"] == "application/problem+json"


def test_the_openapi_documents_the_problem(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "Problem" in schema["components"]["schemas"]
    create = schema["paths"]["/v1/service-requests"]["post"]["responses"]
    assert "application/problem+json" in create["422"]["content"]


def test_every_request_body_carries_an_example(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    bare = [
        (method, path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        for media in operation.get("requestBody", {}).get("content", {}).values()
        if "example" not in media and "examples" not in media
    ]
    assert bare == []
    create = schema["paths"]["/v1/service-requests"]["post"]["requestBody"]["content"]
    assert create["application/json"]["example"]["external_id"] == "HX-2026-000123"
