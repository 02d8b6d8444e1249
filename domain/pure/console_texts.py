"""The console's words in Chinese, as data beside the rules: reasons, outcomes, rules, kinds.

The API keeps its stable English codes and sentences for machines; the console shows these.
A reason is matched by its leading phrase; laws are named by their Chinese titles with the
article. Anything not listed falls back to a Chinese sentence for its step, never English.
"""

from __future__ import annotations

import re

from domain.pure.work_order_rules import CALL_RESULT_WORDS

LAWS = {
    "CPL": "《民事诉讼法》",
    "Interp.": "《民诉法解释》",
    "Online Litigation Rules": "《人民法院在线诉讼规则》",
    "Court special post rules": "《法院专递规定》",
    "Simple means rules": "《简便方式送达规定》",
    "SPC": "最高人民法院规定",
}
# Leading phrase of a plan reason → the reason in Chinese (the article is appended).
PLAN_REASONS = (
    (
        "electronic first as a reminder",
        "先发电子提醒：当事人未同意电子送达，仅当事人在门户中确认收悉才视为送达",
    ),
    ("electronic", "电子送达：当事人同意的电子地址，送达回执到达即视为送达"),
    ("a clerk calls", "书记员录音电话联系，核实身份、送达地址并征询电子送达同意"),
    ("a number the party gave", "拨打当事人向书记员提供的号码"),
    ("court post", "法院专递寄往送达地址：签收或拒收即视为送达"),
    ("mail", "法院专递邮寄送达"),
    ("a bailiff", "法警到送达地址当面送达"),
    ("last resort", "其他方式均无法送达后公告送达，公告期满视为送达"),
    ("ask the telecom operators", "先向电信运营商查询当事人实名登记的号码"),
)
STEP_FALLBACK = {
    "electronic": "电子送达",
    "phone": "书记员电话联系",
    "mail": "法院专递邮寄送达",
    "direct": "法警直接送达",
    "public_notice": "公告送达",
    "repair": "号码修复",
}
# Exact or leading phrases of outcomes and failures the workflows record.
OUTCOME_TEXTS = (
    ("every electronic address failed", "所有电子地址均发送失败"),
    ("no letter served", "邮件未能送达（退回）"),
    ("no mobile number or e-mail to use", "没有可用的手机号码或电子邮箱"),
    ("no outcome from the bailiff before the deadline", "法警在期限内未回填结果"),
    ("no outcome from the clerk before the deadline", "书记员在期限内未回填结果"),
    ("no receipt that serves before the deadline", "期限内没有可视为送达的回执"),
    ("party confirmed an address", "当事人确认了送达地址：下一步邮寄至该地址"),
    ("party consented on the phone and gave", "当事人电话中同意电子送达并提供号码：下一步电子送达"),
    ("party consented on the phone", "当事人电话中同意电子送达：下一步电子送达"),
    ("the notice board kept failing", "公告平台持续故障"),
    ("notice period interrupted", "公告期被中断"),
    ("provider kept failing", "通道持续故障"),
    ("bailiff:", "法警回填结果"),
    ("clerk:", "书记员回填结果"),
    ("signed for", "已签收，签收日视为送达"),
    ("refusal", "拒收，退回日视为送达"),
    ("delivery report", "送达回执到达当事人同意的电子地址，到达日视为送达"),
    ("confirmed in the portal", "当事人在门户中确认收悉"),
    ("served in person", "当面送达"),
    ("left at", "留置送达"),
    ("effective date provisional", "公告期满日暂定：缺少相关年份的节假日数据（录入后重算）"),
    ("public notice", "公告期满视为送达"),
    ("nothing", "未查到"),
    ("no judge with a phone", "本院没有登记手机号码的承办法官，未发短信"),
    (
        "address confirmed to the clerk",
        "当事人向书记员确认了送达地址（送达地址确认书）：邮寄至该地址",
    ),
    ("consent given to the clerk", "当事人向书记员表示同意电子送达：送达回执即视为送达"),
    ("new address received", "收到新的送达地址：邮寄至该地址"),
    ("new contact received", "收到新的联系方式：先行尝试"),
)
# Codes a detail may carry, shown as words; other codes, ids and hashes pass through.
CODES = {
    "delivered": "已送达",
    "sent": "已发送",
    "failed": "失败",
    "skipped": "未发送",
    "mail_signed": "已签收",
    "mail_refused": "拒收",
    "mail_returned": "退回",
    "no_such_recipient": "查无此人",
    "nothing": "未查到",
    **CALL_RESULT_WORDS,
    "clerk": "书记员录入",
    "cti": "呼叫中心",
    "manual": "手工录入",
    "refused": "被拒绝",
    "no callback_url": "请求未提供回调地址",
    "unconfirmed (provisional)": "暂定（缺少节假日数据）",
    "confirmed": "已确认",
}
_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'()-]+[A-Za-z]{2,}){2,}")
_ARTICLE = re.compile(
    r"(CPL|Interp\.|Online Litigation Rules|Court special post rules|SPC)\s*([\d\-–, ]+)"
)


def law_text(article: str) -> str:
    """Names the laws and articles in Chinese: "CPL 91; Interp. 138" → 《民事诉讼法》第91条…"""
    parts = []
    for law, numbers in _ARTICLE.findall(article):
        numbers = numbers.strip(" ,").replace("-", "—")
        parts.append(f"{LAWS[law]}第{numbers}条")
    return "；".join(parts)


def _with_articles(text: str, english: str) -> str:
    laws = law_text(english)
    return f"{text}（{laws}）" if laws else text


def plan_reason(step: str | None, english: str) -> str:
    """Returns the plan's reason for a step in Chinese, with its laws and articles."""
    for phrase, chinese in PLAN_REASONS:
        if english.startswith(phrase):
            return _with_articles(chinese, english)
    return _with_articles(STEP_FALLBACK.get(step or "", "送达步骤"), english)


def outcome_text(english: str) -> str:
    """Returns an outcome, failure or rule in Chinese; codes, ids and numbers pass through."""
    if english in CODES:
        return CODES[english]
    if not _SENTENCE.search(english):
        return english
    for phrase, chinese in OUTCOME_TEXTS:
        if english.startswith(phrase) or f", {phrase}" in english:
            return _with_articles(chinese, english)
    for phrase, chinese in PLAN_REASONS:
        if english.startswith(phrase):
            return _with_articles(chinese, english)
    return _with_articles("见原因说明", english)
