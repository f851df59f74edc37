"""Queries flat in rows: every list page and each role's dashboard, at 10 rows and at 10,000 (issue 7).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/listscale .venv/bin/python bench/bench_queries.py

Works in the test database of DATABASE_URL (test_listscale here), made anew
by migrate and destroyed at the end; the database named in the URL is not
touched. For each size the database is flushed, the notice's reference data
loaded, four users made (one per role, as tests/conftest.py does) and N rows
of every page's main model written with bulk_create:

- N regional documents (issued before the notice, so the notice stays the
  dashboards' document), each giving 乌鲁木齐市's 天山区 one line and a 小计;
- N prefectures, each with a county, a line and a 小计 in the notice;
- N feedback reports (the new prefectures, 2023-07), one line each, every
  other one submitted, the rest drafts; their history rows (the change log);
- N target tables (the N documents × 乌鲁木齐市);
- N unmapped targets in the notice's 乌鲁木齐市 table, each with a 6月 actual;
- N payments under the notice, one to each new county in July, each with a
  payment exception and a summary row (the exceptions page, the flow page and
  the treasury's admin lists).

"Today" is 2023-08-15 for the whole run, so the overdue list and the
completeness grid are about the data (June is overdue for every new
prefecture, July for the drafts). Each page is requested once to warm the
caches, then once with its queries captured (django.test.utils
.CaptureQueriesContext). --sizes 10,1000 for a quicker run.
"""

import argparse
import io
import os
import sys
import time
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import database_version, now_utc, write_section  # noqa: E402

TODAY = date(2023, 8, 15)
JULY = date(2023, 7, 1)
COMMAND = "bench/bench_queries.py"
# Pages that belong to someone else: a difference there is reported, not fixed here.
OWNED_ELSEWHERE = ("首页",)
# Why a page's count may differ without growing with the rows.
NOTES = {
    "/changes/": "oversight/changelog.py reads the rows of each model on the page (two queries a model), so the count "
    "follows how many models the 50 newest changes span, at most every history model, never the rows: at the larger "
    "size the newest 50 are all reports. Filtered to one model (the next row) the count is the same at both sizes.",
}


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()


def _users():
    from django.contrib.auth.models import Group

    from allocations.models import Prefecture
    from core.models import Role, User

    def make(username, role, prefecture=None, staff=True):
        user = User.objects.create_user(username=username, password="x-bench-only-9", prefecture=prefecture, is_staff=staff)
        user.groups.add(Group.objects.get(name=role))
        return user

    return {
        "region_admin": make("region_admin", Role.REGION_ADMIN),
        "auditor": make("auditor", Role.AUDITOR),
        "hr_reviewer": make("hr_reviewer", Role.HR_REVIEWER),
        "officer": make("officer_urumqi", Role.FINANCE_OFFICER, Prefecture.objects.get(name="乌鲁木齐市"), staff=False),
    }


def _rows(n):
    """N rows of every page's main model; returns what was written, in words."""
    from simple_history.utils import bulk_create_with_history

    from allocations.models import (
        AllocationDocument,
        AllocationLine,
        County,
        CountyKind,
        DocumentStatus,
        Prefecture,
        PrefectureSubtotal,
    )
    from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
    from targets.models import Actual, Checkpoint, Operator, Target, TargetTable, Verdict

    notice = AllocationDocument.objects.get(number="新财社〔2023〕74号")
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    tianshan = County.objects.get(prefecture=urumqi, name="天山区")
    # The prefecture's province when the model has one (an explicit value spares a default's query per row).
    province = {"province_id": urumqi.province_id} if hasattr(urumqi, "province_id") else {}

    documents = AllocationDocument.objects.bulk_create(
        AllocationDocument(
            number=f"规模〔2023〕{i}号", title="规模测试文件", year=2023, issued_on=date(2023, 1, 1), fund=notice.fund,
            direct_mark=notice.fund.direct_mark, declared_total=Decimal("10"), status=DocumentStatus.ISSUED,
        )
        for i in range(n)
    )
    AllocationLine.objects.bulk_create(AllocationLine(document=d, county=tianshan, amount=Decimal("10"), position=1) for d in documents)
    PrefectureSubtotal.objects.bulk_create(PrefectureSubtotal(document=d, prefecture=urumqi, declared_amount=Decimal("10")) for d in documents)

    prefectures = Prefecture.objects.bulk_create(Prefecture(name=f"规模地区{i}", position=100 + i, **province) for i in range(n))
    counties = County.objects.bulk_create(County(prefecture=p, name="规模县", kind=CountyKind.COUNTY) for p in prefectures)
    AllocationLine.objects.bulk_create(
        AllocationLine(document=notice, county=c, amount=Decimal("5"), position=1000 + i) for i, c in enumerate(counties)
    )
    PrefectureSubtotal.objects.bulk_create(PrefectureSubtotal(document=notice, prefecture=p, declared_amount=Decimal("5")) for p in prefectures)

    submitted = datetime(2023, 7, 28, 2, 0, tzinfo=timezone.utc)
    reports = bulk_create_with_history(
        [
            FeedbackReport(
                prefecture=p, month=JULY, due_date=date(2023, 7, 31),
                status=ReportStatus.SUBMITTED if i % 2 == 0 else ReportStatus.DRAFT,
                submitted_at=submitted if i % 2 == 0 else None, on_time=True if i % 2 == 0 else None,
            )
            for i, p in enumerate(prefectures)
        ],
        FeedbackReport,
    )
    FeedbackLine.objects.bulk_create(
        FeedbackLine(
            report=r, document=notice, fund_name=notice.fund.name, document_number=notice.number, amount=Decimal("5"),
            spent=Decimal("2"), direct_mark=notice.direct_mark, position=1,
        )
        for r in reports
    )

    TargetTable.objects.bulk_create(
        TargetTable(
            document=d, prefecture=urumqi, title="规模绩效目标表", fund_name=notice.fund.name, authority_label="主管部门",
            authority="人社厅", finance_label="财政部门", finance_department="财政厅", local_label="地方主管部门",
            local_department="人社局", goal_heading="总体目标", goal_text="—",
        )
        for d in documents
    )
    table = TargetTable.objects.get(document=notice, prefecture=urumqi)
    targets = Target.objects.bulk_create(
        Target(table=table, wording=f"规模指标{i}", raw_value="≥100人", operator=Operator.AT_LEAST, number=100,
               unit="人", base_number=100, base_unit="人", position=1000 + i)
        for i in range(n)
    )
    Actual.objects.bulk_create(
        Actual(target=t, checkpoint=Checkpoint.MID_YEAR, raw_value="50人", base_number=50, verdict=Verdict.NOT_MET,
               deviation_reason="规模测试", improvement_measure="规模测试")
        for t in targets
    )
    _payments(notice, counties)
    return (
        "N regional documents with a line and a 小计 each, N prefectures with a county, a line and a 小计 each, "
        "N feedback reports with a line and a history row each, N target tables, N unmapped targets with an actual each, "
        "N payments (one per new county, under the notice) with an exception and a summary row each"
    )


