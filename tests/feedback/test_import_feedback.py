"""import_feedback: a filled-in 附件3 back into the report, all or nothing, every error with its row."""

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.utils import timezone

from allocations.models import Prefecture
from core.models import Role, User
from feedback import workflow
from feedback.models import FeedbackReport, ReportStatus
from feedback.workbook.importing import parse_deadline, parse_uses
from feedback.workbook.reader import read_workbook, split_measure
from tests.feedback.workbook_files import (
    FIRST_LINE_ROW,
    export,
    export_urumqi,
    fill,
    rows,
    run_import,
    snapshot,
    urumqi_report,
)


def _refused(path, *args, **kwargs):
    with pytest.raises(CommandError) as refused:
        run_import(path, *args, **kwargs)
    message = str(refused.value)
    assert message.startswith("导入失败") or "--user" in message or "找不到" in message
    return message


def test_it_imports_5000_with_submit_and_the_next_export_shows_3294_and_60_28(officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=5000, uses="职业培训补贴")
    before = timezone.now()

    output = run_import(path, "--submit")

    report = urumqi_report()
    assert "已导入 乌鲁木齐市 2023-07" in output and "已提交审核" in output
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == officer_urumqi
    assert before <= report.submitted_at <= timezone.now()  # the time of the import, as the web form does
    assert report.on_time is (timezone.localdate(report.submitted_at) <= report.due_date)
    line = report.lines.get()
    assert (line.spent, line.uses) == (Decimal("5000"), ["vocational_training"])

    again = rows(export_urumqi(tmp_path, name="next.xlsx"))
    assert again[4][3:8] == [8294, 5000, None, 3294, 0.6028]  # 合计; 进度 a number shown as 60.28%
    assert again[5][3:8] == [8294, 5000, "职业培训补贴", 3294, 0.6028]


def test_it_imports_an_unchanged_export_back_unchanged(officer_urumqi, tmp_path):
    report = workflow.open_report(Prefecture.objects.get(name="乌鲁木齐市"), date(2023, 7, 1))
    line = report.lines.get()
    workflow.save_lines(
        report,
        {
            line.pk: {
                "spent": Decimal("1234.5"),
                "uses": ["social_insurance", "vocational_training"],
                "reason": "=部分项目尚未完工",  # a formula-looking text stays text
                "measure": "加快拨付进度",
                "measure_deadline": date(2023, 9, 30),
            }
        },
        officer_urumqi,
        report.version,
    )
    before = snapshot(report)
    first = export_urumqi(tmp_path)

    run_import(first)

    after = snapshot(report)
    assert after[3] == before[3]  # every line value
    assert after[0] == before[0] + 1  # one save
    assert rows(export_urumqi(tmp_path, name="second.xlsx")) == rows(first)


def test_it_refuses_spending_over_the_amount_and_changes_nothing(officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=9000, uses="职业培训补贴")
    before = snapshot(urumqi_report())

    message = _refused(path)

    assert "工作表第6行（新财社〔2023〕74号）：实际支出金额 9,000.00 超过资金金额 8,294.00" in message
    assert snapshot(urumqi_report()) == before


def test_it_refuses_to_submit_a_lagging_line_without_a_reason_and_saves_nothing(officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=1000, uses="职业培训补贴")
    before = snapshot(urumqi_report())

    message = _refused(path, "--submit")

    assert "支出进度 12.06% 低于时间进度 58.33%，须填写未按计划支出的原因" in message
    assert "须填写整改措施" in message and "须填写整改时间" in message
    # The save and the submit are one transaction: the 1000 was not kept either.
    assert snapshot(urumqi_report()) == before
    assert urumqi_report().lines.get().spent is None


def test_it_submits_a_lagging_line_with_reason_measure_and_deadline(officer_urumqi, tmp_path):
    path = fill(
        export_urumqi(tmp_path),
        spent=1000,
        uses="职业培训补贴",
        reason="培训项目下半年开班",
        measure="加快培训补贴拨付（整改时间：2023年9月30日）",
    )

    run_import(path, "--submit")

    line = urumqi_report().lines.get()
    assert (line.reason, line.measure, line.measure_deadline) == ("培训项目下半年开班", "加快培训补贴拨付", date(2023, 9, 30))
    assert urumqi_report().status == ReportStatus.SUBMITTED


def test_it_refuses_a_file_exported_before_someone_else_saved(officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=5000, uses="职业培训补贴")
    report = urumqi_report()
    line = report.lines.get()
    workflow.save_lines(report, {line.pk: {"spent": Decimal("4000")}}, officer_urumqi, report.version)
    before = snapshot(report)

    message = _refused(path)

    assert "在这份工作簿导出之后已被他人修改（工作簿为版本 1，当前为版本 2）" in message
    assert "请重新导出最新的反馈表" in message
    assert snapshot(report) == before
    assert report.lines.get().spent == Decimal("4000")


