"""The call script's words, as data: sections, and rules per document kind and procedure.

Placeholders: {court} {case} {cause} {documents} {party} {procedure}.
Lines starting with 提示 are notes for the clerk, not to be read out. An amendment of the law
is an edit here and a new RULE_VERSION, never a branch in the code.
"""

from __future__ import annotations

from domain.pure.texts import ANTI_FRAUD

RULE_VERSION = "call-script-2026.1"

NOTE = "提示："

DOCUMENT_NAMES = {
    "summons": "传票",
    "complaint_copy": "起诉状副本",
    "response_notice": "应诉通知书",
    "evidence_notice": "举证通知书",
    "hearing_notice": "开庭通知书",
    "judgment": "判决书",
    "ruling": "裁定书",
    "mediation": "调解书",
    "notice": "通知书",
    "other": "诉讼文书",
}

PROCEDURE_NAMES = {"ordinary": "普通程序", "simplified": "简易程序", "small_claims": "小额诉讼程序"}

OPENING = (
    "您好，这里是{court}送达工作人员，本次通话全程录音。",
    "请问您是{party}吗？",
)

# Identity is confirmed by what the party says; the clerk never reads an ID number out.
IDENTITY = {
    "person": (
        "为核实身份，请您报一下您的姓名和身份证号码的后四位。",
        NOTE + "只听对方报出并与系统核对，不要读出或提示身份证号码。",
    ),
    "organization": (
        "请问您是该单位的法定代表人、负责人，还是负责收件的工作人员？请报一下您的姓名和职务。",
        NOTE + "核对单位名称与统一社会信用代码的后四位，由对方报出，不要读出。",
    ),
    "lawyer": (
        "请报一下您的姓名、执业律师事务所和执业证号的后四位，并确认您是本案的诉讼代理人。",
        NOTE + "只听对方报出并与系统核对，不要读出执业证号。",
    ),
}

CASE = (
    "{court}受理的{case}{cause}一案，本案适用{procedure}。",
    "本院依法向您送达{documents}。",
)

ADDRESS = (
    "请您确认能够收到法院诉讼文书的送达地址、邮政编码和联系电话（送达地址确认书）。",
    "您确认的送达地址适用于本案一审、二审、再审和执行程序；地址变更的，请及时书面告知法院。",
    "因您提供或确认的地址不准确、变更未及时告知，导致文书被退回的，退回之日视为送达之日。",
)

CONSENT = (
    "请问您是否同意法院通过手机短信、电子邮件等电子方式向您送达诉讼文书？",
    "说明：依照《民事诉讼法》第九十条和《人民法院在线诉讼规则》第二十九条，经您同意，"
    "法院可以电子方式送达诉讼文书，包括判决书、裁定书、调解书。",
    "文书到达您确认的手机号码或电子邮箱系统之日，即为送达之日；您需要纸质文书的，可以向法院申请。",
    "请确认用于电子送达的手机号码或电子邮箱。",
    NOTE + "对方同意的，在工单上记录“同意电子送达”；不同意的，如实记录，不得诱导。",
)

