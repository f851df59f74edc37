from collections import OrderedDict
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from allocations.issuing import issue
from allocations.models import DocumentStatus, PrefectureSubtotal
from allocations.reconcile import reconcile


def test_it_accepts_a_table_whose_sums_match():
    lines = [("乌鲁木齐市", D("8000")), ("乌鲁木齐市", D("294")), ("哈密市", D("2370"))]
    assert reconcile(lines, OrderedDict([("乌鲁木齐市", D("8294")), ("哈密市", D("2370"))]), D("10664")) == []


def test_it_names_the_prefecture_and_both_numbers():
    lines = [("伊犁州", D("8846"))]
    mismatches = reconcile(lines, {"伊犁州": D("8864")}, D("8846"))
    assert [str(m) for m in mismatches] == ["伊犁州 小计 8864 ≠ 各县合计 8846"]


def test_it_reports_a_wrong_grand_total():
    mismatches = reconcile([("哈密市", D("2370"))], {"哈密市": D("2370")}, D("2371"))
    assert [str(m) for m in mismatches] == ["合计 2371 ≠ 各行合计 2370"]


def test_it_reports_a_prefecture_without_a_subtotal():
    mismatches = reconcile([("哈密市", D("2370")), ("克州", D("5"))], {"哈密市": D("2370")}, D("2375"))
    assert [str(m) for m in mismatches] == ["克州 缺少小计（各县合计 5）"]


def test_it_reports_a_declared_subtotal_with_no_lines():
    mismatches = reconcile([], {"哈密市": D("2370")}, D("2370"))
    assert [str(m) for m in mismatches] == ["哈密市 小计 2370 ≠ 各县合计 0", "合计 2370 ≠ 各行合计 0"]


def test_it_compares_exact_decimals():
    assert reconcile([("博州", D("0.10")), ("博州", D("0.20"))], {"博州": D("0.3")}, D("0.30")) == []


def test_it_finds_the_notice_reconciled(notice_document):
    assert notice_document.reconciliation() == []


def test_it_refuses_to_issue_a_document_that_does_not_reconcile(notice_document):
    notice_document.status = DocumentStatus.DRAFT
    notice_document.save()
    PrefectureSubtotal.objects.filter(document=notice_document, prefecture__name="伊犁州").update(declared_amount=8864)

    with pytest.raises(ValidationError) as error:
        issue(notice_document)

    assert "伊犁州 小计 8864 ≠ 各县合计 8846" in " ".join(error.value.messages)
    notice_document.refresh_from_db()
    assert notice_document.status == DocumentStatus.DRAFT


def test_it_issues_a_reconciled_draft(notice_document):
    notice_document.status = DocumentStatus.DRAFT
    notice_document.save()
    issue(notice_document)
    notice_document.refresh_from_db()
    assert notice_document.status == DocumentStatus.ISSUED
