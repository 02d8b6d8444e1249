"""Unit tests for the words songda sends (DOMAIN.md SMS wording, CPL 95 notice)."""

from __future__ import annotations

from domain.pure.texts import (
    ANTI_FRAUD,
    ServiceText,
    email_body,
    email_subject,
    notice_text,
    sms_text,
)

TEXT = ServiceText(
    court_name="天津市河西区人民法院",
    case_number="（2026）津0103民初1234号",
    cause="民间借贷纠纷",
    document_titles=("传票", "应诉通知书"),
    party_name="张三",
)
LINK = "https://songda.example.gov.cn/s/abc123"


def test_sms_matches_the_domain_wording() -> None:
    assert sms_text(TEXT, LINK, "123456") == (
        "【天津市河西区人民法院】张*，您好：本院受理的（2026）津0103民初1234号民间借贷纠纷一案，"
        f"向您送达《传票》《应诉通知书》。请点击 {LINK} 查阅签收，验证码 123456。"
        "法院不会要求转账汇款或索要银行卡密码，核实请拨12368。"
    )


def test_sms_parts() -> None:
    sms = sms_text(TEXT, LINK)
    assert sms.startswith("【天津市河西区人民法院】")
    assert "张*" in sms
    assert "张三" not in sms
    assert TEXT.case_number in sms
    assert "《传票》" in sms
    assert "《应诉通知书》" in sms
    assert LINK in sms
    assert "12368" in sms
    assert sms.endswith(ANTI_FRAUD)
    assert "验证码" not in sms
    assert "视为送达" not in sms


def test_sms_masks_long_names() -> None:
    sms = sms_text(
        ServiceText("某法院", "（2026）京01民终567号", "合同纠纷", ("判决书",), "欧阳娜娜"), LINK
    )
    assert "欧***" in sms
    assert "欧阳" not in sms
    assert "《判决书》" in sms


def test_email_never_carries_the_full_name() -> None:
    assert email_subject(TEXT) == "天津市河西区人民法院送达通知：（2026）津0103民初1234号"
    body = email_body(TEXT, LINK)
    assert body.startswith("张*")
    assert "张三" not in body
    assert LINK in body
    assert "《传票》《应诉通知书》" in body
    assert "12368" in body
    assert "第九十条" in body  # the legal basis, with its article


def test_notice_text_names_article_95_and_the_period() -> None:
    notice = notice_text(TEXT, 30)
    assert "第九十五条" in notice
    assert "经过30日" in notice
    assert "视为送达" in notice
    assert TEXT.case_number in notice
    assert "《传票》《应诉通知书》" in notice
    assert notice_text(TEXT, 60).count("60日") == 1
    assert "30日" not in notice_text(TEXT, 60)
