"""Bad input typed into the forms: 转下达, the 附件3 report, 双监控 figures and the target review.

Each case starts from a valid post (the notice's own figures) and spoils one field.
"""

from allocations.models import County, Prefecture
from feedback.models import FeedbackReport
from targets.models import Checkpoint
from tests.allocations.test_reallocation_pages import URUMQI_SPLIT  # 乌鲁木齐市's 8294 as the notice splits it
from tests.badinput.case import Case, cases_of
from tests.badinput.entries import NOTICE, URUMQI, Input
from tests.targets.review_helpers import target_of

LINE = f"第1行 {NOTICE}"  # how the report form names its one line
JOBS = "城镇新增就业人数"


def reallocation(counties=None, **fields):
    def build(ctx):
        ctx.fixture("notice_document")
        data = {"number": "乌财社〔2023〕12号", "title": "关于转下达2023年中央财政就业补助资金的通知", "issued_on": "2023-06-20"}
        data.update(fields)
        for name, amount in {**URUMQI_SPLIT, **(counties or {})}.items():
            county = County.objects.get(name=name)
            data[f"amount_{county.pk}"] = amount
        return Input(data=data)

    return build


def report(**fields):
    def build(ctx):
        line = ctx.fixture("urumqi_july").lines.get()
        data = {"version": FeedbackReport.objects.get(pk=line.report_id).version}
        for name, value in fields.items():
            if name == "version":
                data.pop("version") if value is None else data.update(version=value)
            else:
                data[f"{name}_{line.pk}"] = value
        return Input(data=data)

    return build


def new_line(**fields):
    """The report form's 添加资金（说明1）: the line as it is, and the new line's fields."""
    def build(ctx):
        line = ctx.fixture("urumqi_july").lines.get()
        data = {"version": FeedbackReport.objects.get(pk=line.report_id).version, "action": "add_line", f"spent_{line.pk}": ""}
        data.update({f"new_{name}": value for name, value in fields.items()})
        return Input(data=data)

    return build


def actuals(checkpoint=Checkpoint.MID_YEAR, **fields):
    def build(ctx):
        target = target_of(ctx.fixture("urumqi_approved"), JOBS)
        data = {"checkpoint": checkpoint, **{f"{name}_{target.pk}": value for name, value in fields.items()}}
        return Input(data=data)

    return build


def returned(**data):
    def build(ctx):
        return Input(data={"version": ctx.fixture("urumqi_submitted").version, **data})

    return build


def future_month(ctx):
    return Input(method="get", url_args=(Prefecture.objects.get(name=URUMQI).pk, 2099, "01"))


def form(entry, case_id, build, *expect):
    return cases_of(entry, entry.split(":")[1])(case_id, build, *expect)


REALLOCATE = "allocations:reallocation_create"
REPORT = "feedback:report_detail"
MONITORING = "targets:monitoring"
RETURN = "targets:review_return"

