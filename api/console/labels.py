"""Chinese labels for the console: steps, statuses, methods, document kinds, event kinds."""

from __future__ import annotations

from domain.pure.work_order_rules import CALL_RESULT_WORDS, RELATION_WORDS

STEPS = {
    "plan": "送达方案",
    "repair": "号码修复",
    "electronic": "电子送达",
    "phone": "电话送达",
    "mail": "邮寄送达",
    "direct": "直接送达",
    "public_notice": "公告送达",
}
TASK_STATUS = {
    "pending": "待处理",
    "serving": "送达中",
    "waiting_human": "待人工处理",
    "served": "已送达",
    "failed": "送达失败",
    "cancelled": "已撤回",
    "stuck": "卡住",
}
REQUEST_STATUS = {"in_progress": "进行中", "completed": "已完成", "cancelled": "已撤回"}
DOCUMENT_KINDS = {
    "summons": "传票",
    "complaint_copy": "起诉状副本",
    "response_notice": "应诉通知书",
    "evidence_notice": "举证通知书",
    "hearing_notice": "开庭通知书",
    "judgment": "判决书",
    "ruling": "裁定书",
    "mediation": "调解书",
    "notice": "通知书",
    "other": "其他",
}
PARTY_KINDS = {"person": "自然人", "organization": "法人或其他组织", "lawyer": "律师"}
PARTY_ROLES = {
    "plaintiff": "原告",
    "defendant": "被告",
    "third_party": "第三人",
    "appellant": "上诉人",
    "appellee": "被上诉人",
}
PROCEDURES = {"ordinary": "普通程序", "simplified": "简易程序", "small_claims": "小额诉讼程序"}
ORDER_KINDS = {"phone": "电话送达", "direct": "直接送达"}
ORDER_STATUS = {"open": "待处理", "claimed": "处理中", "closed": "已完成", "expired": "已超期"}
OUTCOMES = {
    "reached_consented": "已联系，同意电子送达",
    "reached_address_confirmed": "已联系，确认送达地址",
    "refused": "拒绝",
    "unreachable": "无法接通",
    "wrong_number": "号码错误",
    "served_in_person": "当面送达",
    "left_at_address": "留置送达",
    "not_found": "未找到受送达人",
}
DETAIL_KEYS = {
    "attempt": "第几次",
    "contacts": "联系方式",
    "reason": "原因",
    "status": "状态",
    "method": "送达方式",
    "served_on": "送达日期",
    "detail": "说明",
    "rule_version": "规则版本",
    "repair_first": "先修复号码",
    "skipped": "跳过的步骤",
    "archive_sha256": "归档 SHA-256",
    "callback": "回调案件系统",
    "judge_sms": "法官短信",
    "rule": "适用规则",
    "article": "法律依据",
    "found": "查询结果",
    "to": "发送至",
    "why": "原因",
    "due": "期限",
    "due_day": "期限",
    "order": "工单",
    "kind": "类型",
    "latest_on": "最迟送达日",
    "projected_on": "预计送达日",
    "confidence": "把握",
    "remedies": "可采取的措施",
    "confirmed": "节假日数据已确认",
    "call_id": "通话编号",
    "number": "号码",
    "agent": "坐席",
    "result": "通话结果",
    "source": "来源",
    "duration_seconds": "通话时长（秒）",
    "at": "时间",
    "waybill": "邮件号",
    "issued_on": "公告发布日",
    "effective_on": "公告期满日",
    "old_effective_on": "原公告期满日",
    "old_served_on": "原送达日期",
    "calendar": "节假日数据",
    "calendar_source": "节假日数据来源",
    "notice_days": "公告期（日）",
    "notice_months": "公告期（月）",
    "notice_roll": "期满日遇节假日顺延",
}
EVENT_KINDS = {
    "plan": "制定送达方案",
    "status": "状态变更",
    "step_started": "开始",
    "step_failed": "未成功",
    "finished": "送达结束",
    "work_order": "送达员工单",
    "archive_note": "归档与回传",
    "attempt": "发起送达",
    "sent": "已发送",
    "delivered": "已送达",
    "failed": "失败",
    "served": "送达完成",
    "outcome": "工单结果",
    "work_order_reminded": "工单到期提醒",
    "work_order_escalated": "工单超期上报",
    "repair": "号码修复查询",
    "send_failed": "发送失败",
    "step_retried": "重试本步骤",
    "step_skipped": "跳过本步骤",
    "deadline": "最迟送达日期",
    "deadline_risk": "可能超过最迟送达日",
    "deadline_sms_failed": "提醒法官的短信发送失败",
    "call_placed": "拨打电话",
    "call": "通话记录",
    "evidence": "证据",
    "tracking": "邮件跟踪",
    "contacts_added": "新增联系方式",
    "cancelled": "已撤回",
    "notice_published": "公告已发布",
    "notice_effective_recomputed": "按节假日安排重算公告期满日",
    "served_on_recomputed": "按节假日安排重算送达日期",
}


def label(table: dict[str, str], key: str | None) -> str:
    """Returns the Chinese label of a key, or the key itself when none is known."""
    if key is None:
        return "—"
    return table.get(key, key)


# The clerk's choices, one label per code of domain/pure/work_order_rules.py.
CALL_RESULT_LABELS: dict[str, str] = dict(CALL_RESULT_WORDS)

# The proof of service and the clerk's form name relations with the same words.
RELATION_LABELS: dict[str, str] = dict(RELATION_WORDS)