def _payments(notice, counties):
    from treasury.models import ExceptionKind, Payment, PaymentException, PaymentSummary

    now = datetime(2023, 7, 20, 2, 0, tzinfo=timezone.utc)
    Payment.objects.bulk_create(
        Payment(
            voucher=f"GMQ{i:07d}", paid_on=date(2023, 7, 10), prefecture_id=c.prefecture_id, county=c,
            budget_unit="规模测试单位", document_number=notice.number, document=notice, root_document=notice,
            function_code="2080702", economic_code="30305", direct_mark="", amount_fen=100_000,
            payee="规模测试", use="vocational_training", imported_at=now,
        )
        for i, c in enumerate(counties)
    )
    PaymentException.objects.bulk_create(
        PaymentException(payment_id=f"GMQ{i:07d}", kind=ExceptionKind.MISSING_DIRECT_MARK, detail="规模测试")
        for i in range(len(counties))
    )
    PaymentSummary.objects.bulk_create(
        PaymentSummary(document=notice, prefecture_id=c.prefecture_id, county=c, use="vocational_training", month=JULY,
                       paid_fen=100_000, payments=1)
        for c in counties
    )


def _pages(users):
    from allocations.models import Prefecture

    from allocations.models import AllocationDocument

    urumqi = Prefecture.objects.get(name="乌鲁木齐市").pk
    notice = AllocationDocument.objects.get(number="新财社〔2023〕74号").pk
    admin, auditor, hr, officer = users["region_admin"], users["auditor"], users["hr_reviewer"], users["officer"]
    pages = [
        ("首页（自治区管理员）", admin, "/"),
        ("首页（审计员）", auditor, "/"),
        ("首页（人社审核员）", hr, "/"),
        ("首页（财政业务员）", officer, "/"),
        ("分配文件", admin, "/allocations/"),
        ("分配文件", officer, "/allocations/"),
        ("地州市", admin, "/allocations/prefectures/"),
        ("地州市", officer, "/allocations/prefectures/"),
        ("乌鲁木齐市（文件与明细）", admin, f"/allocations/prefectures/{urumqi}/"),
        ("乌鲁木齐市（文件与明细）", officer, f"/allocations/prefectures/{urumqi}/"),
        ("绩效目标表", admin, "/targets/"),
        ("绩效目标表", officer, "/targets/"),
        ("绩效目标审核", hr, "/targets/review/"),
        ("待映射指标", admin, "/targets/unmapped/"),
        ("资金使用反馈表", admin, "/feedback/reports/"),
        ("资金使用反馈表（按年月筛选）", admin, "/feedback/reports/?year=2023&month_number=7"),
        ("资金使用反馈表", officer, "/feedback/reports/"),
        ("待审核反馈表", admin, "/feedback/review/"),
        ("填报完整性", admin, "/feedback/completeness/?year=2023"),
        ("填报完整性", officer, "/feedback/completeness/?year=2023"),
        ("逾期未报", admin, "/feedback/overdue/"),
        ("逾期未报", officer, "/feedback/overdue/"),
        ("变更记录", auditor, "/changes/"),
        ("变更记录（反馈表）", auditor, "/changes/?model=feedback.feedbackreport"),
        ("国库支付异常", auditor, "/treasury/exceptions/"),
        ("资金流向", admin, f"/treasury/flow/{notice}/?month=2023-07"),
        ("资金流向", officer, f"/treasury/flow/{notice}/?month=2023-07"),
    ]
    for model in ("allocations/allocationdocument", "allocations/allocationline", "allocations/prefecturesubtotal",
                  "allocations/prefecture", "allocations/county", "feedback/feedbackreport", "feedback/feedbackline",
                  "targets/targettable", "targets/target", "targets/actual", "treasury/payment",
                  "treasury/paymentcode"):
        pages.append((f"admin {model}", admin, f"/admin/{model}/"))
    return pages


