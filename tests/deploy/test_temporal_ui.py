"""Issue 13 (10): the deployed Temporal UI sits behind the court's OIDC, read-only for everyone
but the ops UI, published on loopback for the reverse proxy only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    return services


def test_compose_puts_the_ui_behind_oidc_and_read_only() -> None:
    ui = _services()["temporal-ui"]
    env = ui["environment"]
    assert env["TEMPORAL_AUTH_ENABLED"] == "true" and env["TEMPORAL_AUTH_TYPE"] == "oidc"
    assert "SONGDA_OIDC_ISSUER" in env["TEMPORAL_AUTH_PROVIDER_URL"]
    assert env["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "true"
    assert env["TEMPORAL_CODEC_PASS_ACCESS_TOKEN"] == "true"
    assert all(str(port).startswith("127.0.0.1:") for port in ui["ports"])


def test_only_the_ops_profile_has_write_actions() -> None:
    ops = _services()["temporal-ui-ops"]
    assert ops["profiles"] == ["ops"]
    env = ops["environment"]
    assert env["TEMPORAL_AUTH_ENABLED"] == "true"
    assert env["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "false"
    assert "OPS_OIDC_CLIENT_ID" in env["TEMPORAL_AUTH_CLIENT_ID"]
    assert all(str(port).startswith("127.0.0.1:") for port in ops["ports"])


def test_helm_puts_the_ui_behind_oidc_and_read_only() -> None:
    values = yaml.safe_load((DEPLOY / "helm" / "temporal-values.yaml").read_text())
    env = {item["name"]: item.get("value") for item in values["web"]["additionalEnv"]}
    assert env["TEMPORAL_AUTH_ENABLED"] == "true"
    assert env["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "true"
    assert env["TEMPORAL_CODEC_ENDPOINT"].endswith("/codec")
