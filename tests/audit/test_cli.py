"""`songda audit verify` (exit 1 on a broken chain) and `songda audit list` over HTTP."""

from __future__ import annotations

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from api.cli.main import app
from domain.settings import Settings
from domain.tables.trust import AuditEntry
from tests.api.conftest import make_token
from tests.api.test_cli import env, live_api
from tests.audit.test_chain import append

__all__ = ["env", "live_api"]

runner = CliRunner()


def test_verify_exits_0_on_a_sound_chain_and_records_itself(
    env: dict[str, str], engine: Engine, db: Session
) -> None:
    append(engine, 3)
    result = runner.invoke(app, ["audit", "verify"], env=env)
    assert result.exit_code == 0, result.output
    assert "audit chain ok: 3 entries" in result.output
    db.expire_all()
    last = db.query(AuditEntry).order_by(AuditEntry.seq.desc()).first()
    assert last is not None and (last.action, last.outcome) == ("audit.verify", "ok")


def test_verify_exits_1_and_names_the_first_broken_seq(
    env: dict[str, str], engine: Engine, db: Session
) -> None:
    seqs = append(engine, 4)
    db.execute(update(AuditEntry).where(AuditEntry.seq == seqs[1]).values(role="auditor"))
    db.commit()
    result = runner.invoke(app, ["audit", "verify"], env=env)
    assert result.exit_code == 1
    assert f"BROKEN at seq {seqs[1]}" in result.output


def test_list_goes_through_the_api_with_the_roles(
    env: dict[str, str], live_api: str, db: Session, settings: Settings
) -> None:
    env = {**env, "SONGDA_API_URL": live_api}
    clerk = {**env, "SONGDA_TOKEN": make_token(db, "clerk-1", "clerk")}
    refused = runner.invoke(app, ["audit", "list"], env=clerk)
    assert refused.exit_code == 1 and "HTTP 403" in refused.stderr
    auditor = {**env, "SONGDA_TOKEN": make_token(db, "auditor-1", "auditor", court=None)}
    listed = runner.invoke(app, ["audit", "list", "--action", "audit.read"], env=auditor)
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split()[:3] == ["seq", "at", "(UTC+8)"]
    assert "clerk-1" in lines[1] and "denied" in lines[1]
