"""Issue 13 (4): the deployed portal gets its own settings and secrets, nothing of the intranet."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from api.portal.settings import PortalSettings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PORTAL_NAMES = {field.alias for field in PortalSettings.model_fields.values() if field.alias}
INTRANET_ONLY = {"DATABASE_URL", "SONGDA_DATA_KEYS", "SONGDA_INDEX_KEY", "SONGDA_CALLBACK_SECRET"}


def _names(path: Path) -> set[str]:
    lines = path.read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_]+=", line)}


def test_the_portal_env_file_holds_only_portal_settings() -> None:
    names = _names(DEPLOY / "portal.env")
    assert names <= PORTAL_NAMES
    assert {"SONGDA_PORTAL_SECRET", "SONGDA_PORTAL_DATA_KEYS"} <= names
    assert not names & INTRANET_ONLY


def test_compose_gives_the_portal_its_own_env_file_only() -> None:
    portal: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"][
        "portal"
    ]
    assert portal["env_file"] == "portal.env"
    assert not set(portal.get("environment", {})) & INTRANET_ONLY


def test_kubernetes_gives_the_portal_its_own_config_and_secret() -> None:
    docs = list(yaml.safe_load_all((DEPLOY / "k8s" / "portal.yaml").read_text()))
    pod = next(d for d in docs if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    sources = pod["containers"][0]["envFrom"]
    assert sources == [
        {"configMapRef": {"name": "songda-portal-config"}},
        {"secretRef": {"name": "songda-portal-secrets"}},
    ]
    for doc in docs:
        if doc["kind"] in ("ConfigMap", "Secret"):
            names = set(doc.get("data", {})) | set(doc.get("stringData", {}))
            assert names <= PORTAL_NAMES and not names & INTRANET_ONLY
