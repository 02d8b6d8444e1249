"""Issue 13 (1): outside development every process refuses the published keys and secrets."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from domain.settings import DEV_DATA_KEY, InsecureSettings, Settings

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = base64.b64encode(bytes(range(32))).decode()
REAL = {
    "SONGDA_ENV": "production",
    "SONGDA_DATA_KEYS": f"k2026:{REAL_KEY}",
    "SONGDA_INDEX_KEY": "Yq3v8Wm2Lr6Tz1Nc5Hd9Pk4Sx7Bf0Jg2",
    "SONGDA_PORTAL_SECRET": "Pq8Rw2Et6Yu1Io5Pa9Sd3Fg7Hj0Kl4Zx",
    "SONGDA_CALLBACK_SECRET": "Cv7Bn2Mq6Wx1Ez5Rt9Yu3Io8Pa4Sd0Fg",
    "SONGDA_PROVIDER_SECRETS": "sandbox-sms=Sm5Ls7Dk2Fj9Gh3Qw8Er1Ty6,smtp=Em4Ai1Lx8Sw3Zc6Vb0Nm5Qr7,"
    "sandbox-post=Po9St2Of5Fi8Ce3Xk6Wq1Lz4",
}
VARIABLES = (
    "SONGDA_DATA_KEYS", "SONGDA_INDEX_KEY", "SONGDA_PORTAL_SECRET", "SONGDA_CALLBACK_SECRET",
    "SONGDA_PROVIDER_SECRETS",
)  # fmt: skip
# What a process would leak if it echoed a secret in its refusal.
PUBLISHED = (DEV_DATA_KEY, "songda-dev-index-key", "songda-dev-portal-secret")


def _settings(**values: str) -> Settings:
    return Settings(**{**REAL, **values})  # type: ignore[arg-type]


def test_real_values_start() -> None:
    assert _settings().secret_problems() == []


def test_the_published_defaults_are_refused_naming_every_variable() -> None:
    problems = " ".join(Settings(SONGDA_ENV="production").secret_problems())
    for variable in VARIABLES:
        assert variable in problems
    assert not any(value in problems for value in PUBLISHED)


@pytest.mark.parametrize(
    ("variable", "value", "why"),
    [
        ("SONGDA_PORTAL_SECRET", "", "missing"),
        ("SONGDA_CALLBACK_SECRET", "change-me", "placeholder"),
        ("SONGDA_INDEX_KEY", "songda-dev-index-key", "development"),
        ("SONGDA_INDEX_KEY", "<index key here>", "placeholder"),
        ("SONGDA_PORTAL_SECRET", "short", "shorter than 16"),
        ("SONGDA_DATA_KEYS", f"k2026:{REAL_KEY},dev1:{DEV_DATA_KEY}", "development key"),
        ("SONGDA_DATA_KEYS", "", "missing"),
        ("SONGDA_PROVIDER_SECRETS", "sandbox-sms=Sm5Ls7Dk2Fj9Gh3Qw8Er1Ty6", "smtp"),
        ("SONGDA_PROVIDER_SECRETS", "smtp=change-me,sandbox-post=x,sandbox-sms=y", "placeholder"),
    ],
)
def test_each_bad_value_is_refused_naming_its_variable(variable: str, value: str, why: str) -> None:
    problems = _settings(**{variable: value}).secret_problems()
    assert len(problems) >= 1
    assert all(variable in problem for problem in problems)
    assert why in " ".join(problems)
    with pytest.raises(InsecureSettings, match=variable):
        _settings(**{variable: value}).require_secrets()


def test_smpp_needs_its_own_password_when_it_is_used() -> None:
    secrets = REAL["SONGDA_PROVIDER_SECRETS"] + ",smpp=Sp3Mm6Pp9Qq2Ww5Ee8Rr1Tt4"
    used = _settings(SONGDA_SMS_PROVIDERS="smpp", SONGDA_PROVIDER_SECRETS=secrets)
    assert "SONGDA_SMPP_PASSWORD" in " ".join(used.secret_problems())
    assert _settings(SONGDA_SMS_PROVIDERS="smpp", SONGDA_PROVIDER_SECRETS=secrets,
                     SONGDA_SMPP_PASSWORD="k9Tz2qW").secret_problems() == []  # fmt: skip


def test_development_must_be_explicit() -> None:
    assert Settings(SONGDA_ENV="development").secret_problems() == []
    for other in ("", "dev", "test", "Development "):
        assert Settings(SONGDA_ENV=other).secret_problems(), other


def _env(**extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    # Only the published defaults, and an unreachable world: a process that starts anyway would
    # hang on its first connection instead of exiting at once.
    return {**env, "PYTHONPATH": str(ROOT), "DATABASE_URL": "sqlite:////nonexistent/x.db",
            "TEMPORAL_ADDRESS": "127.0.0.1:1", **extra}  # fmt: skip


PROCESSES = {
    "api": ["-m", "api"],
    "portal": ["-m", "api.portal"],
    "worker": ["-m", "worker"],
    "sandbox": ["-m", "sandbox"],
    "launcher": [str(ROOT / "launcher.py")],
    "cli token list": ["-m", "api.cli", "token", "list", "someone"],
    "migrations": ["-m", "api.cli", "migrate"],
}


def test_every_process_refuses_to_start_on_the_published_secrets(tmp_path: Path) -> None:
    env = _env(SONGDA_STATE_DIR=str(tmp_path))
    # All at once: each pays for its imports, and the machine has two cores.
    running = {
        name: subprocess.Popen(
            [sys.executable, *args],
            env=env,
            cwd=tmp_path,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for name, args in PROCESSES.items()
    }
    for name, proc in running.items():
        try:
            out, err = proc.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"{name} started on the published secrets")
        assert proc.returncode != 0, name
        # The portal reads only its own settings (api/portal/settings.py): no master data keys.
        expected = ["SONGDA_PORTAL_SECRET"] + ([] if name == "portal" else ["SONGDA_DATA_KEYS"])
        assert all(variable in err for variable in expected), (name, err[-500:])
        assert "SONGDA_ENV=development" in err, name  # it says how a developer gets going
        assert not any(value in err + out for value in PUBLISHED), name


def test_a_process_starts_past_the_check_in_explicit_development(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "token", "list", "someone"],
        env=_env(SONGDA_ENV="development", SONGDA_STATE_DIR=str(tmp_path),
                 DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"),
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert "refuses to start" not in done.stderr