def _measure(pages):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = {}
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        client.get(url)  # warm: content types, translations, templates
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{label} ({user.username}) {url}: HTTP {response.status_code}")
        results[(label, user.username, url)] = ([q["sql"] for q in captured.captured_queries], elapsed)
        print(f"  {len(captured):3d} queries {elapsed * 1000:7.0f} ms  {user.username:15s} {url}", flush=True)
    return results


def _build(size):
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()  # flush gave the content types new ids
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    users = _users()
    started = time.perf_counter()
    written = _rows(size)
    if connection.vendor == "postgresql":
        # As autovacuum would: without statistics the planner takes 10,000 rows for none and picks plans for none.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{size:,} rows of each main model written in {time.perf_counter() - started:.1f} s", flush=True)
    return users, written


def _shape(sql):
    # Where two runs differ: the statement without its numbers, so the same query at two sizes compares equal.
    import re

    return re.sub(r"\d+", "N", sql)[:160]


def section(sizes, results, started_at, written):
    small, large = sizes
    load = "%.1f" % os.getloadavg()[0]
    lines = [
        "## Queries flat in rows",
        "",
        f"Measured by `{COMMAND} --sizes {small},{large}` on {started_at} ({database_version()}). "
        f"Each page's queries (django.test.utils.CaptureQueriesContext, the test client logged in as the role) "
        f"with {small:,} and with {large:,} rows of its main model; target: equal. "
        "Setup and data: the docstring of bench/bench_queries.py.",
        "",
        f"Rows written at each size, besides the notice's data: {written}. Time is one request on a shared machine "
        f"(load average {load} at the end), for orientation only: at {large:,} prefectures most of it is drawing "
        "(filter drop-downs of every prefecture, the grid and the dashboards' charts), not the database.",
        "",
        f"| page | user | address | queries at {small:,} | queries at {large:,} | equal? | ms at {large:,} |",
        "|---|---|---|---|---|---|---|",
    ]
    unequal = []
    for key in results[small]:
        label, username, url = key
        queries_small, _ = results[small][key]
        queries_large, elapsed = results[large][key]
        equal = len(queries_small) == len(queries_large)
        if not equal:
            unequal.append((key, queries_small, queries_large))
        lines.append(
            f"| {label} | {username} | `{url}` | {len(queries_small)} | {len(queries_large)} | "
            f"{'yes' if equal else '**no**'} | {elapsed * 1000:,.0f} |"
        )
    equal_count = len(results[small]) - len(unequal)
    lines += ["", f"{equal_count} of {len(results[small])} pages run the same number of queries at both sizes."]
    for (label, username, url), queries_small, queries_large in unequal:
        owner = " (owned elsewhere: reported, not fixed here)" if label.startswith(OWNED_ELSEWHERE) else ""
        note = NOTES.get(url, "")
        lines += ["", f"- {label} ({username}){owner}: {len(queries_small)} → {len(queries_large)}. {note}".rstrip()]
        for size, mine, other in ((small, queries_small, queries_large), (large, queries_large, queries_small)):
            shapes = [_shape(q) for q in other]
            only = [q for q in mine if _shape(q) not in shapes]
            if only:
                lines.append(f"  Only at {size:,}:")
                lines += [f"  - `{_shape(q)}…`" for q in only[:5]]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,10000", help="two row counts, small,large")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing bench/results/queries.md")
    options = parser.parse_args(argv)
    sizes = tuple(int(part) for part in options.sizes.split(","))
    if len(sizes) != 2:
        parser.error("--sizes takes two numbers")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("warning: DATABASE_URL is not PostgreSQL; the issue's figures are PostgreSQL's", file=sys.stderr)

    _setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    started_at = now_utc()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    results = {}
    try:
        with mock.patch("core.clock.today", return_value=TODAY):
            for size in sizes:
                users, written = _build(size)
                results[size] = _measure(_pages(users))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    markdown = section(sizes, results, started_at, written)
    if options.no_write:
        print(markdown)
    else:
        print(f"wrote {write_section('queries', markdown)}")


if __name__ == "__main__":
    main()
