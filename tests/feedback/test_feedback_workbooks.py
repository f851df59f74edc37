"""附件3 as printed: the export command, the region-wide workbook, and the report page's download and upload."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from allocations.models import Prefecture
from feedback import workflow
from feedback.models import FeedbackReport, ReportStatus
from feedback.workbook.export import NOTES, SIGNATURE
from tests.allocations.pages import page, visible_text
from tests.feedback.workbook_files import JULY, export, export_urumqi, fill, rows, snapshot, urumqi_report

HEADER = [
    "序号",
    "收到的财政专项资金名称",
    "文号",
    "资金金额",
    "实际支出金额",
    "资金支出方向",
    "未支出金额",
    "实际支出进度",
    "未按计划或预算执行要求支出的原因",
    "整改措施及整改时间",
    # Not one of the notice's ten: 说明2's 差异说明, after them (feedback.workbook.export.DIFFERENCE_HEADER).
    "差异说明",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def _text(values):
    return [value for value in values if value is not None]


@pytest.fixture
def july(officer_urumqi):
    return workflow.open_report(officer_urumqi.prefecture, JULY)


def test_it_exports_the_notices_layout_pre_filled_for_urumqi(reference_data, tmp_path):
    sheet = rows(export_urumqi(tmp_path))

    assert sheet[0][0] == "附件3"
    assert sheet[1][0] == "自治区财政资金使用情况跟踪反馈表"
    assert _text(sheet[2]) == ["地、州、市（单位）名称：乌鲁木齐市", "填报月份：2023年7月", "直达资金标识：01 中央直达资金", "单位：万元"]
    assert sheet[3] == HEADER
    # 实际支出进度 is a number shown as a percentage (issue 13 point 9): 0 shows as 0.00%.
    assert sheet[4] == ["合计", None, None, 8294, 0, None, 8294, 0, None, None, None]
    assert sheet[5] == [1, "2023年中央财政就业补助资金（第二批）", "新财社〔2023〕74号", 8294, None, None, 8294, 0, None, None, None]
    assert [row[0] for row in sheet[6:9]] == list(NOTES)
    # Under the notes, after a blank row, the lines the bureau fills in, signs and stamps on the printout.
    assert sheet[9] == [None] * 11
    assert _text(sheet[10]) == ["填报单位（盖章）：", "填报人：", "联系电话：", "填报日期："]
    assert len(sheet) == 11
    assert NOTES == (
        "说明：1、地、州、市（单位）根据实际收到财政专项资金情况自行添加行（勿修改表格式）。",
        "2、本表统计财政部门下达的一般公共预算和政府性基金支出情况，资金支出金额以国库集中支付数据为准。",
        "3、请各地、州、市（单位）于每月月末之前，将当月财政资金使用情况反馈至自治区财政厅社会保障处。",
    )
    assert urumqi_report().lines.count() == 1  # exporting opened the report


def test_it_exports_the_computed_columns_uses_and_measure(officer_urumqi, july, tmp_path):
    line = july.lines.get()
    workflow.save_lines(
        july,
        {
            line.pk: {
                "spent": Decimal("5000"),
                "uses": ["vocational_training", "social_insurance"],
                "reason": "=HYPERLINK(\"http://x\")",
                "measure": "加快拨付",
                "measure_deadline": date(2023, 9, 30),
            }
        },
        officer_urumqi,
        july.version,
    )
    path = export_urumqi(tmp_path)

    sheet = rows(path)
    assert sheet[4][3:8] == [8294, 5000, None, 3294, 0.6028]
    assert sheet[5][4:10] == [5000, "职业培训补贴、社会保险补贴", 3294, 0.6028, '=HYPERLINK("http://x")', "加快拨付（整改时间：2023-09-30）"]
    reason = openpyxl.load_workbook(path).worksheets[0]["I6"]
    assert reason.data_type == "s"  # text, never a live formula


def test_it_puts_all_fourteen_prefectures_in_one_workbook(reference_data, tmp_path):
    workbook = openpyxl.load_workbook(export(tmp_path))

    assert workbook.sheetnames == list(Prefecture.objects.order_by("position").values_list("name", flat=True))
    kashgar = workbook["喀什地区"]
    assert kashgar["A3"].value == "地、州、市（单位）名称：喀什地区"
    assert kashgar["D6"].value == 13342
    assert FeedbackReport.objects.filter(month=JULY).count() == 14
    assert workbook.sheetnames == openpyxl.load_workbook(export(tmp_path, "--all", name="all.xlsx")).sheetnames


def test_it_opens_no_report_for_a_month_before_any_money_arrived(reference_data, tmp_path):
    sheet = rows(export(tmp_path, "--prefecture", "乌鲁木齐市", month="2023-05"))

    assert sheet[4][:8] == ["合计", None, None, 0, 0, None, 0, None]  # no progress of nothing
    assert sheet[5][0] == NOTES[0]
    assert not FeedbackReport.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--month", "2023/07"], "月份“2023/07”格式不对，请写成 YYYY-MM"),
        (["--month", "2023-13"], "月份“2023-13”格式不对"),
        (["--month", "2999-01"], "2999-01 尚未到来，不能处理未来月份的反馈表"),
        (["--month", "2023-07", "--prefecture", "北京市"], "找不到地（州、市）“北京市”。可选：乌鲁木齐市、伊犁州"),
        (["--month", "2023-07", "--prefecture", "乌鲁木齐市", "--all"], "只能选一个"),
    ],
)
def test_it_refuses_bad_options_in_chinese_and_writes_nothing(reference_data, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_feedback", *args, "-o", str(tmp_path / "x.xlsx"), stdout=io.StringIO())
    assert not FeedbackReport.objects.exists()
    assert not (tmp_path / "x.xlsx").exists()


# The report page's download.


def test_it_downloads_the_officers_own_report(officer_urumqi, july, client_for):
    response = client_for(officer_urumqi).get(reverse("feedback:report_export", args=[july.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "filename*=utf-8''%E9%99%84%E4%BB%B63_" in response["Content-Disposition"]
    sheet = _workbook(response.content).worksheets[0]
    assert (sheet["B6"].value, sheet["C6"].value, sheet["D6"].value) == ("2023年中央财政就业补助资金（第二批）", "新财社〔2023〕74号", 8294)


def test_it_hides_another_prefectures_report(officer_kashgar, july, client_for):
    client = client_for(officer_kashgar)

    assert client.get(reverse("feedback:report_export", args=[july.pk])).status_code == 404
    assert client.get(reverse("feedback:report_upload", args=[july.pk])).status_code == 404


def test_it_lets_the_region_download_a_month_but_not_an_officer(region_admin, officer_urumqi, client_for):
    url = reverse("feedback:month_export", args=["2023-07"])
    assert url == "/feedback/export/2023-07.xlsx"

    assert client_for(officer_urumqi).get(url).status_code == 403
    response = client_for(region_admin).get(url)
    assert response.status_code == 200
    assert len(_workbook(response.content).sheetnames) == 14
    assert FeedbackReport.objects.filter(month=JULY).count() == 14  # the admin's download opens them


def test_it_gives_readers_the_same_sheets_without_writing(auditor, hr_reviewer, client_for):
    url = reverse("feedback:month_export", args=["2023-07"])

    for reader in (auditor, hr_reviewer):
        response = client_for(reader).get(url)
        assert response.status_code == 200
        workbook = _workbook(response.content)
        assert workbook["乌鲁木齐市"]["D6"].value == 8294
    assert not FeedbackReport.objects.exists()


def test_it_refuses_a_future_or_impossible_month(region_admin, client_for):
    client = client_for(region_admin)

    future = client.get(reverse("feedback:month_export", args=["2999-01"]))
    assert future.status_code == 404
    assert "2999-01 尚未到来" in visible_text(page(future))
    assert client.get("/feedback/export/2023-13.xlsx").status_code == 404


# The report page's upload.


def _upload(client, report, content, name="附件3.xlsx", **data):
    url = reverse("feedback:report_upload", args=[report.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **data})


def test_it_uploads_a_filled_workbook_and_submits_it(officer_urumqi, july, client_for, tmp_path):
    client = client_for(officer_urumqi)
    assert client.get(reverse("feedback:report_upload", args=[july.pk])).status_code == 200
    path = fill(export_urumqi(tmp_path), spent=5000, uses="职业培训补贴")

    response = _upload(client, july, path.read_bytes(), submit="on")

    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:report_detail", args=[july.pk])
    july.refresh_from_db()
    assert july.status == ReportStatus.SUBMITTED and july.submitted_by == officer_urumqi
    assert july.lines.get().spent == Decimal("5000")
    assert "未支出 3294 万元，进度 60.28%；已提交审核" in visible_text(page(client.get(response["Location"])))


def test_it_reads_back_a_printed_form_whose_signature_lines_were_filled_in(officer_urumqi, july, client_for, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=5000, uses="职业培训补贴")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    signature = next(row for row in sheet.iter_rows() if row[0].value == SIGNATURE[0][0])
    for (label, first, _last), value in zip(SIGNATURE, ("乌鲁木齐市财政局", "张三", "0991-1234567", "2023年8月3日")):
        signature[first - 1].value = f"{label}{value}"
    # Some bureaus drop the notes before printing: the signature lines alone must close the table.
    for row in sheet.iter_rows():
        if row[0].value in NOTES:
            row[0].value = None
    workbook.save(path)

    response = _upload(client_for(officer_urumqi), july, path.read_bytes())

    assert response.status_code == 302
    july.refresh_from_db()
    assert [line.spent for line in july.lines.all()] == [Decimal("5000")]


def test_it_shows_every_error_on_the_page_and_saves_nothing(officer_urumqi, july, client_for, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=9000, amount=9000)
    before = snapshot(july)

    response = _upload(client_for(officer_urumqi), july, path.read_bytes())

    assert response.status_code == 200
    text = visible_text(page(response))
    assert "未能导入，未写入任何数据" in text
    assert "工作表第6行（新财社〔2023〕74号）：资金金额与分配不符（文件中为 9000，分配为 8294）" in text
    assert snapshot(july) == before


def test_it_refuses_an_upload_over_the_amount_or_lagging_without_reason(officer_urumqi, july, client_for, tmp_path):
    client = client_for(officer_urumqi)
    before = snapshot(july)

    over = _upload(client, july, fill(export_urumqi(tmp_path), spent=9000).read_bytes())
    lagging = _upload(client, july, fill(export_urumqi(tmp_path), spent=100, uses="创业补贴").read_bytes(), submit="on")

    assert "实际支出金额 9,000.00 超过资金金额 8,294.00" in visible_text(page(over))
    assert "低于时间进度 58.33%，须填写未按计划支出的原因" in visible_text(page(lagging))
    assert snapshot(july) == before


def test_it_refuses_an_upload_from_a_stale_page(officer_urumqi, july, client_for, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=5000)
    line = july.lines.get()
    workflow.save_lines(july, {line.pk: {"spent": Decimal("10")}}, officer_urumqi, july.version)
    before = snapshot(july)

    response = _upload(client_for(officer_urumqi), july, path.read_bytes())

    assert response.status_code == 200
    assert "已被他人修改" in visible_text(page(response))
    assert snapshot(july) == before


def test_it_checks_the_file_before_reading_it(officer_urumqi, july, client_for, settings, tmp_path):
    client = client_for(officer_urumqi)
    settings.ALLOCATION_UPLOAD_MAX_BYTES = 1024
    before = snapshot(july)

    too_big = _upload(client, july, export_urumqi(tmp_path).read_bytes())
    not_xlsx = _upload(client, july, b"a,b\n", name="附件3.csv")
    broken = _upload(client, july, b"not a workbook")

    assert "文件过大" in visible_text(page(too_big)) and "上传上限为 1 KB" in visible_text(page(too_big))
    assert "只能上传 .xlsx 格式的 Excel 文件" in visible_text(page(not_xlsx))
    assert "文件不是有效的 Excel 工作簿（.xlsx）" in visible_text(page(broken))
    assert {too_big.status_code, not_xlsx.status_code, broken.status_code} == {200}
    assert snapshot(july) == before


def test_it_forbids_the_upload_to_readers(auditor, hr_reviewer, july, client_for, tmp_path):
    content = fill(export_urumqi(tmp_path), spent=5000).read_bytes()
    before = snapshot(july)

    for reader in (auditor, hr_reviewer):
        client = client_for(reader)
        assert client.get(reverse("feedback:report_upload", args=[july.pk])).status_code == 403
        assert _upload(client, july, content).status_code == 403
        # Reading is fine: the download is the same sheet.
        assert client.get(reverse("feedback:report_export", args=[july.pk])).status_code == 200
    assert snapshot(july) == before


def test_it_offers_the_upload_in_the_report_pages_box_only_to_who_may_fill_it_in(july):
    from django.template.loader import render_to_string

    download = reverse("feedback:report_export", args=[july.pk])
    upload = reverse("feedback:report_upload", args=[july.pk])

    for_officer = render_to_string("feedback/workbook_actions.html", {"report": july, "editable": True})
    for_reader = render_to_string("feedback/workbook_actions.html", {"report": july, "editable": False})

    assert download in for_officer and upload in for_officer
    assert download in for_reader and upload not in for_reader
