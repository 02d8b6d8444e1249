"""Issue 13 (11): the audit chain's head leaves the database signed with the court's seal key,
so a later rewrite of the whole chain is caught against the exported head."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from typer.testing import CliRunner

from api.cli.main import app
from domain.store.audit import chain_head
from domain.store.db import make_engine, make_session_factory
from songda_verify import sm2
from tests.verify.test_cli import env

__all__ = ["env"]
runner = CliRunner()


def _head(env: dict[str, str]) -> dict[str, object]:
    engine = make_engine(env["DATABASE_URL"])
    with make_session_factory(engine)() as session:
        head = chain_head(session)
    engine.dispose()
    return head


def test_the_head_is_exported_signed_and_checks(env: dict[str, str], tmp_path: Path) -> None:
    assert (
        runner.invoke(app, ["keys", "court-seal", "create", "--court", "J12"], env=env).exit_code
        == 0
    )
    out = tmp_path / "head"
    done = runner.invoke(
        app, ["audit", "head", "--sign", "--court", "J12", "--out", str(out)], env=env
    )
    assert done.exit_code == 0, done.output
    signed = (out.with_suffix(".json")).read_bytes()
    document = json.loads(signed)
    sig = json.loads(out.with_suffix(".sig").read_bytes())
    assert (
        document["audit_head"]["hash"] == _head(env)["hash"]
        or document["audit_head"]["seq"] < _head(env)["seq"]
    )
    assert document["court_code"] == "J12" and sig["key_id"] and sig["fingerprint"]
    public_key = bytes.fromhex(sig["public_key"])
    signature = sm2.parse_der_signature(base64.b64decode(sig["signature"]))
    assert sm2.verify(public_key, signed, signature)
    forged = signed.replace(document["audit_head"]["hash"].encode(), b"0" * 64)
    assert not sm2.verify(public_key, forged, signature)


def test_an_unsigned_head_is_printed_and_a_court_without_a_key_refused(env: dict[str, str]) -> None:
    plain = runner.invoke(app, ["audit", "head"], env=env)
    assert plain.exit_code == 0 and '"audit_head"' in plain.output
    refused = runner.invoke(app, ["audit", "head", "--sign", "--court", "J12"], env=env)
    assert refused.exit_code == 1 and "court-seal create" in refused.output
