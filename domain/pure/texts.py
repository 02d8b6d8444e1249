"""The words songda sends: SMS, e-mail and public-notice texts (DOMAIN.md wording)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.pure.masking import mask_name

ANTI_FRAUD = "法院不会要求转账汇款或索要银行卡密码，核实请拨12368。"


@dataclass(frozen=True)
class ServiceText:
    """What a message says about the case; the name is masked before it gets here."""

    court_name: str
    case_number: str
    cause: str
    document_titles: tuple[str, ...]
    party_name: str


def _documents(titles: tuple[str, ...]) -> str:
    return "".join(f"《{t}》" for t in titles)


def sms_text(text: ServiceText, link: str, code: str = "") -> str:
    """Returns the service SMS: signature, masked name, case, documents, link, anti-fraud line."""
    verification = f"，验证码 {code}" if code else ""
    return (
        f"【{text.court_name}】{mask_name(text.party_name)}，您好：本院受理的{text.case_number}"
        f"{text.cause}一案，向您送达{_documents(text.document_titles)}。请点击 {link} 查阅签收"
        f"{verification}。{ANTI_FRAUD}"
    )


def flash_text(text: ServiceText) -> str:
    """Returns the flash reminder: short, no link (the handset does not keep it)."""
    name = mask_name(text.party_name)
    return f"【{text.court_name}】{name}，您有法院文书待签收，请查看短信。{ANTI_FRAUD}"


# The legal basis an e-mail names: electronic service and when it takes effect.
EMAIL_BASIS = (
    "依据《中华人民共和国民事诉讼法》第九十条和《人民法院在线诉讼规则》第二十九条至第三十二条，"
    "经您同意以电子方式送达的，文书到达您的电子邮箱之日为送达之日；未经同意的，以您确认收悉为准。"
)


def email_subject(text: ServiceText) -> str:
    """Returns the e-mail subject naming the court and the case (never the content)."""
    return f"{text.court_name}送达通知：{text.case_number}"


def email_body(text: ServiceText, link: str) -> str:
    """Returns the e-mail body: who serves what, and the portal link; no document content."""
    return (
        f"{mask_name(text.party_name)}，您好：\n\n{text.court_name}受理的{text.case_number}"
        f"{text.cause}一案，向您送达{_documents(text.document_titles)}。\n"
        f"请通过以下链接查阅并签收：{link}\n{EMAIL_BASIS}\n\n{ANTI_FRAUD}\n"
    )


def notice_text(text: ServiceText, days: int) -> str:
    """Returns the public notice (CPL 95, Interp. 139): reason, documents and the period."""
    return (
        f"{text.party_name}：本院受理的{text.case_number}{text.cause}一案，因以其他方式无法送达，"
        f"依照《中华人民共和国民事诉讼法》第九十五条的规定，向你公告送达"
        f"{_documents(text.document_titles)}。自公告发出之日起经过{days}日，即视为送达。"
    )
