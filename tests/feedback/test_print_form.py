"""附件3 to print, sign and stamp (issue 14.10): the workbook's sheet as a page, with the signature lines."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from feedback import workflow
from feedback.models import FeedbackReport
from feedback.workbook.export import NOTES, SIGNATURE
from tests.allocations.pages import page, visible_text
from tests.feedback.workbook_files import JULY


@pytest.fixture
def july(officer_urumqi):
    return workflow.open_report(officer_urumqi.prefecture, JULY)


def _print(client, report):
    return client.get(reverse("feedback:report_print", args=[report.pk]))


def _text(response):
    return " ".join(visible_text(page(response)).split())


def test_it_prints_the_form_with_the_lines_a_bureau_signs_and_stamps(officer_urumqi, july, client_for):
    line = july.lines.get()
    workflow.save_lines(
        july,
        {line.pk: {"spent": Decimal("5000"), "uses": ["vocational_training"], "reason": "项目未完工",
                   "measure": "加快拨付", "measure_deadline": date(2023, 9, 30)}},
        officer_urumqi,
        july.version,
    )

    response = _print(client_for(officer_urumqi), july)

    assert response.status_code == 200
    text = _text(response)
    assert "自治区财政资金使用情况跟踪反馈表" in text
    assert "地、州、市（单位）名称：乌鲁木齐市" in text and "填报月份：2023年7月" in text
    # Figures as every page writes them: 万元 with separators and two decimals.
    assert "合计 8,294.00 5,000.00 3,294.00 60.28%" in text
    assert "新财社〔2023〕74号 8,294.00 5,000.00 职业培训补贴 3,294.00 60.28% 项目未完工 加快拨付（整改时间：2023-09-30）" in text
    assert all(note in text for note in NOTES)
    assert [label for label, _first, _last in SIGNATURE] == ["填报单位（盖章）：", "填报人：", "联系电话：", "填报日期："]
    assert "填报单位（盖章）： 填报人： 联系电话： 填报日期：" in text


def test_it_keeps_the_form_chinese_for_an_english_user_but_not_its_buttons(officer_urumqi, july, client_for):
    officer_urumqi.language = "en"
    officer_urumqi.save(update_fields=["language"])

    text = _text(_print(client_for(officer_urumqi), july))

    assert "填报单位（盖章）：" in text and "Print" in text
    assert "打印" not in text


def test_it_writes_nothing_when_a_reader_prints_a_month_not_yet_opened(auditor, officer_urumqi, client_for, july):
    august = FeedbackReport.objects.create(prefecture=officer_urumqi.prefecture, month=date(2023, 8, 1), due_date=date(2023, 8, 31))
    before = list(FeedbackReport.objects.order_by("pk").values_list("pk", "status", "version"))

    response = _print(client_for(auditor), august)

    assert response.status_code == 200
    assert list(FeedbackReport.objects.order_by("pk").values_list("pk", "status", "version")) == before
    assert august.lines.count() == 0


def test_it_hides_another_prefectures_form(officer_kashgar, july, client_for):
    assert _print(client_for(officer_kashgar), july).status_code == 404
