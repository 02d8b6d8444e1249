"""The CLI's database commands: user add, token create, bootstrap-demo."""

from __future__ import annotations

import json
import re
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner
from uvicorn import Config, Server

from api.app import create_app
from api.cli.main import app
from domain.settings import Settings
from domain.tables.core import ApiToken, Court, User
from tests.api.conftest import auth, make_token, valid_body

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, engine: Engine) -> dict[str, str]:
    """The environment that points the CLI at the test database and state folder."""
    return {
        "SONGDA_STATE_DIR": str(settings.state_dir),
        "DATABASE_URL": settings.effective_database_url,
        "SONGDA_TOKEN": "",
    }


def test_user_add_and_token_create_round_trip(
    env: dict[str, str], client: TestClient, db: Session
) -> None:
    added = runner.invoke(
        app, ["user", "add", "judge-zhang", "--role", "judge", "--court", "J12",
              "--phone", "138-0000-0002", "--password-stdin"],
        input="a long s3cret phrase\n", env=env,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "13800000002" not in added.output
    user = db.scalars(select(User).where(User.name == "judge-zhang")).one()
    assert (user.role, user.court_code, user.phone) == ("judge", "J12", "13800000002")
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")

    created = runner.invoke(app, ["token", "create", "judge-zhang", "--expires-days", "7"], env=env)
    assert created.exit_code == 0, created.output
    token = created.output.strip()
    assert db.scalars(select(ApiToken)).one().token_sha256 != token
    assert client.get("/v1/service-requests", headers=auth(token)).status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["user", "add", "x", "--role", "emperor"], "role"),
        (["user", "add", "x", "--role", "judge", "--phone", "12345"], "mobile number"),
        (["token", "create", "nobody"], "name"),
    ],
)
def test_refused_cli_input_exits_1(env: dict[str, str], args: list[str], message: str) -> None:
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 1
    assert message in result.output
    assert "12345" not in result.output


def test_duplicate_user_is_refused(env: dict[str, str]) -> None:
    args = ["user", "add", "clerk-wang", "--role", "clerk"]
    assert runner.invoke(app, args, env=env).exit_code == 0
    assert runner.invoke(app, args, env=env).exit_code == 1


def test_bootstrap_demo_is_idempotent(
    env: dict[str, str], settings: Settings, db: Session, client: TestClient
) -> None:
    first = runner.invoke(app, ["bootstrap-demo"], env=env)
    assert first.exit_code == 0, first.output
    token_file: Path = settings.token_file
    token = token_file.read_text().strip()
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    again = runner.invoke(app, ["bootstrap-demo"], env=env)
    assert again.exit_code == 0, again.output
    assert token_file.read_text().strip() == token
    assert db.get_one(Court, "J12").name == "天津市河西区人民法院"
    names = set(db.scalars(select(User.name)))
    assert names == {
        "demo-case-system", "demo-clerk", "demo-judge", "demo-supervisor", "demo-ops",
        "demo-auditor",
    }  # fmt: skip
    ops_token = (settings.state_dir / "tokens" / "demo-ops").read_text().strip()
    assert client.get("/v1/ops/stuck", headers=auth(ops_token)).status_code == 200
    auditor = (settings.state_dir / "tokens" / "demo-auditor").read_text().strip()
    assert client.get("/v1/audit/verify", headers=auth(auditor)).status_code == 200
    assert client.get("/v1/service-requests", headers=auth(token)).status_code == 200

    token_file.write_text("stale-token\n")
    assert runner.invoke(app, ["bootstrap-demo"], env=env).exit_code == 0
    assert token_file.read_text().strip() not in ("stale-token", token)


def test_http_commands_need_a_token(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["status", "abc"], env=env)
    assert result.exit_code == 2
    assert "no token" in result.output


def test_submit_without_an_api_says_so(env: dict[str, str], tmp_path: Path) -> None:
    # Nothing listens on the API port here: the command reports that, in the user's terms.
    request_file = tmp_path / "request.json"
    request_file.write_text("{}")
    env = {**env, "SONGDA_API_URL": "http://127.0.0.1:1", "SONGDA_TOKEN": "t"}
    result = runner.invoke(app, ["submit", str(request_file)], env=env)
    assert result.exit_code == 1
    assert "cannot reach the API" in result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_api(settings: Settings, engine: Engine) -> Iterator[str]:
    """The API served by uvicorn on a free port, for the CLI's HTTP commands."""
    port = _free_port()
    server = Server(Config(create_app(settings), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_submit_and_status_over_http(
    env: dict[str, str], live_api: str, db: Session, tmp_path: Path
) -> None:
    env = {**env, "SONGDA_API_URL": live_api, "SONGDA_TOKEN": make_token(db, "cs", "case_system")}
    bad = valid_body()
    bad["parties"][0]["phones"] = ["12345"]
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    refused = runner.invoke(app, ["submit", str(bad_file)], env=env)
    assert refused.exit_code == 1
    assert "parties[0].phones[0]: mobile number" in refused.stderr
    assert "12345" not in refused.output

    good_file = tmp_path / "good.json"
    good_file.write_text(json.dumps(valid_body(), ensure_ascii=False), encoding="utf-8")
    submitted = runner.invoke(app, ["submit", str(good_file)], env=env)
    assert submitted.exit_code == 0, submitted.output
    # The server runs in this process, so its log lines share stdout with the command's.
    request_id = next(x for x in submitted.stdout.split() if re.fullmatch("[0-9a-f]{32}", x))
    shown = runner.invoke(app, ["status", request_id], env=env)
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("party"))
    assert lines[header].split() == ["party", "status", "step", "method", "served_on", "attempts"]
    assert lines[header + 1].split() == ["P1", "pending", "-", "-", "-", "0"]
