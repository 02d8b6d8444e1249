"""The clerk's forms: outcome (with the direct-service record), manual call; Chinese errors."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from starlette.datastructures import FormData

from api.console.judge_form import text
from api.errors import ApiError, Conflict, Invalid, NotFound, Unavailable
from api.work_orders.bodies import CallIn, OutcomeIn

BEIJING = ZoneInfo("Asia/Shanghai")
MESSAGES = {
    "outcome": "请选择适用于此工单的结果（无法接通须在不同时段多次拨打后才能选择）",
    "address": "请填写确认的送达地址",
    "text": "请填写确认的送达地址",
    "postcode": "邮编为 6 位数字",
    "phone": "手机号码无效，应为 11 位，以 1 开头",
    "note": "备注过长",
    "place": "请填写送达地点",
    "at": "请填写送达时间",
    "latitude": "纬度无效",
    "longitude": "经度无效",
    "recipient": "请填写签收人",
    "relation": "请选择签收人与受送达人的关系",
    "witness": "留置送达须填写见证人，或上传照片/视频",
    "started_at": "请填写开始时间",
    "ended_at": "结束时间不能早于开始时间",
    "result": "请选择通话结果",
    "kind": "请选择证据类型",
    "file": "请选择文件（类型和大小须符合要求）",
    "service": "请填写直接送达记录",
}


def beijing_time(value: str) -> datetime | None:
    """Reads a datetime-local value as Beijing time (aware), None when empty or malformed."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=BEIJING) if value else None
    except ValueError:
        return None


def _service(form: FormData) -> dict[str, Any] | None:
    place = text(form, "place")
    if not place:
        return None
    record: dict[str, Any] = {
        "place": place,
        "at": beijing_time(text(form, "at")),
        "recipient": text(form, "recipient") or None,
        "relation": text(form, "relation") or None,
        "witness": text(form, "witness") or None,
        "refusal_recorded": form.get("refusal_recorded") == "on",
    }
    for key in ("latitude", "longitude"):
        raw = text(form, key)
        record[key] = raw or None
    return record


def outcome_from_form(form: FormData) -> OutcomeIn:
    """Builds the outcome body the API takes; raises ValidationError like the API would."""
    address = text(form, "address")
    body: dict[str, Any] = {
        "outcome": text(form, "outcome"),
        "note": text(form, "note"),
        "address": {"text": address, "postcode": text(form, "postcode")} if address else None,
        "phone": text(form, "phone") or None,
        "service": _service(form),
    }
    return OutcomeIn.model_validate(body)


def call_from_form(form: FormData) -> CallIn:
    """Builds a manual call record from the form (Beijing times)."""
    body = {
        "started_at": beijing_time(text(form, "started_at")),
        "ended_at": beijing_time(text(form, "ended_at")),
        "result": text(form, "result"),
    }
    return CallIn.model_validate(body)


def _field(loc: tuple[Any, ...]) -> str:
    named = [str(p) for p in loc if isinstance(p, str) and p != "body"]
    for part in reversed(named):
        if part in MESSAGES:
            return part
    return "form"


def errors_of(exc: Exception) -> dict[str, str]:
    """Returns Chinese messages by form field for a refusal of the service code."""
    if isinstance(exc, ValidationError):
        locs = [tuple(err["loc"]) for err in exc.errors()]
    elif isinstance(exc, Invalid):
        locs = [loc for loc, _ in exc.errors]
    else:
        return {"form": _general(exc)}
    errors: dict[str, str] = {}
    for loc in locs:
        field = _field(loc)
        errors.setdefault(field, MESSAGES.get(field, "提交内容有误，请检查"))
    return errors


def _general(exc: Exception) -> str:
    if isinstance(exc, Conflict):
        return "该工单已结束或由其他人员处理，无法执行此操作"
    if isinstance(exc, NotFound):
        return "没有这个工单"
    if isinstance(exc, Unavailable):
        return "后台服务暂不可用，请稍后重试"
    if isinstance(exc, ApiError):
        return "操作未成功，请检查后重试"
    return "操作未成功"