def test_it_reports_a_changed_amount_and_never_imports_it(officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), amount=9000, spent=5000)
    before = snapshot(urumqi_report())

    message = _refused(path)

    assert "工作表第6行（新财社〔2023〕74号）：资金金额与分配不符（文件中为 9000，分配为 8294）" in message
    assert snapshot(urumqi_report()) == before


def test_it_lists_every_row_error_with_its_row(officer_urumqi, tmp_path):
    path = export_urumqi(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.insert_rows(FIRST_LINE_ROW + 1, 3)
    sheet["E6"], sheet["F6"], sheet["J6"] = "五千", "培训、社会保险补贴", "加快（整改时间：2023-02-30）"
    sheet["C7"], sheet["E7"] = "新财社〔2023〕99号", 5
    sheet["B8"], sheet["E8"] = "自行添加的资金", 3
    sheet["C9"], sheet["D9"] = "新财社〔2023〕74号", 8294
    workbook.save(path)
    before = snapshot(urumqi_report())

    message = _refused(path)

    assert "共 7 处错误，未写入任何数据" in message
    assert "工作表第6行（新财社〔2023〕74号）：实际支出金额“五千”不是数字" in message
    assert "工作表第6行（新财社〔2023〕74号）：资金支出方向“培训”无法识别" in message
    assert "工作表第6行（新财社〔2023〕74号）：整改时间“2023-02-30”不是有效日期" in message
    # Not a document of this system: a fund the bureau added (说明1), which needs its name and amount.
    assert "工作表第7行（新财社〔2023〕99号）：文号不是本系统下达的资金，按自行添加的资金（说明1）导入，须填写收到的财政专项资金名称" in message
    assert "工作表第7行（新财社〔2023〕99号）：文号不是本系统下达的资金，按自行添加的资金（说明1）导入，须填写资金金额" in message
    assert "工作表第8行：缺少文号" in message
    assert "工作表第9行（新财社〔2023〕74号）：文号重复，已在工作表第6行出现" in message
    assert snapshot(urumqi_report()) == before


def test_it_reads_full_width_digits_text_numbers_nbsp_and_blank_rows(officer_urumqi, tmp_path):
    path = export_urumqi(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.insert_rows(FIRST_LINE_ROW, 2)  # two blank rows between 合计 and the line
    sheet["C8"] = "\xa0新财社〔２０２３〕７４号 "
    sheet["D8"] = "8,294"
    sheet["E8"] = "５０００.５\xa0"
    sheet["F8"] = "职业培训补贴；社会保险补贴 公益性岗位补贴"
    workbook.save(path)

    run_import(path)

    line = urumqi_report().lines.get()
    assert line.spent == Decimal("5000.5")
    assert line.uses == ["vocational_training", "social_insurance", "public_welfare_jobs"]


def test_it_reads_the_prefectures_sheet_of_a_region_wide_workbook(officer_kashgar, tmp_path):
    path = fill(export(tmp_path), sheet="喀什地区", spent=13000, uses="社会保险补贴")

    run_import(path, prefecture="喀什地区")

    report = FeedbackReport.objects.get(prefecture__name="喀什地区", month=date(2023, 7, 1))
    assert report.lines.get().spent == Decimal("13000")
    assert report.status == ReportStatus.DRAFT


def test_it_refuses_another_prefectures_or_months_file(officer_urumqi, region_admin, tmp_path):
    kashgar = export(tmp_path, "--prefecture", "喀什地区", name="kashgar.xlsx")
    june = export(tmp_path, "--prefecture", "乌鲁木齐市", name="june.xlsx", month="2023-06")

    assert "这是 喀什地区 的反馈表，不是 乌鲁木齐市 的" in _refused(kashgar, "--user", "region_admin")
    assert "这是 2023年6月 的反馈表，不是 2023年7月 的" in _refused(june, "--user", "region_admin")
    assert urumqi_report() is None  # not even opened: the refusal rolled the opening back


def test_it_writes_nothing_on_a_dry_run_not_even_the_report(officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=5000, uses="职业培训补贴")
    urumqi_report().delete()

    output = run_import(path, "--dry-run", "--submit")

    assert "校验通过（未写入）" in output and "未支出 3294 万元，进度 60.28%" in output
    assert urumqi_report() is None


def test_it_refuses_users_who_may_not_edit_the_report(officer_kashgar, auditor, officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=5000)
    before = snapshot(urumqi_report())

    assert "用户 officer_kashgar 无权修改 乌鲁木齐市 2023-07 的反馈表" in _refused(path, "--user", "officer_kashgar")
    assert "用户 auditor 无权修改" in _refused(path, "--user", "auditor")
    assert snapshot(urumqi_report()) == before


def test_it_needs_a_user_when_the_prefecture_has_no_officer(reference_data, tmp_path):
    path = export_urumqi(tmp_path)

    with pytest.raises(CommandError, match="乌鲁木齐市 没有财务人员账号，请用 --user 指定"):
        run_import(path)
    with pytest.raises(CommandError, match="找不到用户“nobody”"):
        run_import(path, "--user", "nobody")


def test_it_acts_as_the_prefectures_first_officer_by_default(officer_urumqi, tmp_path):
    later = User.objects.create_user("later_officer", prefecture=officer_urumqi.prefecture)
    later.groups.add(Group.objects.get(name=Role.FINANCE_OFFICER))

    output = run_import(fill(export_urumqi(tmp_path), spent=5000, uses="创业补贴"), "--submit")

    assert "操作人 officer_urumqi" in output
    assert urumqi_report().submitted_by == officer_urumqi


@pytest.mark.parametrize(
    "month, message",
    [("2023/07", "格式不对，请写成 YYYY-MM"), ("2023-13", "格式不对"), ("2999-01", "尚未到来")],
)
def test_it_refuses_bad_months(officer_urumqi, tmp_path, month, message):
    path = export_urumqi(tmp_path)

    with pytest.raises(CommandError, match=message):
        run_import(path, month=month)


def test_it_says_what_is_wrong_with_a_file_that_is_not_a_workbook(officer_urumqi, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("序号,文号\n", encoding="utf-8")

    assert "文件不是有效的 Excel 工作簿（.xlsx）" in _refused(path)
    with pytest.raises(CommandError, match="无法打开文件"):
        run_import(tmp_path / "missing.xlsx")


def test_it_asks_for_a_value_when_a_formula_was_never_calculated(officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), spent="=4000+1000")

    assert "工作表第6行 实际支出金额：公式 =4000+1000 没有计算结果" in _refused(path)


def test_it_refuses_a_submitted_report(officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=5000, uses="职业培训补贴")
    run_import(path, "--submit")
    before = snapshot(urumqi_report())

    assert "已提交，等待审核，不能修改" in _refused(fill(path, spent=6000))
    assert snapshot(urumqi_report()) == before


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2023-09-30", date(2023, 9, 30)),
        ("2023/9/30", date(2023, 9, 30)),
        ("2023年9月30日", date(2023, 9, 30)),
        ("２０２３年９月３０日", date(2023, 9, 30)),
        ("", None),
    ],
)
def test_it_parses_the_deadline_formats(written, expected):
    assert parse_deadline(written) == expected


