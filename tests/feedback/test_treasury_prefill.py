"""附件3 说明2: opening a month pre-fills 实际支出金额 and 资金支出方向 from the treasury's payments."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from allocations.models import Prefecture
from feedback import workflow
from tests.allocations.pages import page, visible_text
from tests.feedback.workbook_files import JULY, export_urumqi, rows
from tests.treasury.conftest import run
from tests.treasury.payment_files import csv_bytes, row, sample_path, write


@pytest.fixture
def sample_imported(reference_data):
    run("import_payments", str(sample_path()))


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


def test_it_exports_urumqis_july_with_the_treasurys_5000_pre_filled(sample_imported, tmp_path):
    sheet = rows(export_urumqi(tmp_path))

    assert sheet[4][:5] == ["合计", None, None, 8294, 5000]
    assert sheet[5][2:5] == ["新财社〔2023〕74号", 8294, 5000]
    assert sheet[5][5]  # 资金支出方向: the uses the treasury paid


def test_it_pre_fills_the_unsaved_form_without_writing(sample_imported, urumqi):
    _report, lines = workflow.unsaved_report(urumqi, JULY)

    assert lines[0].spent == Decimal("5000.00")
    assert lines[0].uses
    assert not urumqi.feedback_reports.exists()


def test_it_counts_to_the_months_end_only(sample_imported, urumqi):
    assert workflow.open_report(urumqi, JULY.replace(month=6)).lines.get().spent == Decimal("2000.00")


def test_it_leaves_the_line_empty_without_payments(reference_data, urumqi):
    line = workflow.open_report(urumqi, JULY).lines.get()

    assert (line.spent, line.uses) == (None, [])


def test_it_rounds_the_exact_sum_once_half_up(reference_data, urumqi, tmp_path):
    # Three payments of 0.005 万元 (50.00 元): one by one they would round to 0.03, exactly summed 0.015 → 0.02.
    run("import_payments", str(write(tmp_path, "p.csv", csv_bytes([row(f"ZF{n}", amount="50.00") for n in range(3)]))))

    assert workflow.open_report(urumqi, JULY).lines.get().spent == Decimal("0.02")


def test_it_never_touches_a_line_already_there(reference_data, urumqi, tmp_path):
    report = workflow.open_report(urumqi, JULY)
    run("import_payments", str(write(tmp_path, "p.csv", csv_bytes([row("ZF1", amount="1000000.00")]))))

    assert workflow.open_report(urumqi, JULY).lines.get().spent is None
    assert report.lines.get().spent is None


def test_it_shows_the_treasury_figure_and_uses_on_the_card(sample_imported, officer_urumqi, client_for):
    response = client_for(officer_urumqi).get(reverse("feedback:report_open", args=[officer_urumqi.prefecture.pk, 2023, "07"]))

    html = page(response)
    assert re.search(r'<input type="text" name="spent_d\d+" value="5000" ', html)
    treasury = visible_text(_element(html, "treasury"))
    assert "国库支付" in treasury and "5,000.00" in treasury
    assert "职业培训补贴 1,042.60" in visible_text(_element(html, "treasury-uses"))


def _element(html, role):
    start = html.index(f'data-role="{role}"')
    return html[html.rindex("<", 0, start):html.index("</", start)]
