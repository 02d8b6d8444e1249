"""Issue 13 (1): the deployment files hold no usable secret, and the generator makes real ones."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from api.portal.settings import PortalSettings
from domain.settings import Settings
from tests.deploy.test_deploy_files import DEPLOY, load_all


def _env_file(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return dict(pairs)  # type: ignore[arg-type]


def test_the_shipped_files_are_refused_until_real_secrets_are_set() -> None:
    secret = next(d for d in load_all(DEPLOY / "k8s" / "config.yaml") if d["kind"] == "Secret")
    values = {
        **_env_file(DEPLOY / "songda.env"),
        **secret["stringData"],
        "SONGDA_ENV": "production",
    }
    problems = " ".join(Settings(**values).secret_problems())  # type: ignore[arg-type]
    for name in ("SONGDA_DATA_KEYS", "SONGDA_INDEX_KEY", "SONGDA_PROVIDER_SECRETS",
                 "SONGDA_PORTAL_SECRET", "SONGDA_CALLBACK_SECRET"):  # fmt: skip
        assert name in problems


def test_compose_requires_the_database_passwords() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    assert "change-me" not in text
    assert "${POSTGRES_PASSWORD:?" in text and "${PORTAL_DB_PASSWORD:?" in text


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_the_generator_writes_secrets_every_process_accepts(tmp_path: Path) -> None:
    shutil.copy(DEPLOY / "generate-secrets.sh", tmp_path)
    run = ["sh", str(tmp_path / "generate-secrets.sh"), "http,smpp"]
    subprocess.run(run, check=True, capture_output=True)
    values = {
        **_env_file(tmp_path / "secrets.env"),
        "SONGDA_ENV": "production",
        "SONGDA_SMPP_PASSWORD": "k9Tz2qW",
    }  # fmt: skip (the SMSC's operator gives it)
    assert Settings(**values).secret_problems() == []  # type: ignore[arg-type]
    # The portal: its own env file, and the two secrets compose hands it from secrets.env.
    portal = {
        **_env_file(DEPLOY / "portal.env"),
        "SONGDA_PORTAL_SECRET": values["SONGDA_PORTAL_SECRET"],
        "SONGDA_PORTAL_DATA_KEYS": values["SONGDA_PORTAL_DATA_KEYS"],
        "SONGDA_ENV": "production",
    }
    assert PortalSettings(**portal).secret_problems() == []  # type: ignore[arg-type]
    assert (tmp_path / "secrets.env").stat().st_mode & 0o077 == 0  # readable by its owner only
    again = subprocess.run(run, capture_output=True, text=True)
    assert again.returncode != 0 and "exists" in again.stderr  # never over live keys
