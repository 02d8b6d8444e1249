"""The telecom operators (China Mobile, Unicom, Telecom) and their outage switch.

Which operator knows a person's number is decided by the data (world.repair_operator); whether
an operator is down or slow is a switch for tests and demos. Switches are records like
everything else the sandbox was asked to do, so `POST /sandbox/reset` ends every outage.
"""

from __future__ import annotations

import asyncio

import structlog
from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse

from domain.pure.masking import mask_id_number, mask_name
from domain.pure.operators import OPERATORS
from sandbox import world
from sandbox.deps import RecordsDep
from sandbox.notifier import now_iso
from sandbox.schemas import (
    LookupIn,
    LookupOut,
    OperatorLookupIn,
    OperatorState,
    OperatorStates,
    OutageIn,
)
from sandbox.state import Records

router = APIRouter()
log = structlog.get_logger(__name__)

SLOW_SECONDS = 5.0
ALIAS_OPERATOR = "cmcc"  # POST /operators/lookup, the single operator of earlier versions
OPERATOR_DOWN = {"error": "operator unavailable"}
_OUTAGES = "operator_outages"


def _known(operator: str) -> str:
    if operator not in OPERATORS:
        raise HTTPException(404, f"unknown operator: use one of {', '.join(OPERATORS)}")
    return operator


def outage_mode(records: Records, operator: str) -> str:
    """Returns the operator's current mode: the last switch since the reset, else ok."""
    switches = records.items(_OUTAGES, lambda item: item["operator"] == operator)
    return str(switches[0]["mode"]) if switches else "ok"


async def _lookup(operator: str, body: LookupIn, records: Records) -> LookupOut | JSONResponse:
    mode = outage_mode(records, operator)
    numbers = [] if mode == "down" else world.repair_numbers(body.id_number, operator)
    masked_id = mask_id_number(body.id_number)
    records.add(
        "repairs",
        {
            "operator": operator,
            "name": mask_name(body.name) if body.name else "",
            "id_number": masked_id,
            "case_number": body.case_number,
            "legal_basis": body.legal_basis,
            "reference": body.reference,
            "mode": mode,
            "numbers": numbers,
            "found": len(numbers),
            "at": now_iso(),
        },
    )
    log.info(
        "sandbox.repair_lookup",
        operator=operator,
        id_number=masked_id,
        found=len(numbers),
        mode=mode,
    )
    if mode == "down":
        return JSONResponse(status_code=503, content=OPERATOR_DOWN)
    if mode == "slow":
        await asyncio.sleep(SLOW_SECONDS)
    return LookupOut(numbers=numbers)


@router.post(
    "/operators/{operator}/lookup",
    response_model=LookupOut,
    tags=["providers"],
    responses={
        404: {"description": "no such operator (cmcc, cucc, ctcc)"},
        503: {"description": "the operator is down (outage switch)"},
    },
)
async def lookup_at_operator(
    operator: str, body: OperatorLookupIn, records: RecordsDep
) -> LookupOut | JSONResponse:
    """Finds a person's working mobile numbers at one operator (telecom repair)."""
    return await _lookup(_known(operator), body, records)


@router.post(
    "/operators/lookup",
    response_model=LookupOut,
    tags=["providers"],
    responses={503: {"description": "China Mobile is down (outage switch)"}},
)
async def lookup_numbers(body: LookupIn, records: RecordsDep) -> LookupOut | JSONResponse:
    """Looks up at China Mobile (cmcc): the single operator of earlier versions."""
    return await _lookup(ALIAS_OPERATOR, body, records)


@router.post(
    "/sandbox/operators/{operator}/outage", response_model=OperatorState, tags=["inspection"]
)
async def switch_outage(operator: str, body: OutageIn, records: RecordsDep) -> OperatorState:
    """Sets an operator down (503), slow (answers after 5 s) or ok, until the next reset."""
    records.add(_OUTAGES, {"operator": _known(operator), "mode": body.mode, "at": now_iso()})
    log.info("sandbox.operator_outage", operator=operator, mode=body.mode)
    return OperatorState(operator=operator, mode=body.mode)


@router.get("/sandbox/operators", response_model=OperatorStates, tags=["inspection"])
async def list_operators(records: RecordsDep) -> OperatorStates:
    """Lists every operator with its current outage mode."""
    return OperatorStates(
        items=[OperatorState(operator=o, mode=outage_mode(records, o)) for o in OPERATORS]
    )
