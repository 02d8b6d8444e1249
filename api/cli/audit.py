"""`songda audit`: verify the chain on the database, list entries through the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import typer

from api.access.accounts import CLI_ACTOR, CLI_ROLE
from api.cli.common import api_call, checked, fail, load_settings, open_session, table
from domain.crypto.court_seal import CourtSeals
from domain.store.audit import ChainReport, record_audit, verify_chain
from domain.store.audit_anchor import head_document, sign_head

BEIJING = ZoneInfo("Asia/Shanghai")
COLUMNS = ["seq", "at (UTC+8)", "actor", "role", "court", "action", "target", "outcome"]

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def _verify_and_record() -> ChainReport:
    with open_session(load_settings()) as session:
        report = verify_chain(session)
        # The check is recorded like any action taken with the CLI on the host.
        record_audit(
            session,
            actor=CLI_ACTOR,
            role=CLI_ROLE,
            action="audit.verify",
            target="audit_log",
            outcome="ok" if report.ok else "broken",
            detail={"entries": report.entries, "first_broken": report.first_broken},
        )
        session.commit()
    return report


@audit_app.command("verify")
def verify() -> None:
    """Walks the whole chain on the database; exit 1 and the first broken seq when broken."""
    report = _verify_and_record()
    if report.ok:
        typer.echo(f"audit chain ok: {report.entries} entries, head {report.head}")
        return
    typer.echo(f"audit chain BROKEN at seq {report.first_broken}: {report.reason}")
    typer.echo(f"entries: {report.entries}; last sound hash {report.head}")
    raise typer.Exit(1)


@audit_app.command("head")
def head(
    sign: Annotated[bool, typer.Option(help="sign it with the court's SM2 seal key")] = False,
    court: Annotated[str | None, typer.Option(help="the court whose seal key signs")] = None,
    out: Annotated[Path | None, typer.Option(help="write OUT.json and OUT.sig")] = None,
) -> None:
    """Exports the chain's head (after checking the chain), signed with --sign --court CODE."""
    settings = load_settings()
    with open_session(settings) as session:
        report = verify_chain(session)
        if not report.ok:
            raise fail(f"the audit chain is broken at seq {report.first_broken}: not exported")
        document = head_document(session, court)
        signature = b""
        if sign:
            seals = CourtSeals.from_settings(settings)
            key = seals.current(court or "") if court else None
            if key is None:
                raise fail(
                    f"no seal key to sign with: songda keys court-seal create --court {court}"
                )
            name = f"{out.name}.json" if out else "audit-head.json"
            signature = sign_head(seals, key, document, name)
        detail = {"head": json.loads(document)["audit_head"], "signed": bool(signature)}
        record_audit(session, actor=CLI_ACTOR, role=CLI_ROLE, action="audit.head_exported",
                     target="audit_log", court_code=court, detail=detail)  # fmt: skip
        session.commit()
    if out is None:
        typer.echo(document.decode())
        if signature:
            typer.echo(signature.decode())
        return
    out.with_suffix(".json").write_bytes(document)
    if signature:
        out.with_suffix(".sig").write_bytes(signature)
    typer.echo(f"written {out.with_suffix('.json')}" + (" and .sig" if signature else ""))


def _cells(item: dict[str, Any]) -> list[str]:
    at = item["at"].replace("T", " ")[:19]
    keys = ["actor", "role", "court_code", "action", "target", "outcome"]
    return [str(item["seq"]), at, *[str(item.get(key) or "-") for key in keys]]


@audit_app.command("list")
def list_entries(
    actor: Annotated[str | None, typer.Option(help="user name, or a workflow id")] = None,
    action: Annotated[str | None, typer.Option(help="exact, or a prefix ending in *")] = None,
    target: Annotated[str | None, typer.Option(help="e.g. a request or task id")] = None,
    court: Annotated[str | None, typer.Option(help="court code")] = None,
    since: Annotated[
        str | None, typer.Option("--from", help="ISO time, UTC+8 if no offset")
    ] = None,
    until: Annotated[str | None, typer.Option("--to", help="ISO time, exclusive")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    before: Annotated[int | None, typer.Option(help="older than this seq")] = None,
    token: Annotated[str | None, typer.Option(help="an auditor's bearer token")] = None,
) -> None:
    """Lists audit entries newest first, through the API (auditor or audit administrator)."""
    given = {"actor": actor, "action": action, "target": target, "court": court,
             "from": since, "to": until, "limit": limit, "before": before}  # fmt: skip
    query = urlencode({key: value for key, value in given.items() if value is not None})
    page = checked(api_call("GET", f"/v1/audit?{query}", token))
    if not page["items"]:
        typer.echo("no entries")
        return
    for line in table([COLUMNS, *[_cells(item) for item in page["items"]]]):
        typer.echo(line)
    if page.get("next_before"):
        typer.echo(f"more: --before {page['next_before']}")
