"""The access matrix: for every URL the app serves, the status each role gets with each method.

Columns, in this order: anonymous, 乌鲁木齐市 officer, 喀什地区 officer, HR reviewer, auditor, region admin.
The region admin is a member of the region_admin group with is_staff and not a superuser (tests/conftest.py):
what it gets comes from its role, never from a superuser's bypass.
302 for the anonymous column is the way to the login page. A POST carries an empty body: a permitted
user gets the form back with its errors (200) or a message and a redirect (302), never a write.

The app's own pages are listed row by row below; the admin's rows are generated per registered
model from ADMIN_ACCESS, which says who may view, add, change and delete that model's rows, and
from ADMIN_OBJECT_ROWS for the objects whose own state decides (a draft beside an issued document,
a staff account beside a finance officer's).
"""

import re
from dataclasses import dataclass
from typing import Callable

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from feedback.views.reports import report_open_url

ROLES = ("anonymous", "officer_urumqi", "officer_kashgar", "hr_reviewer", "auditor", "region_admin")
METHODS = ("GET", "POST", "PUT", "DELETE")
URUMQI, KASHGAR = "乌鲁木齐市", "喀什地区"
OFFICERS = {"officer_urumqi": URUMQI, "officer_kashgar": KASHGAR}

NOT_ALLOWED = "405 405 405 405 405 405"
# A class-based page: the login check runs first, then the method check.
LOGIN_THEN_405 = "302 405 405 405 405 405"


@dataclass(frozen=True)
class Row:
    label: str
    url: Callable  # world -> the concrete URL
    expect: dict  # method -> one status per role, in ROLES order
    owner: str = ""  # the prefecture whose object the URL names: the other officer's cells are cross-prefecture
    reads_on_post: str = ""  # why the auditor's POST here is answered without a 403/405 although it writes nothing
    signs_out: bool = False  # ends the session: rolled back even in the auditor's column, so the next cell is signed in


def _codes(text):
    codes = tuple(int(code) for code in text.split())
    assert len(codes) == len(ROLES), text
    return codes


def row(label, url, GET, POST=NOT_ALLOWED, PUT=NOT_ALLOWED, DELETE=NOT_ALLOWED, **extra):
    expect = {"GET": _codes(GET), "POST": _codes(POST), "PUT": _codes(PUT), "DELETE": _codes(DELETE)}
    return Row(label, url, expect, **extra)


def listing(label, url, GET):
    # The list pages are class-based views that define get() only.
    return row(label, url, GET, LOGIN_THEN_405, LOGIN_THEN_405, LOGIN_THEN_405)


def page(name, *objects, query=None):
    """name's URL for the world's objects, by attribute name; query(world) adds a query string."""

    def build(world):
        url = reverse(name, args=[getattr(world, attr).pk for attr in objects])
        return url + query(world) if query else url

    return build


