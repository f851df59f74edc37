"""Every list endpoint runs the same number of queries at 10 rows as at 10,000 (rows made with bulk_create).

Each request with a token costs one query to find the token (its last use is written at most once a
minute, and the warm-up request has done that). Then, per endpoint, the queries named in QUERIES.
"""

import datetime
from copy import copy
from decimal import Decimal

import pytest
from django.utils import timezone

from allocations.models import (
    AllocationDocument, AllocationLine, County, CountyKind, DocumentStatus, Fund, Prefecture, Province,
)
from core.models import Role
from feedback.models import FeedbackReport
from targets.models import Indicator, Kind, Level1, Level2, RollupRule, TargetTable
from treasury.models import Payment, PaymentSummary

TOKEN = 1  # SELECT the token by its key's digest
QUERIES = {
    # the provinces whose prefectures the role sees: one query with a subquery
    "provinces": TOKEN + 1,
    # the visible prefectures with their province (select_related)
    "prefectures": TOKEN + 1,
    # one cursor page of counties with their prefecture
    "counties": TOKEN + 1,
    # one cursor page of documents (visible_to subquery, shown total, fund, parent and issuer joined)
    "documents": TOKEN + 1,
    # one cursor page of lines with county and prefecture
    "allocation-lines": TOKEN + 1,
    # the indicator catalogue
    "indicators": TOKEN + 1,
    # one cursor page of tables with document and prefecture
    "target-tables": TOKEN + 1,
    # one cursor page of reports with prefecture
    "feedback-reports": TOKEN + 1,
    # one cursor page of payments with prefecture and county
    "payments": TOKEN + 1,
    # one cursor page of summary rows
    "payment-summaries": TOKEN + 1,
}


def _prefecture(tag):
    return Prefecture.objects.create(name=f"测试州{tag}", position=900)


def _provinces(n, tag):
    provinces = Province.objects.bulk_create(Province(name=f"测试省{tag}-{i}", code=f"T{tag}{i}") for i in range(n))
    Prefecture.objects.bulk_create(Prefecture(name=f"测试州{tag}-{i}", province=p) for i, p in enumerate(provinces))


def _prefectures(n, tag):
    home = Prefecture.objects.first().province
    Prefecture.objects.bulk_create(Prefecture(name=f"测试州{tag}-{i}", province=home) for i in range(n))


def _counties(n, tag):
    prefecture = _prefecture(tag)
    return County.objects.bulk_create(County(prefecture=prefecture, name=f"县{i}", kind=CountyKind.COUNTY) for i in range(n))


def _documents(n, tag):
    fund = Fund.objects.first()
    return AllocationDocument.objects.bulk_create(
        AllocationDocument(
            number=f"测〔{tag}〕{i}号", title="测试", year=2020, fund=fund, direct_mark=fund.direct_mark,
            declared_total=Decimal("1"), status=DocumentStatus.ISSUED,
        )
        for i in range(n)
    )


def _lines(n, tag):
    document = AllocationDocument.objects.get(number="新财社〔2023〕74号")
    AllocationLine.objects.bulk_create(
        AllocationLine(document=document, county=county, amount=Decimal("1")) for county in _counties(n, tag)
    )


def _indicators(n, tag):
    Indicator.objects.bulk_create(
        Indicator(code=f"T{tag}-{i}", name=f"测试指标{tag}-{i}", level1=Level1.OUTPUT, level2=Level2.QUANTITY,
                  kind=Kind.QUANTITATIVE, rollup=RollupRule.SUM)
        for i in range(n)
    )


def _target_tables(n, tag):
    sample = TargetTable.objects.exclude(prefecture=None).first()
    tables = []
    for document in _documents(n, tag):
        table = copy(sample)
        table.pk, table.document = None, document
        tables.append(table)
    TargetTable.objects.bulk_create(tables)


def _months(n):
    return [datetime.date(1000 + i // 12, i % 12 + 1, 1) for i in range(n)]


def _feedback_reports(n, tag):
    prefecture = _prefecture(tag)
    FeedbackReport.objects.bulk_create(FeedbackReport(prefecture=prefecture, month=m, due_date=m) for m in _months(n))


def _payments(n, tag):
    prefecture = Prefecture.objects.get(name="乌鲁木齐市")
    now = timezone.now()
    Payment.objects.bulk_create(
        Payment(voucher=f"Q{tag}-{i}", paid_on=datetime.date(2023, 6, 1), prefecture=prefecture, amount_fen=100,
                payee="王某", imported_at=now)
        for i in range(n)
    )


def _payment_summaries(n, tag):
    document = AllocationDocument.objects.get(number="新财社〔2023〕74号")
    prefecture = _prefecture(tag)
    PaymentSummary.objects.bulk_create(
        PaymentSummary(document=document, prefecture=prefecture, month=m, paid_fen=1, payments=1) for m in _months(n)
    )


BUILD = {
    "provinces": _provinces, "prefectures": _prefectures, "counties": _counties, "documents": _documents,
    "allocation-lines": _lines, "indicators": _indicators, "target-tables": _target_tables,
    "feedback-reports": _feedback_reports, "payments": _payments, "payment-summaries": _payment_summaries,
}


@pytest.mark.parametrize("endpoint", sorted(QUERIES))
def test_it_runs_as_many_queries_at_10_as_at_10000_rows(endpoint, api_for, django_assert_num_queries, notice_document):
    client = api_for(Role.REGION_ADMIN)
    url = f"/api/v1/{endpoint}/"
    assert client.get(url).status_code == 200  # warm-up: the token's last use is written here
    for size, tag in ((10, "a"), (10_000, "b")):
        BUILD[endpoint](size, tag)
        with django_assert_num_queries(QUERIES[endpoint]):
            answer = client.get(url)
        assert answer.status_code == 200, answer.content


def test_it_reads_a_document_with_10_or_10000_lines_in_the_same_queries(api_for, django_assert_num_queries, notice_document):
    client = api_for(Role.REGION_ADMIN)
    url = f"/api/v1/documents/{notice_document.pk}/"
    assert client.get(url).status_code == 200  # warm-up: the token's last use is written here
    for size, tag in ((10, "a"), (10_000, "b")):
        _lines(size, tag)
        # the token; the document (fund, parent, issuer joined); its subtotals; its lines; its 转下达
        with django_assert_num_queries(TOKEN + 4):
            answer = client.get(url)
        assert len(answer.json()["lines"]) >= size
