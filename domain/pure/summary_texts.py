"""What the Temporal UI shows for each activity, timer and child: a clerk's words, masked.

Summaries are metadata, not commands: changing them never breaks a replay. Contacts appear only
by their masked labels (138****0002); case numbers and dates are not personal data.
"""

from __future__ import annotations

import re
from datetime import date

STEP_NAMES = {
    "electronic": "电子送达",
    "phone": "电话送达",
    "mail": "邮寄送达",
    "direct": "直接送达",
    "public_notice": "公告送达",
    "repair": "号码修复",
}
CHANNELS = {
    "phone": "短信至 {label}",
    "email": "电子邮件至 {label}",
    "address": "法院专递至 {label}",
}
FLASH = "闪信提醒至 {label}"
NOTICE = "发布公告"
WAITS = {
    "electronic": "等待送达回执或当事人确认",
    "phone": "等待书记员回填电话结果",
    "mail": "等待邮件签收或退回",
    "direct": "等待法警回填送达结果",
    "public_notice": "公告期",
}
GRACE = "宽限期 · "
OPEN_ORDER = {"phone": "开具电话送达工单", "direct": "开具直接送达工单"}
CLOSE_ORDER = "关闭工单 · {outcome}"
ORDER_POLICY = "读取工单期限与提醒规则"
ORDER_ALERTS = {"reminded": "工单到期提醒 · 期限 {due}", "escalated": "工单超期上报 · 期限 {due}"}
LOAD_NUMBER = "读取当事人提供的号码"
LOAD_ADDRESS = "读取当事人确认的送达地址"
REQUEST_OUTCOME = {"completed": "记录请求结果 · 已完成", "cancelled": "记录请求结果 · 已撤回"}
ARCHIVE = "生成送达归档 · {case}"
CALLBACK = "回传案件系统 · 归档 {sha}"
JUDGE_SMS = "短信通知承办法官 · {case} 已归档"
PARTY_CHILD = "送达当事人 {ref}"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_chinese(text: str) -> bool:
    """Tells whether a summary is already written in Chinese."""
    return bool(_CJK.search(text))


def send_summary(step: str, contact_kind: str, label: str, *, flash: bool = False) -> str:
    """Returns e.g. `电子送达 · 短信至 138****0002`."""
    if step == "public_notice":
        return f"{STEP_NAMES[step]} · {NOTICE}"
    channel = FLASH if flash else CHANNELS.get(contact_kind, "发送至 {label}")
    return f"{STEP_NAMES.get(step, '送达')} · {channel.format(label=label)}"


def wait_summary(step: str | None, until: date, *, grace: bool = False) -> str:
    """Returns e.g. `等待送达回执或当事人确认至 2026-12-09`."""
    text = f"{WAITS.get(step or '', '等待')}至 {until.isoformat()}"
    return GRACE + text if grace else text


PLAN = "制定送达方案"
REPAIR = "号码修复 · 向三家电信运营商查询实名号码"
LOAD_CONTACTS = "读取新增的联系方式"
TRACK = "邮寄送达 · 查询邮件轨迹 {waybill}"
CALENDAR = "读取管理员录入的节假日安排 · {years}"
TRAIL_KINDS = {
    "plan": "送达方案",
    "status": "状态变更",
    "step_started": "开始本步骤",
    "step_failed": "本步骤未成功",
    "step_retried": "重试本步骤",
    "finished": "送达结束",
    "send_failed": "发送失败",
    "repair": "号码修复结果",
    "notice_published": "公告已发布",
    "notice_effective_recomputed": "按节假日安排重算公告期满日",
}


def trail_summary(kind: str) -> str:
    """Returns e.g. `记录送达过程 · 开始本步骤`."""
    return f"记录送达过程 · {TRAIL_KINDS.get(kind, kind)}"


DEADLINE = "读取开庭前的最迟送达日"
DEADLINE_WARNING = "短信提醒承办法官 · 最迟送达日 {latest}"
STATUS_NAMES = {
    "pending": "待处理",
    "serving": "送达中",
    "waiting_human": "待人工处理",
    "served": "已送达",
    "failed": "送达失败",
    "cancelled": "已撤回",
    "stuck": "卡住",
}


def current_details(step: str | None, status: str) -> str:
    """Returns the workflow's current details, e.g. `**电话送达** · 待人工处理`."""
    return f"**{STEP_NAMES.get(step or '', '制定送达方案')}** · {STATUS_NAMES.get(status, status)}"


REQUEST = "送达请求 · {case} · {parties} 名当事人"
