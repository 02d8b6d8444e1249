"""The call script: its sections, and the rules per document kind and procedure."""

from __future__ import annotations

from domain.pure.call_script import CallScript, clerk_notes, rights_lines, script_for
from domain.pure.call_script_texts import RULE_VERSION


def make(kinds: list[str], procedure: str = "ordinary", party_kind: str = "person") -> CallScript:
    """Returns the script for documents of these kinds, titled by their usual names."""
    return script_for(
        court_name="天津市河西区人民法院",
        case_number="（2026）津0103民初1234号",
        cause="民间借贷纠纷",
        procedure=procedure,
        documents=[(kind, "") for kind in kinds],
        party_name="张三丰",
        party_kind=party_kind,
    )


def text(script: CallScript) -> str:
    """Returns every line of the script as one text."""
    return "\n".join(line for section in script.sections for line in section.lines)


def section(script: CallScript, heading: str) -> tuple[str, ...]:
    """Returns the lines of one section."""
    return next(s.lines for s in script.sections if s.heading == heading)


def test_script_has_every_part_in_call_order() -> None:
    script = make(["summons"])
    headings = [s.heading for s in script.sections]
    assert headings == [
        "开场", "核实身份", "案件与送达文书", "确认送达地址", "电子送达意愿", "权利义务告知",
        "防诈骗提示", "结束通话",
    ]  # fmt: skip
    assert script.title == "电话送达话术 · （2026）津0103民初1234号"
    assert script.version == RULE_VERSION


def test_case_documents_and_masked_name() -> None:
    script = make(["summons", "response_notice"], procedure="simplified")
    case = "\n".join(section(script, "案件与送达文书"))
    assert "天津市河西区人民法院受理的（2026）津0103民初1234号民间借贷纠纷一案" in case
    assert "本案适用简易程序" in case
    assert "《传票》《应诉通知书》" in case
    assert "张**" in text(script)
    assert "张三丰" not in text(script)


def test_identity_is_stated_by_the_party_never_read_out() -> None:
    lines = "\n".join(section(make(["summons"]), "核实身份"))
    assert "姓名和身份证号码的后四位" in lines
    assert "不要读出" in lines
    organization = "\n".join(section(make(["summons"], party_kind="organization"), "核实身份"))
    assert "法定代表人" in organization


def test_address_consent_and_anti_fraud_are_always_asked() -> None:
    script = make(["other"])
    assert "送达地址确认书" in "\n".join(section(script, "确认送达地址"))
    consent = "\n".join(section(script, "电子送达意愿"))
    assert "第九十条" in consent and "第二十九条" in consent and "同意" in consent
    assert "12368" in "\n".join(section(script, "防诈骗提示"))


def test_summons_explains_attendance_and_default() -> None:
    rights = "\n".join(rights_lines(["summons"], "ordinary"))
    assert "准时到庭" in rights
    assert "缺席判决" in rights


def test_appeal_periods_of_judgment_and_ruling() -> None:
    assert "十五日内" in "\n".join(rights_lines(["judgment"], "ordinary"))
    assert "十日内" in "\n".join(rights_lines(["ruling"], "simplified"))


def test_small_claims_judgment_is_final() -> None:
    rights = "\n".join(rights_lines(["judgment"], "small_claims"))
    assert "一审终审" in rights
    assert "十五日内" not in rights


def test_evidence_period_follows_the_procedure() -> None:
    assert "不少于十五日" in rights_lines(["evidence_notice"], "ordinary")[0]
    assert "不超过十五日" in rights_lines(["evidence_notice"], "simplified")[0]
    assert "七日" in rights_lines(["evidence_notice"], "small_claims")[0]


def test_same_duty_from_two_documents_is_said_once() -> None:
    rights = rights_lines(["complaint_copy", "response_notice"], "ordinary")
    assert sum("十五日内提交答辩状" in line for line in rights) == 1


def test_mediation_needs_signature() -> None:
    rights = "\n".join(rights_lines(["mediation"], "ordinary"))
    assert "签收后，即具有法律效力" in rights
    assert any("不适用留置送达" in note for note in clerk_notes(["mediation"], "ordinary"))


def test_notes_for_simple_means_and_judgments() -> None:
    simplified = "\n".join(clerk_notes(["summons"], "simplified"))
    assert "第二百六十一条" in simplified and "确认" in simplified
    assert clerk_notes(["summons"], "ordinary") == ()
    judgment = "\n".join(clerk_notes(["judgment"], "ordinary"))
    assert "不得以电话" in judgment


def test_unknown_kind_falls_back_to_the_generic_line() -> None:
    assert rights_lines(["no_such_kind"], "ordinary") == rights_lines(["other"], "ordinary")


def test_own_titles_are_used() -> None:
    script = script_for(
        court_name="某法院", case_number="（2026）津0103民初1号", cause="", procedure="ordinary",
        documents=[("notice", "缴费通知书")], party_name="李四",
    )  # fmt: skip
    assert "《缴费通知书》" in text(script)