CASES = [
    form(REALLOCATE, "text-amount", reallocation({"天山区": "一千二"}), "天山区 拨付金额“一千二”不是数字"),
    form(REALLOCATE, "negative-amount", reallocation({"天山区": "-1"}), "天山区 拨付金额不能为负数"),
    form(REALLOCATE, "3-decimal-amount", reallocation({"天山区": "1200.125"}), "天山区 拨付金额最多保留2位小数（1200.125）"),
    form(REALLOCATE, "20-digit-amount", reallocation({"天山区": "1" * 20}), f"天山区 拨付金额过大（{'1' * 20}）"),
    # 转下达 copies the notice's county amounts (天山区 1200, 米东区 1500): another amount, 0 included, names both.
    form(REALLOCATE, "not-the-notices-amount", reallocation({"天山区": "1201"}), "天山区：上级文件分配 1200 万元，转下达 1201 万元"),
    form(REALLOCATE, "zero-amount", reallocation({"米东区": "0"}), "米东区：上级文件分配 1500 万元，转下达 0 万元"),
    form(REALLOCATE, "missing-date", reallocation(issued_on=""), "请填写发文日期"),
    form(REALLOCATE, "date-before-parent", reallocation(issued_on="2023-06-04"), f"发文日期 2023-06-04 早于上级文件 {NOTICE} 的发文日期 2023-06-05"),
    form(REALLOCATE, "another-prefectures-county", reallocation({"喀什市": "1"}), f"不属于 {URUMQI}，只能分配给本地（州、市）的县（市、区）"),
    form(REALLOCATE, "date-format", reallocation(issued_on="2023-13-45"), "发文日期不是有效日期，请写成 2023-06-20 的格式"),
    form(REALLOCATE, "missing-number", reallocation(number=""), "请填写文号"),
    form(REALLOCATE, "existing-number", reallocation(number=NOTICE), f"文号 {NOTICE} 已存在"),
    form(REPORT, "text-spent", report(spent="五千"), f"{LINE}：实际支出金额“五千”不是数字"),
    form(REPORT, "negative-spent", report(spent="-5"), f"{LINE}：实际支出金额不能为负数（-5）"),
    form(REPORT, "3-decimal-spent", report(spent="5000.125"), f"{LINE}：实际支出金额最多保留2位小数（5000.125）"),
    form(REPORT, "20-digit-spent", report(spent="1" * 20), f"{LINE}：实际支出金额过大（{'1' * 20}）"),
    form(REPORT, "41-character-spent", report(spent="1" * 41), f"{LINE}：实际支出金额过长"),
    form(REPORT, "spent-over-amount", report(spent="9000"), f"{LINE}：实际支出金额 9,000.00 超过资金金额 8,294.00"),
    form(REPORT, "deadline-format", report(spent="100", measure_deadline="2023-13-45"), f"{LINE}：整改时间不是有效日期（格式：2023-08-31）"),
    form(REPORT, "unknown-use", report(spent="100", uses="car"), f"{LINE}：资金支出方向“car”不是通知列明的九项用途之一"),
    form(REPORT, "reason-over-2000-characters", report(reason="慢" * 2001), f"{LINE}：原因不能超过 2000 字"),
    form(REPORT, "missing-version", report(spent="100", version=None), "页面缺少版本号，请刷新页面后重新填写"),
    form(REPORT, "stale-version", report(spent="100", version=99), "该反馈表已被他人修改，您的保存未生效"),
    form(REPORT, "added-line-text-amount", new_line(fund_name="自治区资金", document_number="新财社〔2023〕12号", amount="五百"), "添加资金：资金金额“五百”不是数字"),
    form(REPORT, "added-line-without-number", new_line(fund_name="自治区资金", amount="500"), "添加资金：请填写文号"),
    form(
        REPORT, "added-line-system-number", new_line(fund_name="重复", document_number=NOTICE, amount="1"),
        f"第2行 {NOTICE}：文号 {NOTICE} 是本系统下达的分配文件，已在本表第1行列出，请在第1行填写，不能自行添加",
    ),
    Case("report_open-future-month", "feedback:report_open", future_month, ("2099年1月尚未开始，不能填报该月的资金使用反馈表",)),
    form(MONITORING, "value-over-200-characters", actuals(value="1" * 201), f"{JOBS}：实际完成值不能超过200字"),
    form(MONITORING, "reason-without-value", actuals(reason="企业用工回落"), f"{JOBS}：填写了偏差原因或改进措施，但没有填写实际完成值"),
    form(MONITORING, "shortfall-without-reason", actuals(value="50000"), f"{JOBS}：未完成目标，必须填写偏差原因"),
    form(MONITORING, "20-digit-value", actuals(value="1" * 20), f"{JOBS}：实际完成值“{'1' * 20}”的数字超出可记录的范围"),
    form(MONITORING, "unknown-checkpoint", actuals(checkpoint="09", value="110000"), "监控时点只能是6月（年中）或12月（年末）"),
    form(RETURN, "missing-reason", returned(reason=""), "退回必须填写原因"),
    form(RETURN, "reason-over-2000-characters", returned(reason="慢" * 2001), "原因不能超过2000字"),
    form(RETURN, "stale-version", returned(version="abc", reason="指标值有误"), "页面已过期，请刷新后重试"),
]
