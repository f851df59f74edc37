"""On PostgreSQL, payments_summary's rows are written by SQL (treasury.summary_sql): exactly treasury.summary's."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from allocations.issuing import issue
from allocations.models import AllocationDocument, County, Prefecture
from allocations.reallocation import ProposedLine, create_reallocation
from tests.treasury.payment_files import csv_bytes, row, write
from treasury.management.commands.payments_summary import _cells
from treasury.summary import document_summary
from treasury.summary_sql import summary_text_rows

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL table is PostgreSQL's")

NUMBER = "新财社〔2023〕74号"


def _python_rows(document, month):
    return [_cells(figures) for figures in document_summary(document, month, by_use=False)]


def _both(month):
    document = AllocationDocument.objects.get(number=NUMBER)
    return summary_text_rows(document, month), _python_rows(document, month)


def test_it_writes_the_samples_rows_as_python_does(sample_imported):
    for month in (date(2023, 5, 1), date(2023, 6, 1), date(2023, 7, 1), date(2024, 1, 1)):
        by_sql, by_python = _both(month)
        assert by_sql == by_python
    assert len(by_sql) == 100 + 14 + 1


def test_it_writes_refunds_ties_own_units_and_restated_counties_as_python_does(import_file, notice_document, tmp_path):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    tianshan = County.objects.get(prefecture=urumqi, name="天山区")
    restated = create_reallocation(
        notice_document, urumqi, "乌财社〔2023〕12号", "转下达", [ProposedLine(tianshan, Decimal("1200"))], date(2023, 6, 20)
    )
    issue(restated)
    generator = random.Random(15)
    counties = list(County.objects.filter(prefecture__name__in=["乌鲁木齐市", "喀什地区"]).select_related("prefecture"))
    lines = []
    for n in range(400):
        county = generator.choice(counties)
        # Whole 元, cents, 50.00 元 ties (0.005 万元) and refunds, some larger than what was paid.
        amount = generator.choice([
            f"{generator.randint(1, 900000)}.{generator.randint(0, 99):02d}", "50.00", "-50.00", f"-{generator.randint(1, 90000)}.00",
        ])
        own = n % 17 == 0  # the prefecture's own units
        lines.append(row(
            f"EQ{n}", paid_on=f"2023-{generator.randint(5, 8):02d}-{generator.randint(1, 28):02d}",
            prefecture=county.prefecture.name, county="" if own else county.name, amount=amount,
            document="乌财社〔2023〕12号" if county == tianshan and n % 2 else NUMBER,
        ))
    import_file(write(tmp_path, "payments.csv", csv_bytes(lines)))

    for month in (date(2023, 6, 1), date(2023, 7, 1), date(2023, 8, 1)):
        by_sql, by_python = _both(month)
        assert by_sql == by_python
    assert any(r[3].startswith("-") for r in by_sql)  # a refund larger than the payments: a negative paid
    assert any(r[1] == "本级单位" for r in by_sql)
    assert ("乌鲁木齐市", "天山区", "1200.00") == by_sql[[r[1] for r in by_sql].index("天山区")][:3]


def test_it_writes_a_document_without_payments_as_python_does(reference_data):
    by_sql, by_python = _both(date(2023, 7, 1))
    assert by_sql == by_python
    assert by_sql[-1] == ("合计", "", "72988.00", "0.00", "72988.00", "0.00")