@pytest.mark.parametrize("written", ["2023-9", "九月底", "2023-02-30", "30/09/2023"])
def test_it_refuses_other_deadlines(written):
    with pytest.raises(ValueError):
        parse_deadline(written)


def test_it_splits_the_measure_and_its_deadline():
    assert split_measure("加快拨付（整改时间：2023-09-30）") == ("加快拨付", "2023-09-30")
    assert split_measure("加快拨付；整改时间: 2023/9/30") == ("加快拨付", "2023/9/30")
    assert split_measure("（整改时间：2023年9月30日）") == ("", "2023年9月30日")
    assert split_measure("加快拨付") == ("加快拨付", "")
    assert split_measure(datetime(2023, 9, 30)) == ("", "2023-09-30")
    assert split_measure(None) == ("", "")


def test_it_parses_uses_by_their_labels():
    assert parse_uses("职业培训补贴、社会保险补贴,创业补贴，就业见习补贴;求职创业补贴 高技能人才培养补助") == (
        ["vocational_training", "social_insurance", "business_startup", "internship", "job_seeking", "high_skill_talent"],
        [],
    )
    assert parse_uses("职业培训补贴、发工资") == (["vocational_training"], ["发工资"])
    assert parse_uses("") == ([], [])


def test_it_reads_rows_up_to_the_notes_and_skips_the_total(officer_urumqi, tmp_path):
    path = fill(export_urumqi(tmp_path), spent="  3000 ", reason="\xa0等待项目验收\u3000")

    read = read_workbook(str(path), "乌鲁木齐市", date(2023, 7, 1))

    assert read.prefecture_name == "乌鲁木齐市" and read.month_text == "2023年7月" and read.version == 1
    assert [(row.row, row.document_number, row.amount, row.spent, row.reason) for row in read.rows] == [
        (6, "新财社〔2023〕74号", Decimal("8294"), Decimal("3000"), "等待项目验收")
    ]
