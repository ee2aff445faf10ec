"""The built-in SMS templates, safe rendering and SMS length counting.

Chinese SMS providers accept only pre-approved templates under an approved signature (签名), so each
event has a fixed template code and fixed parameter names; the city office may edit the wording (a new
version) and the provider's template id, never the parameters the code supplies.

Every template code a caller passes to ``services.send`` is a constant of :class:`TemplateCode`, so a
test can check that each one exists and renders (Art. 11: the receipt must never fail to render).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
SIGNATURE = "【长春市网上办事大厅】"

# UCS-2 (any Chinese character): 70 in one SMS, 67 per segment when concatenated (the UDH takes 3).
UCS2_SINGLE, UCS2_SEGMENT = 70, 67
# GSM 03.38 7-bit (plain Latin text): 160 in one SMS, 153 per segment.
GSM_SINGLE, GSM_SEGMENT = 160, 153
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")


class TemplateCode:
    """Every template code used in code: pass these constants to ``services.send``."""

    VERIFICATION_CODE = "verification_code"
    APPLICATION_RECEIPT = "application_receipt"
    CORRECTION_NOTICE = "correction_notice"
    APPOINTMENT_CONFIRMATION = "appointment_confirmation"
    REPLY_NOTICE = "reply_notice"
    DEADLINE_WARNING = "deadline_warning"
    APPOINTMENT_REMINDER = "appointment_reminder"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPLICATION_ACCEPTED = "application_accepted"
    APPLICATION_NOT_ACCEPTED = "application_not_accepted"
    APPLICATION_SUSPENDED = "application_suspended"
    APPLICATION_EXTENDED = "application_extended"
    APPLICATION_DECIDED = "application_decided"
    APPLICATION_OVERDUE = "application_overdue"
    LICENSE_STATUS_CHANGED = "license_status_changed"
    # 咨询投诉与好差评 (issue 10)
    FEEDBACK_EVALUATION_INVITE = "feedback_evaluation_invite"
    FEEDBACK_DUE_SOON = "feedback_due_soon"
    FEEDBACK_OVERDUE = "feedback_overdue"
    FEEDBACK_RECTIFICATION = "feedback_rectification"
    FEEDBACK_CHASED = "feedback_chased"
    # 网上预审与窗口受理 (issue 8: channels)
    PRE_REVIEW_PASSED = "pre_review_passed"
    WINDOW_ACCOUNT_CREATED = "window_account_created"
    # 电子证照 (issue 9 step 2): a license approved during an outage, issued later
    LICENSE_ISSUED = "license_issued"
    # 好差评 sweep (issue 10): invitation reminders, rectification deadlines
    FEEDBACK_EVALUATION_REMINDER = "feedback_evaluation_reminder"
    FEEDBACK_RECTIFICATION_DUE = "feedback_rectification_due"
    FEEDBACK_RECTIFICATION_OVERDUE = "feedback_rectification_overdue"

    @classmethod
    def all(cls) -> list[str]:
        return [value for name, value in vars(cls).items() if name.isupper()]


@dataclass(frozen=True)
class DefaultTemplate:
    """A template as shipped: seeded as version 1 by ``services.ensure_templates``."""

    name: str
    text_zh: str
    text_en: str
    params: tuple[str, ...]
    sample: dict[str, str]
    provider_template_id: str
    urgent: bool = False  # legal notices and codes: never held back by quiet hours
    throttled: bool = False  # triggered by anonymous requests: per-number and global rate limits
    note: str = field(default="")


DEFAULT_TEMPLATES: dict[str, DefaultTemplate] = {
    TemplateCode.VERIFICATION_CODE: DefaultTemplate(
        name="短信验证码",
        text_zh=SIGNATURE + "您的验证码为{code}，{minutes}分钟内有效。如非本人操作请忽略。",
        text_en="[Changchun Online Service Hall] Your verification code is {code}, valid for "
        "{minutes} minutes. Ignore this message if you did not request it.",
        params=("code", "minutes"),
        sample={"code": "123456", "minutes": "5"},
        provider_template_id="SMS_CC_0001",
        urgent=True,
        throttled=True,
        note="注册、找回密码、更换手机号",
    ),
    TemplateCode.APPLICATION_RECEIPT: DefaultTemplate(
        name="申请回执",
        text_zh=SIGNATURE + "您申请的“{item}”已成功提交，业务编号{number}，当前进度：{progress}。"
        "可凭业务编号在网上办事大厅查询办理进度。",
        text_en="[Changchun Online Service Hall] Your application for {item} was submitted. "
        "Business number {number}; progress: {progress}.",
        params=("number", "item", "progress"),
        sample={"number": "2201002026112400001", "item": "食品经营许可（新办）", "progress": "待受理"},
        provider_template_id="SMS_CC_0002",
        urgent=True,  # Art. 11: the receipt follows the submission at once, day or night
        note="《条例》第十一条：申请回执",
    ),
    TemplateCode.CORRECTION_NOTICE: DefaultTemplate(
        name="补正告知",
        text_zh=SIGNATURE + "您的业务{number}（{item}）需补正材料，请于{deadline}前登录网上办事大厅"
        "查看一次性告知书并补正。",
        text_en="[Changchun Online Service Hall] Application {number} ({item}) needs corrected "
        "materials by {deadline}. Please read the notice online.",
        params=("number", "item", "deadline"),
        sample={"number": "2201002026112400001", "item": "食品经营许可（新办）", "deadline": "2026年12月1日"},
        provider_template_id="SMS_CC_0003",
        urgent=True,  # a legal notice: it starts the applicant's correction period
        note="《条例》第十二条：一次性告知",
    ),
    TemplateCode.APPOINTMENT_CONFIRMATION: DefaultTemplate(
        name="预约确认",
        text_zh=SIGNATURE + "您已预约{time}到{centre}办理“{item}”，预约号{number}。请携带身份证件按时到达。",
        text_en="[Changchun Online Service Hall] Booked: {item} at {centre}, {time}. Booking number {number}.",
        params=("number", "item", "centre", "time"),
        sample={
            "number": "YY20261124001",
            "item": "不动产登记",
            "centre": "长春市政务服务中心",
            "time": "11月25日 09:30",
        },
        provider_template_id="SMS_CC_0004",
        urgent=True,
        note="《条例》第八条：网上预约",
    ),
    TemplateCode.REPLY_NOTICE: DefaultTemplate(
        name="答复通知",
        text_zh=SIGNATURE + "您提交的{kind}（编号{number}）已有答复，请登录网上办事大厅查看。",
        text_en="[Changchun Online Service Hall] Your {kind} ({number}) has been answered. "
        "Please sign in to read the reply.",
        params=("kind", "number"),
        sample={"kind": "咨询", "number": "ZX20261124001"},
        provider_template_id="SMS_CC_0005",
        note="《条例》第十五条：咨询投诉答复",
    ),
    TemplateCode.DEADLINE_WARNING: DefaultTemplate(
        name="到期提醒",
        text_zh=SIGNATURE + "您的业务{number}（{item}）将于{deadline}到期，请及时处理。",
        text_en="[Changchun Online Service Hall] Application {number} ({item}) is due on {deadline}.",
        params=("number", "item", "deadline"),
        sample={"number": "2201002026112400001", "item": "食品经营许可（新办）", "deadline": "2026年12月1日"},
        provider_template_id="SMS_CC_0006",
        note="到期提醒（非紧急，免打扰时段内顺延）",
    ),
    TemplateCode.APPOINTMENT_REMINDER: DefaultTemplate(
        name="预约提醒",
        text_zh=SIGNATURE + "提醒：您预约了{time}到{centre}办理“{item}”，预约号{number}。如不能到场请提前取消。",
        text_en="[Changchun Online Service Hall] Reminder: {item} at {centre}, {time}. Booking number {number}. "
        "Please cancel in advance if you cannot come.",
        params=("number", "item", "centre", "time"),
        sample={"number": "K7QX3M9P", "item": "不动产登记", "centre": "长春市政务服务中心", "time": "11月25日 09:30"},
        provider_template_id="SMS_CC_0007",
        note="预约前一工作日提醒（非紧急，免打扰时段内顺延）",
    ),
    TemplateCode.APPOINTMENT_CANCELLED: DefaultTemplate(
        name="预约取消通知",
        text_zh=SIGNATURE + "您{time}在{centre}的预约（预约号{number}）已取消，原因：{reason}。",
        text_en="[Changchun Online Service Hall] Your booking {number} at {centre}, {time} was cancelled: {reason}.",
        params=("number", "centre", "time", "reason"),
        sample={"number": "K7QX3M9P", "centre": "长春市政务服务中心", "time": "11月25日 09:30", "reason": "本人取消"},
        provider_template_id="SMS_CC_0008",
        urgent=True,  # the applicant must know before setting out
        note="《条例》第八条：工作人员取消须说明原因",
    ),
    TemplateCode.APPLICATION_ACCEPTED: DefaultTemplate(
        name="受理通知",
        text_zh=SIGNATURE + "您的业务{number}（{item}）已受理，将于{deadline}前作出决定。"
        "受理通知书可登录网上办事大厅查看。",
        text_en="[Changchun Online Service Hall] Application {number} ({item}) was accepted; "
        "a decision is due by {deadline}.",
        params=("number", "item", "deadline"),
        sample={"number": "2201002026112400001", "item": "食品经营许可（新办）", "deadline": "2026年12月23日"},
        provider_template_id="SMS_CC_0009",
        urgent=True,  # a legal notice (Licensing Law Art. 32)
        note="《行政许可法》第三十二条：受理",
    ),
    TemplateCode.APPLICATION_NOT_ACCEPTED: DefaultTemplate(
        name="不予受理通知",
        text_zh=SIGNATURE + "您的业务{number}（{item}）不予受理，请登录网上办事大厅查看不予受理通知书及理由。",
        text_en="[Changchun Online Service Hall] Application {number} ({item}) was not accepted. "
        "Please sign in to read the notice and its reasons.",
        params=("number", "item"),
        sample={"number": "2201002026112400001", "item": "食品经营许可（新办）"},
        provider_template_id="SMS_CC_0010",
        urgent=True,
        note="《行政许可法》第三十二条：不予受理",
    ),
    TemplateCode.APPLICATION_SUSPENDED: DefaultTemplate(
        name="特别程序告知",
        text_zh=SIGNATURE + "您的业务{number}（{item}）需进行{procedure}，所需时间不计入办理期限，"
        "请登录网上办事大厅查看告知书。",
        text_en="[Changchun Online Service Hall] Application {number} ({item}) needs {procedure}; "
        "that time does not count towards the limit.",
        params=("number", "item", "procedure"),
        sample={"number": "2201002026112400001", "item": "食品经营许可（新办）", "procedure": "现场核查"},
        provider_template_id="SMS_CC_0011",
        urgent=True,
        note="《行政许可法》第四十五条：特别程序书面告知",
    ),
    TemplateCode.APPLICATION_EXTENDED: DefaultTemplate(
        name="延期告知",
        text_zh=SIGNATURE + "您的业务{number}（{item}）经批准延长办理期限至{deadline}，请登录网上办事大厅查看告知书。",
        text_en="[Changchun Online Service Hall] The time limit of application {number} ({item}) "
        "was extended to {deadline}.",
        params=("number", "item", "deadline"),
        sample={"number": "2201002026112400001", "item": "食品经营许可（新办）", "deadline": "2027年1月8日"},
        provider_template_id="SMS_CC_0012",
        urgent=True,
        note="《行政许可法》第四十二条：延长期限告知",
    ),
    TemplateCode.APPLICATION_DECIDED: DefaultTemplate(
        name="决定通知",
        text_zh=SIGNATURE + "您的业务{number}（{item}）已作出{result}决定，"
        "请登录网上办事大厅查看决定书，欢迎评价本次服务。",
        text_en="[Changchun Online Service Hall] A decision ({result}) was made on application {number} ({item}). "
        "Please sign in to read it and rate the service.",
        params=("number", "item", "result"),
        sample={"number": "2201002026112400001", "item": "食品经营许可（新办）", "result": "准予许可"},
        provider_template_id="SMS_CC_0013",
        urgent=True,
        note="《行政许可法》第三十八条：书面决定",
    ),
    TemplateCode.APPLICATION_OVERDUE: DefaultTemplate(
        name="超期督办",
        text_zh=SIGNATURE + "业务{number}（{item}）已超过{deadline}的办理期限，责任部门：{department}，请督促办理。",
        text_en="[Changchun Online Service Hall] Application {number} ({item}) is past its {deadline} "
        "limit; responsible department: {department}.",
        params=("number", "item", "deadline", "department"),
        sample={
            "number": "2201002026112400001",
            "item": "食品经营许可（新办）",
            "deadline": "2026年12月1日",
            "department": "长春市市场监督管理局",
        },
        provider_template_id="SMS_CC_0014",
        note="超期督办：通知责任人员及监督机构（非紧急，免打扰时段内顺延）",
    ),
    TemplateCode.LICENSE_STATUS_CHANGED: DefaultTemplate(
        name="电子证照状态变更",
        text_zh=SIGNATURE
        + "您的{license}（编号{number}）状态已变更为{status}，原因：{reason}。详情请登录网上办事大厅查看。",
        text_en="[Changchun Online Service Hall] Your {license} (No. {number}) is now {status}. "
        "Reason: {reason}. Log in to the hall for details.",
        params=("license", "number", "status", "reason"),
        sample={"license": "食品经营许可证", "number": "20260000001", "status": "暂停", "reason": "整改期间暂停经营"},
        provider_template_id="SMS_CC_0015",
        note="电子证照暂停、撤销、注销、吊销时通知持证主体（issue 9）",
    ),
    # 咨询投诉与好差评 (issue 10): Art. 15 warnings and chasing, Art. 16 evaluation invitations
    TemplateCode.FEEDBACK_EVALUATION_INVITE: DefaultTemplate(
        name="评价邀请",
        text_zh=SIGNATURE + "您的{event}（编号{number}）已完成，欢迎评价：{link}",
        text_en="[Changchun Online Service Hall] Your {event} ({number}) is complete. Please rate it: {link}",
        params=("event", "number", "link"),
        sample={"event": "咨询", "number": "ZX20261125000001", "link": "http://127.0.0.1:8000/feedback/evaluations/"},
        provider_template_id="SMS_CC_0040",
        note="《条例》第十六条：好差评，一事一评（非紧急）",
    ),
    TemplateCode.FEEDBACK_DUE_SOON: DefaultTemplate(
        name="咨询投诉临期提醒",
        text_zh=SIGNATURE + "{kind}{number}将于{deadline}到期，请及时答复。",
        text_en="[Changchun Online Service Hall] {kind} {number} is due on {deadline}. Please reply in time.",
        params=("kind", "number", "deadline"),
        sample={"kind": "咨询", "number": "ZX20261125000001", "deadline": "2026年11月27日"},
        provider_template_id="SMS_CC_0041",
        note="《条例》第十五条：到期前提醒答复人员（非紧急）",
    ),
    TemplateCode.FEEDBACK_OVERDUE: DefaultTemplate(
        name="咨询投诉超期督办",
        text_zh=SIGNATURE + "{kind}{number}已超过答复期限{deadline}，责任部门：{department}。",
        text_en="[Changchun Online Service Hall] {kind} {number} passed its reply deadline {deadline}; "
        "responsible department: {department}.",
        params=("kind", "number", "deadline", "department"),
        sample={
            "kind": "投诉",
            "number": "TS20261125000001",
            "deadline": "2026年12月2日",
            "department": "长春市市场监督管理局",
        },
        provider_template_id="SMS_CC_0042",
        note="《条例》第十五条第三款：超期通知监督机构（非紧急）",
    ),
    TemplateCode.FEEDBACK_RECTIFICATION: DefaultTemplate(
        name="差评整改通知",
        text_zh=SIGNATURE + "收到实名差评（{number}），请于{deadline}前完成回访整改。",
        text_en="[Changchun Online Service Hall] A named bad review ({number}) needs a call-back and "
        "rectification by {deadline}.",
        params=("number", "deadline"),
        sample={"number": "ZX20261125000001", "deadline": "2026年12月2日"},
        provider_template_id="SMS_CC_0043",
        note="好差评：实名差评100%回访整改（非紧急）",
    ),
    TemplateCode.FEEDBACK_CHASED: DefaultTemplate(
        name="咨询投诉催办",
        text_zh=SIGNATURE + "督办：{kind}{number}已超期，请立即答复。督办意见：{note}",
        text_en="[Changchun Online Service Hall] Chased: {kind} {number} is overdue; reply now. Note: {note}",
        params=("kind", "number", "note"),
        sample={"kind": "咨询", "number": "ZX20261125000001", "note": "请今日内答复"},
        provider_template_id="SMS_CC_0044",
        note="《条例》第十五条第三款：政务公开办催办",
    ),
    # 网上预审与窗口受理 (issue 8: channels)
    TemplateCode.PRE_REVIEW_PASSED: DefaultTemplate(
        name="网上预审通过",
        text_zh=SIGNATURE + "您申请的{item}已通过网上预审，请携原件到现场核验，预约：{link}",
        text_en="[Changchun Online Service Hall] Your application for {item} passed the online pre-review. "
        "Bring the originals for the on-site check; book a visit: {link}",
        params=("item", "link"),
        sample={
            "item": "食品经营许可（新办）",
            "link": "https://zwfw.changchun.gov.cn/b/11220100MB1234567X00000000000012026112500001/",
        },
        provider_template_id="SMS_CC_0020",
        note="《条例》第十二条：预审通过，通知申请人携原件到现场核验并预约",
    ),
    TemplateCode.WINDOW_ACCOUNT_CREATED: DefaultTemplate(
        name="窗口代为注册账号",
        text_zh=SIGNATURE + "{name}，综合窗口已为您开通网上办事大厅账号，可用本手机号码找回密码后登录，查看办件进度。",
        text_en="[Changchun Online Service Hall] {name}, the service window opened an account for you. "
        "Reset the password with this mobile number to log in and follow your application.",
        params=("name",),
        sample={"name": "张三"},
        provider_template_id="SMS_CC_0021",
        note="《条例》第九条：窗口为现场申请人登记的账号",
    ),
    # 电子证照 (issue 9 step 2): a license deferred at the decision (outage, no certificate) goes out
    TemplateCode.LICENSE_ISSUED: DefaultTemplate(
        name="电子证照已颁发",
        text_zh=SIGNATURE + "您办理的业务{number}的{license}已颁发，请登录网上办事大厅“我的证照”查看。",
        text_en="[Changchun Online Service Hall] The {license} of application {number} has been issued. "
        "See My licenses in the hall.",
        params=("number", "license"),
        sample={"number": "2201002026112400001", "license": "食品经营许可证"},
        provider_template_id="SMS_CC_0030",
        note="《条例》第十四条第三款：中断期间暂缓颁发的证照恢复后颁发，通知持证主体",
    ),
    # 好差评 sweep (issue 10): one reminder for an unrated invitation; rectification deadlines
    TemplateCode.FEEDBACK_EVALUATION_REMINDER: DefaultTemplate(
        name="评价提醒",
        text_zh=SIGNATURE + "您的{event}（编号{number}）尚未评价，{deadline}前可评价：{link}",
        text_en="[Changchun Online Service Hall] Your {event} ({number}) is not rated yet. "
        "Rate it by {deadline}: {link}",
        params=("event", "number", "deadline", "link"),
        sample={
            "event": "咨询答复",
            "number": "ZX20261125000001",
            "deadline": "2026年12月10日",
            "link": "http://127.0.0.1:8000/feedback/evaluations/12/rate/",
        },
        provider_template_id="SMS_CC_0045",
        note="《条例》第十六条：未评价的邀请只提醒一次（非紧急）",
    ),
    TemplateCode.FEEDBACK_RECTIFICATION_DUE: DefaultTemplate(
        name="差评整改临期提醒",
        text_zh=SIGNATURE + "差评整改任务（{number}）将于{deadline}到期，请及时完成回访整改。",
        text_en="[Changchun Online Service Hall] The call-back and rectification of bad review {number} "
        "is due on {deadline}.",
        params=("number", "deadline"),
        sample={"number": "ZX20261125000001", "deadline": "2026年12月2日"},
        provider_template_id="SMS_CC_0046",
        note="好差评：整改期限当日提醒部门答复人员（非紧急）",
    ),
    TemplateCode.FEEDBACK_RECTIFICATION_OVERDUE: DefaultTemplate(
        name="差评整改超期督办",
        text_zh=SIGNATURE + "差评整改任务（{number}）已超过整改期限{deadline}，责任部门：{department}。",
        text_en="[Changchun Online Service Hall] The rectification of bad review {number} passed its "
        "deadline {deadline}; responsible department: {department}.",
        params=("number", "deadline", "department"),
        sample={"number": "ZX20261125000001", "deadline": "2026年12月2日", "department": "长春市市场监督管理局"},
        provider_template_id="SMS_CC_0047",
        note="好差评：整改超期通知政务公开办（非紧急）",
    ),
}


def placeholders(text: str) -> list[str]:
    """The ``{name}`` placeholders of a template text, in order of appearance."""
    return PLACEHOLDER.findall(text)


def render(text: str, params: Mapping[str, Any]) -> str:
    """Substitute ``{name}`` placeholders; never ``str.format`` (an edited template could reach
    attributes with ``{x.__class__}``). Raises ``KeyError`` naming a missing parameter."""
    return PLACEHOLDER.sub(lambda match: str(params[match.group(1)]), text)


@dataclass(frozen=True)
class SmsLength:
    """How a text is billed: characters counted the provider's way, segments, and the encoding."""

    characters: int
    segments: int
    encoding: str  # "UCS-2" or "GSM-7"
    per_segment: int


def sms_length(text: str) -> SmsLength:
    """Count a rendered SMS as providers bill it: 70 / 67 (UCS-2) or 160 / 153 (GSM-7).

    UCS-2 counts UTF-16 code units, so a character outside the BMP (𠮷) counts twice; GSM-7
    counts the extension characters (``{ } [ ] ~ | ^ € \\``) twice.
    """
    if all(char in GSM_BASIC or char in GSM_EXTENDED for char in text):
        count = sum(2 if char in GSM_EXTENDED else 1 for char in text)
        single, segment, encoding = GSM_SINGLE, GSM_SEGMENT, "GSM-7"
    else:
        count = len(text.encode("utf-16-le")) // 2
        single, segment, encoding = UCS2_SINGLE, UCS2_SEGMENT, "UCS-2"
    segments = 1 if count <= single else -(-count // segment)
    return SmsLength(count, segments, encoding, single if segments == 1 else segment)