# Rights and duties per document kind; a (kind, procedure) entry overrides the kind's default.
RIGHTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("summons", "*"): (
        "请按传票载明的时间、地点准时到庭参加诉讼。",
        "经传票传唤，无正当理由拒不到庭的，原告可以按撤诉处理，被告可以缺席判决"
        "（《民事诉讼法》第一百四十六条、第一百四十七条）。",
    ),
    ("hearing_notice", "*"): ("请按开庭通知书载明的时间、地点到庭参加诉讼。",),
    ("complaint_copy", "*"): (
        "请您在收到起诉状副本之日起十五日内提交答辩状（《民事诉讼法》第一百二十八条）；"
        "不提交答辩状的，不影响本院审理。",
    ),
    ("response_notice", "*"): (
        "请您在收到起诉状副本之日起十五日内提交答辩状（《民事诉讼法》第一百二十八条）；"
        "不提交答辩状的，不影响本院审理。",
        "您享有委托诉讼代理人、申请回避、提出管辖权异议等诉讼权利，应当遵守诉讼秩序。",
    ),
    # Interpretation Arts 99, 266, 277: the evidence period by procedure.
    ("evidence_notice", "*"): (
        "请在举证通知书载明的举证期限内提交证据；逾期提交的，可能承担不利后果。",
    ),
    ("evidence_notice", "ordinary"): (
        "本案举证期限不少于十五日，以举证通知书载明的为准；逾期提交证据的，可能承担不利后果。",
    ),
    ("evidence_notice", "simplified"): (
        "本案举证期限不超过十五日，以举证通知书载明的为准；逾期提交证据的，可能承担不利后果。",
    ),
    ("evidence_notice", "small_claims"): (
        "本案举证期限一般不超过七日，以举证通知书载明的为准；逾期提交证据的，可能承担不利后果。",
    ),
    ("judgment", "*"): (
        "如不服本判决，可以在判决书送达之日起十五日内向本院递交上诉状，上诉于上一级人民法院"
        "（《民事诉讼法》第一百七十一条）。",
    ),
    ("judgment", "small_claims"): (
        "本案适用小额诉讼程序，实行一审终审，判决为终审判决，不能上诉。",
    ),
    ("ruling", "*"): (
        "对依法可以上诉的裁定不服的，可以在裁定书送达之日起十日内向本院递交上诉状"
        "（《民事诉讼法》第一百七十一条）。",
    ),
    ("ruling", "small_claims"): (
        "本案适用小额诉讼程序，实行一审终审，裁定一经作出即发生法律效力。",
    ),
    ("mediation", "*"): (
        "调解书经双方当事人签收后，即具有法律效力（《民事诉讼法》第一百条）。",
        "调解书须由您本人或您委托的代理人签收。",
    ),
    ("notice", "*"): ("请按通知书载明的事项和期限办理。",),
    ("other", "*"): ("如对文书内容有疑问，可以向承办法官咨询。",),
}

# Notes for the clerk that follow from the documents or the procedure (rules, not wording).
KIND_NOTES: dict[str, tuple[str, ...]] = {
    "judgment": (
        NOTE + "判决书、裁定书不得以电话等简便方式送达（民诉法解释第二百六十一条）："
        "本次通话只告知、确认地址或电子送达，文书另行送达。",
    ),
    "ruling": (
        NOTE + "判决书、裁定书不得以电话等简便方式送达（民诉法解释第二百六十一条）："
        "本次通话只告知、确认地址或电子送达，文书另行送达。",
    ),
    "mediation": (NOTE + "调解书不适用留置送达、公告送达和简便方式，须当事人签收后生效。",),
}
PROCEDURE_NOTES: dict[str, tuple[str, ...]] = {
    "simplified": (
        NOTE + "简易程序以电话通知开庭的，须请对方明确确认已收到通知，录音即为证据；"
        "未经确认的，不能据此缺席判决（民诉法解释第二百六十一条）。",
    ),
    "small_claims": (NOTE + "小额诉讼程序实行一审终审，请向对方说明。",),
}

ANTI_FRAUD_LINES = (
    ANTI_FRAUD,
    "法院工作人员不会在电话中向您索要身份证号码、银行卡号或验证码。",
)

CLOSING = (
    "请问您还有什么问题吗？感谢您的配合，再见。",
    NOTE + "挂机后在工单上记录结果：同意电子送达、确认地址、拒绝、无法接通或号码错误。",
)

HEADINGS = {
    "opening": "开场",
    "identity": "核实身份",
    "case": "案件与送达文书",
    "address": "确认送达地址",
    "consent": "电子送达意愿",
    "rights": "权利义务告知",
    "anti_fraud": "防诈骗提示",
    "closing": "结束通话",
}

TITLE = "电话送达话术 · {case}"
