"""The deployment files parse, and every command, file and setting they name exists here."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.main import get_command

from api.app import create_app
from api.cli.main import app as cli_app
from api.portal.settings import PortalSettings
from domain.crypto.portal_keys import PortalKeys
from domain.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
MANIFESTS = sorted((DEPLOY / "k8s").glob("*.yaml"))


def load_all(path: Path) -> list[dict[str, Any]]:
    """Returns every YAML document of a file."""
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def compose() -> dict[str, Any]:
    """Returns the compose file."""
    return load_all(DEPLOY / "compose.yaml")[0]


def songda_commands() -> list[list[str]]:
    """Returns every command a songda container runs, in compose and in the manifests."""
    commands = [
        service["command"]
        for service in compose()["services"].values()
        if service.get("image", "").startswith("songda") or "build" in service
        if "command" in service
    ]
    for path in MANIFESTS:
        for doc in load_all(path):
            spec = doc.get("spec", {})
            pod = spec.get("template", {}).get("spec", {})
            commands += [c["command"] for c in pod.get("containers", []) if "command" in c]
    return commands


def command_exists(command: list[str]) -> bool:
    """Tells whether a container command names a module, script or CLI command of the project."""
    if command[:2] == ["python", "-m"]:
        module = command[2]
        spec = importlib.util.find_spec(module)
        main = (
            importlib.util.find_spec(f"{module}.__main__")
            if spec and spec.submodule_search_locations
            else spec
        )
        return main is not None
    if command[0] == "python":
        return (ROOT / command[1]).is_file()
    if command[0] == "songda":
        click_app = get_command(cli_app)
        return command[1] in click_app.commands  # type: ignore[attr-defined]
    return False


def setting_names() -> set[str]:
    """Returns every environment variable the settings objects read (the portal's too)."""
    fields = [*Settings.model_fields.values(), *PortalSettings.model_fields.values()]
    fields += PortalKeys.model_fields.values()
    return {field.alias for field in fields if field.alias}


def test_files_parse() -> None:
    assert compose()["services"]
    for path in [*MANIFESTS, DEPLOY / "helm" / "temporal-values.yaml"]:
        assert load_all(path), path


@pytest.mark.parametrize("command", songda_commands(), ids=" ".join)
def test_every_command_exists(command: list[str]) -> None:
    assert command_exists(command), f"{command} names nothing in the project"


def test_compose_runs_the_whole_stack() -> None:
    services = compose()["services"]
    for name in ("postgresql", "temporal", "temporal-ui", "migrate", "api", "worker", "portal"):
        assert name in services
    assert services["temporal"]["environment"]["DB"] == "postgres12"
    assert "TEMPORAL_CODEC_ENDPOINT" in services["temporal-ui"]["environment"]
    # The portal lives on its own networks, away from Temporal and the API.
    assert "court" not in services["portal"]["networks"]
    assert services["portal"]["networks"] and "court" in services["temporal"]["networks"]


def test_settings_named_in_deploy_files_exist() -> None:
    known = setting_names() | {"DATABASE_URL", "TEMPORAL_ADDRESS"}
    env_file = (DEPLOY / "songda.env").read_text().splitlines()
    names = {line.split("=", 1)[0] for line in env_file if re.match(r"^[A-Z_]+=", line)}
    for doc in load_all(DEPLOY / "k8s" / "config.yaml"):
        names |= set(doc.get("data", {})) | set(doc.get("stringData", {}))
    unknown = {name for name in names if name.startswith("SONGDA_") or name.endswith("_URL")}
    assert unknown - known == set()


def test_probes_hit_real_routes() -> None:
    paths = set(create_app(Settings()).openapi()["paths"])
    for path in MANIFESTS:
        for doc in load_all(path):
            pod = doc.get("spec", {}).get("template", {}).get("spec", {})
            for container in pod.get("containers", []):
                for probe in ("readinessProbe", "livenessProbe"):
                    http = container.get(probe, {}).get("httpGet")
                    if http and container["command"][-1] == "api":
                        assert http["path"] in paths


def test_workers_shut_down_gracefully() -> None:
    worker = [d for d in load_all(DEPLOY / "k8s" / "worker.yaml") if d["kind"] == "Deployment"][0]
    assert worker["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= 30
    assert compose()["services"]["worker"]["stop_grace_period"]


def test_dockerfile_copies_what_exists() -> None:
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
