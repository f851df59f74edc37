"""说明2: a figure that is not the treasury's needs a 差异说明; the reviewer sees both, and the queue flags it."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations.models import Prefecture
from feedback import workflow
from feedback.models import FeedbackLine
from tests.allocations.pages import page, table_rows, visible_text
from tests.feedback.workbook_files import JULY
from tests.treasury.conftest import run
from tests.treasury.payment_files import sample_path


@pytest.fixture
def july(officer_urumqi):
    run("import_payments", str(sample_path()))
    return workflow.open_report(Prefecture.objects.get(name="乌鲁木齐市"), JULY)


def _save(report, user, **values):
    line = report.lines.get()
    return workflow.save_lines(report, {line.pk: values}, user, report.version)


def test_it_saves_the_treasurys_figure_without_an_explanation(july, officer_urumqi):
    _save(july, officer_urumqi, reason="")

    line = july.lines.get()
    assert (line.spent, line.treasury_spent) == (Decimal("5000.00"), Decimal("5000.00"))


def test_it_refuses_a_changed_figure_without_an_explanation_naming_the_line(july, officer_urumqi):
    with pytest.raises(ValidationError) as refused:
        _save(july, officer_urumqi, spent=Decimal("4800"))

    assert refused.value.messages == [
        "第1行 新财社〔2023〕74号：实际支出金额 4,800.00 与国库集中支付数 5,000.00 不一致，请填写差异说明"
    ]
    assert july.lines.get().spent == Decimal("5000.00")


def test_it_saves_a_changed_figure_with_its_explanation(july, officer_urumqi):
    _save(july, officer_urumqi, spent=Decimal("4800"), difference_explanation="200万元退回待国库更正")

    line = july.lines.get()
    assert (line.spent, line.difference_explanation) == (Decimal("4800.00"), "200万元退回待国库更正")


def test_it_checks_against_the_treasury_as_it_stands_at_the_save(officer_urumqi, tmp_path):
    # Opened before any payment: nothing to agree with. Payments arrive: the same figure now needs an explanation.
    report = workflow.open_report(officer_urumqi.prefecture, JULY)
    _save(report, officer_urumqi, spent=Decimal("100"))
    run("import_payments", str(sample_path()))

    with pytest.raises(ValidationError, match="与国库集中支付数 5,000.00 不一致"):
        _save(report, officer_urumqi, reason="")


def test_it_shows_the_reviewer_both_figures_and_the_difference(july, officer_urumqi, region_admin, client_for):
    _save(july, officer_urumqi, spent=Decimal("4900"), uses=["internship"], difference_explanation="退回待更正")
    workflow.submit(july, officer_urumqi, at=datetime(2023, 7, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai")))

    text = visible_text(page(client_for(region_admin).get(reverse("feedback:report_detail", args=[july.pk]))))

    assert "4,900.00" in text and "国库支付 5,000.00" in text
    assert "与国库差额 -100.00" in text
    assert "退回待更正" in text


def test_it_flags_the_report_in_the_review_queue(july, officer_urumqi, region_admin, client_for):
    _save(july, officer_urumqi, spent=Decimal("4900"), uses=["internship"], difference_explanation="退回待更正")
    workflow.submit(july, officer_urumqi, at=datetime(2023, 7, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai")))

    html = page(client_for(region_admin).get(reverse("feedback:review_queue")))

    assert "不一致" in table_rows(html)[0].cells
    FeedbackLine.objects.filter(report=july).update(spent=Decimal("5000"))
    html = page(client_for(region_admin).get(reverse("feedback:review_queue")))
    assert "不一致" not in table_rows(html)[0].cells