def history(attr):
    def build(world):
        obj = getattr(world, attr)
        return reverse("oversight:object_history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])

    return build


def for_prefecture(attr):
    return lambda world: f"?prefecture={getattr(world, attr).pk}"


def evaluation_page(name, table_attr, text_row=False):
    """name's URL for the 2023 evaluation of the world's table (built on first use, before any cell runs)."""

    def build(world):
        from evaluation.building import build as evaluate
        from evaluation.models import Evaluation, Method

        table = getattr(world, table_attr)
        evaluation = Evaluation.objects.filter(table=table, year=2023).first() or evaluate(table, 2023)
        args = [evaluation.pk]
        if text_row:
            args.append(evaluation.scores.filter(method=Method.REVIEWER).order_by("position").first().pk)
        return reverse(name, args=args)

    return build


def july_of(attr):
    return lambda world: report_open_url(getattr(world, attr), world.month)


SIGN_IN = "signing in reads the credentials; it is not a write to the data"
# Columns:      anon  urumqi kashgar hr  auditor admin
APP_ROWS = [
    row("首页", page("home"), "302 200 200 200 200 200"),
    # The dashboard's chart exports: each role may export the charts of its own board (an officer's hold their prefecture only).
    row("首页导出分配图", lambda world: reverse("dashboard_export", args=["allocation", "csv"]), "302 404 404 404 200 200"),
    row("首页导出支出进度", lambda world: reverse("dashboard_export", args=["spend-progress", "xlsx"]), "302 200 200 404 200 200"),
    row("首页导出填报情况", lambda world: reverse("dashboard_export", args=["completeness", "csv"]), "302 200 200 404 200 200"),
    row("首页导出目标完成率", lambda world: reverse("dashboard_export", args=["attainment", "xlsx"]), "302 404 404 200 200 200"),
    row("首页导出各项资金进度", lambda world: reverse("dashboard_export", args=["fund-lines", "csv"]), "302 200 200 404 404 404"),
    row("登录", page("login"), "200 200 200 200 200 200", "200 200 200 200 200 200",
        PUT="200 200 200 200 200 200", reads_on_post=SIGN_IN),
    row("退出", page("logout"), NOT_ALLOWED, "302 302 302 302 302 302", signs_out=True,
        reads_on_post="signing out ends the auditor's own session only"),
    # Issue 6: anyone, signed in or not (the login page), may switch; with no language given: 400.
    row("界面语言", page("set_language"), NOT_ALLOWED, "400 400 400 400 400 400",
        reads_on_post="the interface language is the user's own preference, not the data"),
    # Browsers ask /favicon.ico on their own, signed in or not: it points at the static file.
    row("网站图标", page("favicon"), "301 301 301 301 301 301"),
    # 附件1: documents, prefectures, import
    listing("分配文件列表", page("allocations:document_list"), "302 200 200 200 200 200"),
    # 转下达 past its deadline: everyone who sees allocations; an officer's list holds their own prefecture only.
    listing("逾期未转下达", page("allocations:reallocation_overdue"), "302 200 200 200 200 200"),
    row("通知文件", page("allocations:document_detail", "notice"), "302 200 200 200 200 200"),
    row("乌鲁木齐市转下达文件", page("allocations:document_detail", "urumqi_reallocation"), "302 200 404 200 200 200", owner=URUMQI),
    row("喀什地区转下达文件", page("allocations:document_detail", "kashgar_reallocation"), "302 404 200 200 200 200", owner=KASHGAR),
    # The notice's workbook holds every prefecture's lines: no officer may download it.
    row("导出通知文件", page("allocations:document_export", "notice"), "302 404 404 200 200 200"),
    row("导出乌鲁木齐市转下达", page("allocations:document_export", "urumqi_reallocation"), "302 200 404 200 200 200", owner=URUMQI),
    row("导出喀什地区转下达", page("allocations:document_export", "kashgar_reallocation"), "302 404 200 200 200 200", owner=KASHGAR),
    row("下达通知文件", page("allocations:document_issue", "notice"), NOT_ALLOWED, "302 403 403 403 403 302"),
    row("下达乌鲁木齐市转下达", page("allocations:document_issue", "urumqi_reallocation"), NOT_ALLOWED, "302 403 404 403 403 302", owner=URUMQI),
    row("下达喀什地区转下达", page("allocations:document_issue", "kashgar_reallocation"), NOT_ALLOWED, "302 404 403 403 403 302", owner=KASHGAR),
    # An officer passes on their own share; region-wide roles must name the prefecture (?prefecture=).
    row("转下达（本地区）", page("allocations:reallocation_create", "notice"), "302 200 200 404 404 404", "302 200 200 404 404 404"),
    row("转下达（乌鲁木齐市）", page("allocations:reallocation_create", "notice", query=for_prefecture("urumqi")),
        "302 200 404 403 403 200", "302 200 404 403 403 200", owner=URUMQI),
    row("转下达（喀什地区）", page("allocations:reallocation_create", "notice", query=for_prefecture("kashgar")),
        "302 404 200 403 403 200", "302 404 200 403 403 200", owner=KASHGAR),
    listing("地州市列表", page("allocations:prefecture_list"), "302 200 200 200 200 200"),
    row("乌鲁木齐市", page("allocations:prefecture_detail", "urumqi"), "302 200 404 200 200 200", owner=URUMQI),
    row("喀什地区", page("allocations:prefecture_detail", "kashgar"), "302 404 200 200 200 200", owner=KASHGAR),
    row("导入分配表", page("allocations:import_upload"), "302 403 403 403 403 200", "302 403 403 403 403 200"),
    row("确认导入", page("allocations:import_confirm"), NOT_ALLOWED, "302 403 403 403 403 200"),
    # The blank 附件1 form offered on the import page (issue 14.10).
    row("空白附件1模板", page("allocations:import_template"), "302 403 403 403 403 200"),
    # 附件2: target tables, review, roll-up, 双监控
    listing("绩效目标表列表", page("targets:table_list"), "302 200 200 200 200 200"),
    row("未匹配指标", page("targets:unmapped"), "302 403 403 403 403 200", "302 403 403 403 403 200"),
    row("汇总核对", page("targets:rollup", "notice"), "302 403 403 200 200 200"),
    row("对比矩阵", page("targets:matrix", "notice"), "302 403 403 200 200 200"),
    row("完成情况", page("targets:attainment", "notice"), "302 403 403 200 200 200"),
    listing("审核队列（绩效目标）", page("targets:review_queue"), "302 200 200 200 200 200"),
    row("乌鲁木齐市目标表", page("targets:table_detail", "urumqi_table"), "302 200 404 200 200 200", owner=URUMQI),
    row("喀什地区目标表", page("targets:table_detail", "kashgar_table"), "302 404 200 200 200 200", owner=KASHGAR),
    row("自治区目标表", page("targets:table_detail", "region_table"), "302 404 404 200 200 200"),
    row("导出乌鲁木齐市目标表", page("targets:table_export", "urumqi_table"), "302 200 404 200 200 200", owner=URUMQI),
    row("导出喀什地区目标表", page("targets:table_export", "kashgar_table"), "302 404 200 200 200 200", owner=KASHGAR),
    row("导出自治区目标表", page("targets:table_export", "region_table"), "302 404 404 200 200 200"),
    row("审核乌鲁木齐市目标表", page("targets:review", "urumqi_table"), "302 200 404 200 200 200", owner=URUMQI),
    row("审核喀什地区目标表", page("targets:review", "kashgar_table"), "302 404 200 200 200 200", owner=KASHGAR),
    row("审核自治区目标表", page("targets:review", "region_table"), "302 404 404 200 200 200"),
    row("提交乌鲁木齐市目标表", page("targets:review_submit", "urumqi_table"), NOT_ALLOWED, "302 403 404 403 403 302", owner=URUMQI),
    row("提交喀什地区目标表", page("targets:review_submit", "kashgar_table"), NOT_ALLOWED, "302 404 403 403 403 302", owner=KASHGAR),
    row("提交自治区目标表", page("targets:review_submit", "region_table"), NOT_ALLOWED, "302 404 404 403 403 302"),
    row("通过乌鲁木齐市目标表", page("targets:review_approve", "urumqi_table"), NOT_ALLOWED, "302 403 404 302 403 403", owner=URUMQI),
    row("通过喀什地区目标表", page("targets:review_approve", "kashgar_table"), NOT_ALLOWED, "302 404 403 302 403 403", owner=KASHGAR),
    row("通过自治区目标表", page("targets:review_approve", "region_table"), NOT_ALLOWED, "302 404 404 302 403 403"),
    row("退回乌鲁木齐市目标表", page("targets:review_return", "urumqi_table"), NOT_ALLOWED, "302 403 404 302 403 403", owner=URUMQI),
    row("退回喀什地区目标表", page("targets:review_return", "kashgar_table"), NOT_ALLOWED, "302 404 403 302 403 403", owner=KASHGAR),
    row("退回自治区目标表", page("targets:review_return", "region_table"), NOT_ALLOWED, "302 404 404 302 403 403"),
    row("重开乌鲁木齐市目标表", page("targets:review_reopen", "urumqi_table"), NOT_ALLOWED, "302 403 404 302 403 403", owner=URUMQI),
    row("重开喀什地区目标表", page("targets:review_reopen", "kashgar_table"), NOT_ALLOWED, "302 404 403 302 403 403", owner=KASHGAR),
    row("重开自治区目标表", page("targets:review_reopen", "region_table"), NOT_ALLOWED, "302 404 404 302 403 403"),
    # Both prefectures' tables are approved (the form comes back with errors); the region's is a draft (redirect).
    row("乌鲁木齐市双监控", page("targets:monitoring", "urumqi_table"), "302 200 404 200 200 200", "302 200 404 403 403 200", owner=URUMQI),
    row("喀什地区双监控", page("targets:monitoring", "kashgar_table"), "302 404 200 200 200 200", "302 404 200 403 403 200", owner=KASHGAR),
    row("自治区双监控", page("targets:monitoring", "region_table"), "302 404 404 200 200 200", "302 404 404 403 403 302"),
    # 附件3: reports, review, completeness, workbooks
    row("本月反馈表", page("feedback:current"), "302 302 302 302 302 302"),
    listing("反馈表列表", page("feedback:report_list"), "302 200 200 200 200 200"),
    row("审核队列（反馈表）", page("feedback:review_queue"), "302 403 403 200 200 200", "302 403 403 405 405 405",
        PUT="302 403 403 405 405 405", DELETE="302 403 403 405 405 405"),
    row("填报情况", page("feedback:completeness"), "302 200 200 200 200 200"),
    row("逾期未报", page("feedback:overdue"), "302 200 200 200 200 200"),
    listing("结转资金", page("feedback:carryover"), "302 200 200 200 200 200"),
    row("导出全区2023年7月", lambda world: reverse("feedback:month_export", args=[world.month]), "302 403 403 200 200 200"),
    # A month's page before its first save; its POST is that first save (an empty one is refused: 200, nothing written).
    row("打开乌鲁木齐市7月", july_of("urumqi"), "302 302 404 302 302 302", "302 200 404 403 403 200", owner=URUMQI),
    row("打开喀什地区7月", july_of("kashgar"), "302 404 302 302 302 302", "302 404 200 403 403 200", owner=KASHGAR),
    # 乌鲁木齐市's report is a draft (the form comes back with errors), 喀什地区's is submitted.
    row("乌鲁木齐市7月反馈表", page("feedback:report_detail", "urumqi_july"), "302 200 404 200 200 200", "302 200 404 403 403 200", owner=URUMQI),
    row("喀什地区7月反馈表", page("feedback:report_detail", "kashgar_july"), "302 404 200 200 200 200", "302 404 200 403 403 200", owner=KASHGAR),
    row("通过乌鲁木齐市7月", page("feedback:review_accept", "urumqi_july"), NOT_ALLOWED, "302 403 404 403 403 302", owner=URUMQI),
    row("通过喀什地区7月", page("feedback:review_accept", "kashgar_july"), NOT_ALLOWED, "302 404 403 403 403 302", owner=KASHGAR),
    row("退回乌鲁木齐市7月", page("feedback:review_return", "urumqi_july"), NOT_ALLOWED, "302 403 404 403 403 302", owner=URUMQI),
    row("退回喀什地区7月", page("feedback:review_return", "kashgar_july"), NOT_ALLOWED, "302 404 403 403 403 302", owner=KASHGAR),
    row("重开乌鲁木齐市7月", page("feedback:review_reopen", "urumqi_july"), NOT_ALLOWED, "302 403 404 403 403 302", owner=URUMQI),
    row("重开喀什地区7月", page("feedback:review_reopen", "kashgar_july"), NOT_ALLOWED, "302 404 403 403 403 302", owner=KASHGAR),
    row("下载乌鲁木齐市7月", page("feedback:report_export", "urumqi_july"), "302 200 404 200 200 200", owner=URUMQI),
    row("下载喀什地区7月", page("feedback:report_export", "kashgar_july"), "302 404 200 200 200 200", owner=KASHGAR),
    row("上传乌鲁木齐市7月", page("feedback:report_upload", "urumqi_july"), "302 200 404 403 403 200", "302 200 404 403 403 200", owner=URUMQI),
    row("上传喀什地区7月", page("feedback:report_upload", "kashgar_july"), "302 404 200 403 403 200", "302 404 200 403 403 200", owner=KASHGAR),
    # 附件3 to print, sign and stamp: whoever sees the report; printing writes nothing (issue 14.10).
    row("打印乌鲁木齐市7月", page("feedback:report_print", "urumqi_july"), "302 200 404 200 200 200", owner=URUMQI),
    row("打印喀什地区7月", page("feedback:report_print", "kashgar_july"), "302 404 200 200 200 200", owner=KASHGAR),
    # 国库集中支付 (issue 15): the import is the region admin's; the anomalies (收款人 in full) are for auditors and region admins.
    row("导入国库支付明细", page("treasury:upload"), "302 403 403 403 403 200", "302 403 403 403 403 200"),
    row("国库支付异常", page("treasury:exceptions"), "302 403 403 403 200 200",
        "302 403 403 403 405 405", "302 403 403 403 405 405", "302 403 403 403 405 405"),
    # The flow of a regional document (issue 15.6): whoever sees the document; an officer sees their own counties only.
    row("通知文件资金流向", page("document_flow", "notice"), "302 200 200 200 200 200"),
    # 因素法分配测算 (issue 16.3): the region admin plans; the auditor reads the page, uploads nothing; others 403.
    # An empty POST: the form (or the preview's confirmation) comes back with its errors, nothing written.
    row("因素法分配测算", page("planning:plan"), "302 403 403 403 200 200", "302 403 403 403 403 200"),
    row("确认测算草稿", page("planning:confirm"), NOT_ALLOWED, "302 403 403 403 403 200"),
    row("下载测算说明", page("planning:explanation"), NOT_ALLOWED, "302 403 403 403 403 200"),
    # 绩效自评 (issue 16.1): everyone who sees the prefecture reads its evaluation; the region admin builds, weighs and
    # submits, the HR reviewer scores text indicators, approves and returns; an empty POST is refused with a message (302).
    listing("绩效自评", page("evaluation:queue"), "302 200 200 200 200 200"),
    row("计算绩效自评", page("evaluation:build"), NOT_ALLOWED, "302 403 403 403 403 302"),
    row("乌鲁木齐市绩效自评", evaluation_page("evaluation:detail", "urumqi_table"), "302 200 404 200 200 200", owner=URUMQI),
    row("喀什地区绩效自评", evaluation_page("evaluation:detail", "kashgar_table"), "302 404 200 200 200 200", owner=KASHGAR),
    row("导出乌鲁木齐市自评表", evaluation_page("evaluation:export", "urumqi_table"), "302 200 404 200 200 200", owner=URUMQI),
    row("乌鲁木齐市自评权重", evaluation_page("evaluation:weights", "urumqi_table"), NOT_ALLOWED, "302 403 404 403 403 302", owner=URUMQI),
    row("乌鲁木齐市自评重算", evaluation_page("evaluation:rebuild", "urumqi_table"), NOT_ALLOWED, "302 403 404 403 403 302", owner=URUMQI),
    row("提交乌鲁木齐市自评", evaluation_page("evaluation:submit", "urumqi_table"), NOT_ALLOWED, "302 403 404 403 403 302", owner=URUMQI),
    row("通过乌鲁木齐市自评", evaluation_page("evaluation:approve", "urumqi_table"), NOT_ALLOWED, "302 403 404 302 403 403", owner=URUMQI),
    row("通过喀什地区自评", evaluation_page("evaluation:approve", "kashgar_table"), NOT_ALLOWED, "302 404 403 302 403 403", owner=KASHGAR),
    row("退回乌鲁木齐市自评", evaluation_page("evaluation:return", "urumqi_table"), NOT_ALLOWED, "302 403 404 302 403 403", owner=URUMQI),
    row("评分乌鲁木齐市文字指标", evaluation_page("evaluation:score", "urumqi_table", text_row=True), NOT_ALLOWED,
        "302 403 404 302 403 403", owner=URUMQI),
    # Change log and each object's history
    row("变更记录", page("oversight:changelog"), "302 403 403 200 200 200"),
    row("通知文件历史", history("notice"), "302 200 200 200 200 200"),
    row("乌鲁木齐市转下达历史", history("urumqi_reallocation"), "302 200 404 200 200 200", owner=URUMQI),
    row("喀什地区转下达历史", history("kashgar_reallocation"), "302 404 200 200 200 200", owner=KASHGAR),
    row("乌鲁木齐市历史", history("urumqi"), "302 200 404 200 200 200", owner=URUMQI),
    row("喀什地区历史", history("kashgar"), "302 404 200 200 200 200", owner=KASHGAR),
    row("乌鲁木齐市目标表历史", history("urumqi_table"), "302 200 404 200 200 200", owner=URUMQI),
    row("喀什地区目标表历史", history("kashgar_table"), "302 404 200 200 200 200", owner=KASHGAR),
    row("自治区目标表历史", history("region_table"), "302 404 404 200 200 200"),
    row("乌鲁木齐市7月历史", history("urumqi_july"), "302 200 404 200 200 200", owner=URUMQI),
    row("喀什地区7月历史", history("kashgar_july"), "302 404 200 200 200 200", owner=KASHGAR),
]


# The admin. Officers are not staff: every admin page sends them, like the anonymous, to the admin's
# login (302). The three staff roles get what their model permissions (core.roles) and each ModelAdmin's
# own has_*_permission allow. Django's admin writes only on POST and answers PUT and DELETE as a GET.
@dataclass(frozen=True)
class Access:
    # Staff roles, by letter: h HR reviewer, a auditor, r region admin.
    view: str = ""
    add: str = ""
    change: str = ""
    delete: str = ""
    # The object is locked (issued, approved): its change page is read-only and nobody deletes it.
    locked: bool = False
    # Who may import rows; None: whoever may add them.
    imports: str | None = None


STAFF = {"hr_reviewer": "h", "auditor": "a", "region_admin": "r"}
STAFF_ONLY = "302 302 302 200 200 200"
STAFF_405 = "302 302 302 405 405 405"
STAFF_404 = "302 302 302 404 404 404"
DOMAIN = Access(view="har", add="r", change="r", delete="r")
# The sample (the oldest row) is the notice, issued, or belongs to it, or to 喀什地区's approved table;
# ADMIN_OBJECT_ROWS gives each its draft twin.
LOCKED = Access(view="har", add="r", change="r", delete="r", locked=True)
# feedback: read-only in the admin (every change goes through feedback.workflow); deleting is a superuser's.
READ_ONLY = Access(view="har")
LOGIN_LOG = Access(view="ar", delete="r")

ADMIN_ACCESS = {
    "auth.group": Access(view="a"),
    "axes.accessattempt": LOGIN_LOG,
    "axes.accesslog": LOGIN_LOG,
    "axes.accessfailurelog": LOGIN_LOG,
    # The sample is 乌鲁木齐市's officer: a region admin manages finance officers' accounts.
    "core.user": Access(view="ar", add="r", change="r", delete="r"),
    "allocations.province": DOMAIN,
    "allocations.prefecture": DOMAIN,
    "allocations.county": DOMAIN,
    "allocations.fund": DOMAIN,
    "allocations.expenditureitem": DOMAIN,
    "allocations.allocationdocument": LOCKED,
    "allocations.prefecturesubtotal": LOCKED,
    "allocations.allocationline": LOCKED,
    "targets.indicator": DOMAIN,
    "targets.indicatoralias": DOMAIN,
    "targets.targettable": DOMAIN,
    "targets.target": DOMAIN,
    "targets.actual": LOCKED,
    "feedback.feedbackreport": READ_ONLY,
    "feedback.feedbackline": READ_ONLY,
    # 清算 (issue 14.4): the region admin records, changes or removes one; HR and auditors read them.
    "feedback.settlement": DOMAIN,
    # The code table is the region admin's to keep; payments are the treasury's records: read-only, imported.
    "treasury.paymentcode": DOMAIN,
    # Nobody adds or edits a payment by hand; the region admin imports the treasury's files.
    "treasury.payment": Access(view="har", imports="r"),
    # API tokens (issue 17): a region admin hands them out; auditors read the list (keys are never shown again).
    "api.apitoken": Access(view="ar", add="r", change="r", delete="r"),
}


def _cells(allowed, yes, no=403):
    """302 for the roles the admin sends to its login page; yes or no for the staff roles."""
    codes = []
    for role in ROLES:
        letter = STAFF.get(role)
        codes.append(302 if letter is None else yes if letter in allowed else no)
    return " ".join(map(str, codes))


def _same(text, **extra):
    # Admin views answer PUT and DELETE as they answer GET.
    return dict(GET=text, POST=text, PUT=text, DELETE=text, **extra)


LISTS_ONLY = "the page only lists on POST; its actions need change or delete permission"


def _kind_rules(access):
    """{URL kind: row() arguments} for one model's admin views."""
    viewers = access.view + access.change
    change, delete = ("", "") if access.locked else (access.change, access.delete)
    importers = access.add if access.imports is None else access.imports
    return {
        "changelist": _same(_cells(access.view, 200), reads_on_post=LISTS_ONLY),
        "add": _same(_cells(access.add, 200)),
        "change": dict(_same(_cells(viewers, 200)), POST=_cells(change, 200)),
        # An empty POST is not a confirmation: the page asks again (200), nothing is deleted.
        "delete": _same(_cells(delete, 200)),
        "history": _same(_cells(viewers, 200), reads_on_post=LISTS_ONLY),
        # One past version; reverting it is switched off for everyone (core.admin.HistoryAdmin).
        "simple_history": dict(_same(_cells(viewers, 200)), POST=_cells("", 200)),
        "object": _same("302 302 302 302 302 302", reads_on_post="the old address of the change page only redirects"),
        "import": _same(_cells(importers, 200)),
        # The confirmation step of an import: POST only, the method is checked before the permission.
        # An empty confirm names no upload of this session: a message and back to the import page.
        "process_import": dict(_same(STAFF_405), POST=_cells(importers, 302)),
        "export": _same(_cells(access.view, 200), reads_on_post="the export form only reads"),
        "password_change": _same(_cells(change, 200)),
    }


def _kind(url_name, info):
    if url_name is None:
        return "object"
    if url_name == "auth_user_password_change":
        return "password_change"
    return url_name.removeprefix(f"{info}_")


def _admin_url(url_name, kind, model, attr=None):
    def build(world):
        obj = getattr(world, attr) if attr else world.admin_samples[model]
        if obj is None and model._meta.label_lower in MADE_HERE:
            obj = world.admin_samples[model] = MADE_HERE[model._meta.label_lower](world)
        if kind in ("changelist", "add", "import", "process_import", "export"):
            return reverse(f"admin:{url_name}")
        if kind == "object":
            change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
            return change.removesuffix("change/")
        if kind == "simple_history":
            return reverse(f"admin:{url_name}", args=[obj.pk, obj.history.order_by("history_id").first().history_id])
        return reverse(f"admin:{url_name}", args=[obj.pk])

    return build


def _api_token(world):
    from api.keys import issue
    from api.models import ApiToken

    token = ApiToken(name="访问矩阵", role="hr_reviewer", created_by=world.region_admin_account)
    issue(token)
    token.save()
    return token


# Samples the access world (tests/access/conftest.py) predates: made on first use, before any cell runs.
MADE_HERE = {"api.apitoken": _api_token}


def admin_model_rows(problems):
    """One row per URL each registered ModelAdmin serves; problems gets what the matrix does not know."""
    rows = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        access = ADMIN_ACCESS.get(label)
        if access is None:
            problems.append(f"新的 admin 模型没有写进访问矩阵: {label}")
            continue
        rules = _kind_rules(access)
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        for pattern in model_admin.get_urls():
            kind = _kind(pattern.name, info)
            if kind not in rules:
                problems.append(f"新的 URL 没有写进访问矩阵: admin {label} {pattern.pattern}（{pattern.name}）")
                continue
            rows.append(row(f"admin {label} {kind}", _admin_url(pattern.name, kind, model), **rules[kind]))
    return rows


# Staff accounts, the region admin's own included: shown read-only to the region admin, who manages
# finance officers only; its crafted role fields are covered in tests/access/test_role_escalation.py.
STAFF_ACCOUNT = Access(view="ar")
# (label, model, world attribute, access): objects beside the samples whose own state decides.
ADMIN_OBJECTS = [
    ("乌鲁木齐市转下达（草稿）", "allocations.allocationdocument", "urumqi_reallocation", DOMAIN),
    ("乌鲁木齐市转下达小计（草稿）", "allocations.prefecturesubtotal", "urumqi_reallocation_subtotal", DOMAIN),
    ("乌鲁木齐市转下达明细（草稿）", "allocations.allocationline", "urumqi_reallocation_line", DOMAIN),
    ("喀什地区转下达（已下达）", "allocations.allocationdocument", "kashgar_reallocation", LOCKED),
    ("喀什地区目标表（已审核通过）", "targets.targettable", "kashgar_table", LOCKED),
    ("人社审核员账号", "core.user", "hr_account", STAFF_ACCOUNT),
    ("审计员账号", "core.user", "auditor_account", STAFF_ACCOUNT),
    ("自治区管理员本人账号", "core.user", "region_admin_account", STAFF_ACCOUNT),
]
OBJECT_KINDS = ("change", "delete", "password_change")


def admin_object_rows():
    rows = []
    registry = {model._meta.label_lower: (model, model_admin) for model, model_admin in admin.site._registry.items()}
    for label, model_label, attr, access in ADMIN_OBJECTS:
        model, model_admin = registry[model_label]
        rules = _kind_rules(access)
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        for pattern in model_admin.get_urls():
            kind = _kind(pattern.name, info)
            if kind in OBJECT_KINDS:
                rows.append(row(f"admin {label} {kind}", _admin_url(pattern.name, kind, model, attr), **rules[kind]))
    return rows


def _autocomplete(world):
    return reverse("admin:autocomplete") + "?app_label=allocations&model_name=county&field_name=prefecture"


def _view_on_site(world):
    # No model here has get_absolute_url: the admin's "view on site" finds nothing for staff.
    content_type = ContentType.objects.get_for_model(world.urumqi)
    return reverse("admin:view_on_site", args=[content_type.pk, world.urumqi.pk])


ADMIN_SITE_ROWS = [
    row("admin 首页", page("admin:index"), **_same(STAFF_ONLY, reads_on_post=LISTS_ONLY)),
    row("admin 应用首页", lambda world: reverse("admin:app_list", args=["allocations"]),
        **_same(STAFF_ONLY, reads_on_post=LISTS_ONLY)),
    row("admin 登录", page("admin:login"), "200 200 200 302 302 302", "200 200 200 200 200 200",
        PUT="200 200 200 200 200 200", reads_on_post=SIGN_IN),
    row("admin 退出", page("admin:logout"), STAFF_405, "302 302 302 302 302 302", STAFF_405, STAFF_405, signs_out=True,
        reads_on_post="signing out ends the auditor's own session only"),
    row("admin 修改密码", page("admin:password_change"), STAFF_ONLY, STAFF_ONLY, PUT=STAFF_ONLY, DELETE=STAFF_405,
        reads_on_post="a staff user may change their own password; the empty form changes nothing"),
    row("admin 密码已修改", page("admin:password_change_done"), STAFF_ONLY, STAFF_405, STAFF_405, STAFF_405),
    row("admin 自动完成", _autocomplete, STAFF_ONLY, STAFF_405, STAFF_405, STAFF_405),
    row("admin jsi18n", page("admin:jsi18n"), STAFF_ONLY, STAFF_405, STAFF_405, STAFF_405),
    row("admin 在站点查看", _view_on_site, **_same(STAFF_404)),
    row("admin 不存在的页面", lambda world: "/admin/no-such-page/", **_same(STAFF_404)),
]


# The REST API (issue 17) with the site's session, as the browsable API and the docs page use it. Tokens of every
# role and scope are walked through the same endpoints by tests/api/test_api_access_matrix.py.
# A 401 for the anonymous column (JSON, never a redirect to the login page); a method the endpoint lacks is a 405
# once signed in; a POST with the site's form encoding is 415 to those it is open to (the API reads JSON only).
API_ANON = "401 401 401 401 401 401"
API_READ = "401 200 200 200 200 200"
API_405 = "401 405 405 405 405 405"


def api(label, url, GET, POST=API_405, PUT=API_405, DELETE=API_405, **extra):
    return row(f"API {label}", url, GET, POST, PUT, DELETE, **extra)


def api_url(path, query=""):
    """/api/v1/<path>/ where {attr} names a world attribute whose id goes there."""

    def build(world):
        return "/api/v1/" + re.sub(r"\{(\w+)\}", lambda found: str(getattr(world, found.group(1)).pk), path) + "/" + query

    return build


def _kashgar_county(world):
    return f"/api/v1/counties/{world.kashgar.counties.order_by('pk').first().pk}/"


def _first(model_path, path):
    def build(world):
        app_label, model_name = model_path.split(".")
        obj = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()._default_manager.order_by("pk").first()
        return f"/api/v1/{path}/{obj.pk}/"

    return build


API_ROWS = [
    api("省列表", api_url("provinces"), API_READ),
    api("本区", _first("allocations.province", "provinces"), API_READ),
    api("地州市列表", api_url("prefectures"), API_READ),
    api("喀什地区", api_url("prefectures/{kashgar}"), "401 404 200 200 200 200", owner=KASHGAR),
    api("县市区列表", api_url("counties"), API_READ),
    api("喀什地区的县", _kashgar_county, "401 404 200 200 200 200", owner=KASHGAR),
    api("分配文件列表", api_url("documents"), API_READ),
    api("通知文件", api_url("documents/{notice}"), API_READ),
    api("乌鲁木齐市转下达（草稿）", api_url("documents/{urumqi_reallocation}"), "401 200 404 200 200 200", owner=URUMQI),
    api("喀什地区转下达", api_url("documents/{kashgar_reallocation}"), "401 404 200 200 200 200", owner=KASHGAR),
    api("通知文件资金流向", api_url("documents/{notice}/flow", "?month=2023-07"), API_READ),
    api("通知文件支付汇总", api_url("documents/{notice}/payments-summary", "?month=2023-07"), API_READ),
    api("通知文件直达资金", api_url("documents/{notice}/direct-funds"), API_READ),
    api("分配明细列表", api_url("allocation-lines"), API_READ),
    api("乌鲁木齐市转下达明细（草稿）", api_url("allocation-lines/{urumqi_reallocation_line}"), "401 200 404 200 200 200", owner=URUMQI),
    api("指标目录", api_url("indicators"), API_READ),
    api("指标", _first("targets.indicator", "indicators"), API_READ),
    api("绩效目标表列表", api_url("target-tables"), API_READ),
    api("喀什地区目标表", api_url("target-tables/{kashgar_table}"), "401 404 200 200 200 200", owner=KASHGAR),
    api("自治区目标表", api_url("target-tables/{region_table}"), "401 404 404 200 200 200"),
    api("反馈表列表", api_url("feedback-reports"), API_READ),
    api("乌鲁木齐市7月反馈表", api_url("feedback-reports/{urumqi_july}"), "401 200 404 200 200 200", owner=URUMQI),
    # The draft's figures: its own officer and the region admin write (an empty form-encoded POST: 415, nothing written).
    api("填报乌鲁木齐市7月", api_url("feedback-reports/{urumqi_july}/figures"), API_405, "401 415 404 403 403 415", owner=URUMQI),
    # The submitted one: still the officer's to read; a write is refused by the workflow once the body is JSON.
    api("填报喀什地区7月", api_url("feedback-reports/{kashgar_july}/figures"), API_405, "401 404 415 403 403 415", owner=KASHGAR),
    # A batch of payments is the region admin's import; everyone else 403 before the body is read.
    api("国库支付列表", api_url("payments"), API_READ, "401 403 403 403 403 415"),
    api("乌鲁木齐市的国库支付", _first("treasury.payment", "payments"), "401 200 404 200 200 200", owner=URUMQI),
    api("支付汇总表", api_url("payment-summaries"), API_READ),
    api("乌鲁木齐市的支付汇总行", _first("treasury.paymentsummary", "payment-summaries"), "401 200 404 200 200 200", owner=URUMQI),
    row("API 接口说明（OpenAPI）", lambda world: "/api/schema/", API_READ, API_405, API_405, API_405),
    row("API 接口文档页", lambda world: "/api/docs/", API_READ, API_405, API_405, API_405),
    # Any other address under /api/: a JSON 404 for everyone, whatever the method.
    row("API 不存在的地址", lambda world: "/api/no-such-endpoint/", **_same("404 404 404 404 404 404")),
]


def all_rows(problems):
    return APP_ROWS + API_ROWS + ADMIN_SITE_ROWS + admin_model_rows(problems) + admin_object_rows()
