"""The judge's submission form: form fields to a SubmissionIn, and errors back to form fields."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from api.errors import Loc
from api.requests.bodies import SubmissionIn

MAX_PARTIES = 50
DOCUMENT_SLOTS = 3
ID_FIELD = {"person": "id_number", "organization": "credit_code", "lawyer": "licence_number"}
_SPLIT = re.compile(r"[\s,，;；、]+")

# Chinese messages by the last part of the refused field's path; the form shows them inline.
MESSAGES = {
    "number": "案号格式不正确，例如 (2026)津0103民初1234号",
    "cause": "案由过长（最多 200 字）",
    "procedure": "请选择程序",
    "title": "请填写文书标题",
    "kind": "请选择类型",
    "media_type": "文书须为 PDF 文件",
    "content_base64": "请上传文书文件（PDF，不超过大小限制）",
    "name": "请填写当事人名称",
    "role": "请填写诉讼地位",
    "id_number": "身份证号码无效（长度、出生日期或校验位不正确）",
    "credit_code": "统一社会信用代码无效",
    "licence_number": "律师执业证号无效",
    "phones": "手机号码无效，应为 11 位，以 1 开头",
    "emails": "电子邮箱格式不正确",
    "addresses": "地址或邮编不正确（邮编为 6 位数字）",
    "text": "地址不能为空",
    "postcode": "邮编为 6 位数字",
    "documents": "请至少上传一份文书",
    "parties": "请至少填写一名当事人",
    "mode": "本部署不允许加速时钟",
}


def text(form: FormData, key: str) -> str:
    """Returns a text field of the form, stripped ('' when absent or a file)."""
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def party_count(form: FormData) -> int:
    """Returns how many party fieldsets the form carries (1 without JavaScript)."""
    raw = text(form, "party_count")
    count = int(raw) if raw.isdigit() else 1
    return max(1, min(count, MAX_PARTIES))


def _party(form: FormData, index: int) -> dict[str, Any]:
    key = f"parties-{index}-"
    kind = text(form, key + "kind") or "person"
    address = text(form, key + "address")
    party: dict[str, Any] = {
        "ref": f"P{index + 1}",
        "name": text(form, key + "name"),
        "kind": kind,
        "role": text(form, key + "role") or "defendant",
        "phones": [p for p in _SPLIT.split(text(form, key + "phones")) if p],
        "emails": [e for e in _SPLIT.split(text(form, key + "emails")) if e],
        "addresses": [{"text": address, "postcode": text(form, key + "postcode")}]
        if address
        else [],
        "consent_electronic": form.get(key + "consent") == "on",
        "address_confirmed": form.get(key + "address_confirmed") == "on",
    }
    identity = text(form, key + "identity")
    if identity:
        party[ID_FIELD.get(kind, "id_number")] = identity
    return party


async def _documents(form: FormData) -> list[dict[str, Any]]:
    documents = []
    for index in range(DOCUMENT_SLOTS):
        upload = form.get(f"doc-{index}-file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        content = await upload.read()
        documents.append(
            {
                "kind": text(form, f"doc-{index}-kind") or "summons",
                "title": text(form, f"doc-{index}-title") or upload.filename,
                "media_type": (upload.content_type or "application/pdf").split(";")[0],
                "content_base64": content,
            }
        )
    return documents


async def submission_from_form(
    form: FormData, *, court: dict[str, str], handler: str, clock_seconds: float | None
) -> SubmissionIn:
    """Builds the submission the API would get; raises ValidationError like the API would."""
    body: dict[str, Any] = {
        "external_id": text(form, "external_id"),
        "court": court,
        "case": {
            "number": text(form, "case_number"),
            "cause": text(form, "cause"),
            "procedure": text(form, "procedure"),
            "handler": handler,
        },
        "documents": await _documents(form),
        "parties": [_party(form, index) for index in range(party_count(form))],
    }
    if clock_seconds:
        body["plan"] = {"clock": {"mode": "accelerated", "seconds_per_day": clock_seconds}}
    return SubmissionIn.model_validate(body)


def form_field(loc: Loc) -> str:
    """Maps an error path (body.parties[0].phones[1]) to the form field that shows it."""
    parts = [p for p in loc if p != "body"]
    if parts[:1] == ["case"] and len(parts) > 1:
        return "case_number" if parts[1] == "number" else str(parts[1])
    if parts[:1] == ["documents"] and len(parts) > 2:
        return (
            f"doc-{parts[1]}-file"
            if parts[2] in ("content_base64", "media_type")
            else (f"doc-{parts[1]}-{parts[2]}")
        )
    if parts[:1] == ["parties"] and len(parts) > 2:
        field = str(parts[2])
        if field in ID_FIELD.values():
            field = "identity"
        elif field == "addresses":
            field = "postcode" if "postcode" in parts else "address"
        return f"parties-{parts[1]}-{field}"
    return "form" if not parts else str(parts[0])


def message_for(loc: Loc) -> str:
    """Returns the Chinese message for a refused field."""
    named = [p for p in loc if isinstance(p, str) and p != "body"]
    for part in reversed(named):
        if part in MESSAGES:
            return MESSAGES[part]
    return "此项不正确，请检查"


def form_errors(items: list[tuple[Loc, str]]) -> dict[str, str]:
    """Returns one Chinese message per form field, the first refusal of each field kept."""
    errors: dict[str, str] = {}
    for loc, _english in items:
        errors.setdefault(form_field(loc), message_for(loc))
    return errors


def validation_items(exc: ValidationError) -> list[tuple[Loc, str]]:
    """Returns (path, message) pairs of a pydantic error, never the refused values."""
    return [(tuple(err["loc"]), str(err["msg"])) for err in exc.errors()]
