"""`songda keys court-seal create|rotate|export-public` and `songda verify` on the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from api.cli.main import app
from domain.crypto.court_seal import CourtSeals
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base, Court
from domain.tables.trust import AuditEntry
from songda_verify import sigfile
from tests.verify import support

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        session.add(Court(code="J12", name="天津市河西区人民法院"))
        session.commit()
    engine.dispose()
    return {"SONGDA_STATE_DIR": str(tmp_path / "state"), "DATABASE_URL": url}


def _audited(env: dict[str, str]) -> list[str]:
    engine = make_engine(env["DATABASE_URL"])
    with make_session_factory(engine)() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    engine.dispose()
    return actions


def test_create_rotate_and_export(env: dict[str, str]) -> None:
    created = runner.invoke(app, ["keys", "court-seal", "create", "--court", "J12"], env=env)
    assert created.exit_code == 0, created.output
    assert "fingerprint (SM3)" in created.output
    again = runner.invoke(app, ["keys", "court-seal", "create", "--court", "J12"], env=env)
    assert again.exit_code == 1 and "rotate it instead" in again.output
    unknown = runner.invoke(app, ["keys", "court-seal", "create", "--court", "J99"], env=env)
    assert unknown.exit_code == 1 and "no court" in unknown.output
    rotated = runner.invoke(app, ["keys", "court-seal", "rotate", "--court", "J12"], env=env)
    assert rotated.exit_code == 0, rotated.output

    export = ["keys", "court-seal", "export-public", "--court", "J12"]
    exported = runner.invoke(app, export, env=env)
    public = json.loads(exported.output)
    settings = Settings(SONGDA_STATE_DIR=env["SONGDA_STATE_DIR"])
    current = CourtSeals.from_settings(settings).current("J12")
    assert current is not None and public["key_id"] == current.key_id
    assert sigfile.grouped(public["fingerprint"]) in rotated.output
    assert "private" not in exported.output
    every = runner.invoke(app, [*export, "--all"], env=env)
    assert len(json.loads(every.output)) == 2
    pem = runner.invoke(app, [*export, "--pem"], env=env)
    assert pem.output.startswith("-----BEGIN PUBLIC KEY-----")
    assert _audited(env) == ["court_seal.created", "court_seal.rotated"]


def test_export_without_a_key_says_how_to_make_one(env: dict[str, str]) -> None:
    answer = runner.invoke(app, ["keys", "court-seal", "export-public", "--court", "J12"], env=env)
    assert answer.exit_code == 1
    assert "songda keys court-seal create --court J12" in answer.output


def test_songda_verify(tmp_path: Path) -> None:
    key = 0x1F2E3D4C5B6A79881F2E3D4C5B6A79881F2E3D4C5B6A79881F2E3D4C5B6A7988
    good = tmp_path / "good.zip"
    good.write_bytes(support.archive(support.signed_files(key)))
    files = support.signed_files(key)
    del files["report.pdf"]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(support.archive(files))
    passed = runner.invoke(app, ["verify", str(good)])
    assert passed.exit_code == 0 and "验证通过" in passed.output
    failed = runner.invoke(app, ["verify", str(bad), "--court-key", "00" * 32])
    assert failed.exit_code == 1
    assert "缺少清单所列的文件：report.pdf" in failed.output
    assert "法院公钥指纹" in failed.output.split("验证失败")[1]
