"""Writing (and replacing) the national data set, all or nothing.

Generated rows are found by their marks only: provinces whose code starts
with plan.CODE_PREFIX (and what hangs off them), documents whose 文号 starts
with plan.NUMBER_PREFIX. The notice's data and anything else typed or
imported into the application are never read as generated, so never deleted.

No django-simple-history rows are written, and none on deletion: history is
the record of what a person changed, and synthetic bulk data has no editor.
The history pages list nothing for these objects, which is their true
history. Deletes are plain SQL for the same reason (the ORM's delete would
send a signal, and a history row, per object).
"""

from django.db import connection, transaction
from django.db.models import Q

from allocations.models import (
    AllocationDocument,
    AllocationLine,
    County,
    Prefecture,
    PrefectureSubtotal,
    Province,
)
from core.models import User
from core import bulk_insert
from national.allocation_rows import write_documents, write_geography
from national.feedback_rows import write_lines, write_reports
from national.plan import CODE_PREFIX, NUMBER_PREFIX
from national.payment_rows import write_payments
from national.target_rows import write_targets
from feedback.models import FeedbackLine, FeedbackReport
from targets.models import Actual, Indicator, Target, TargetTable
from treasury.models import Payment, PaymentException, PaymentSummary

NOTICE = "新财社〔2023〕74号"
WRITTEN = (Province, Prefecture, County, AllocationDocument, PrefectureSubtotal, AllocationLine,
           FeedbackReport, FeedbackLine, TargetTable, Target, Payment, PaymentSummary)


class Refused(Exception):
    pass


def generated_provinces():
    return Province.objects.filter(code__startswith=CODE_PREFIX)


def generated_documents():
    # A 转下达 made in the application from a generated document goes with it.
    return AllocationDocument.objects.filter(Q(number__startswith=NUMBER_PREFIX) | Q(parent__number__startswith=NUMBER_PREFIX))


def present():
    """(provinces, documents) already generated."""
    return generated_provinces().count(), generated_documents().count()


def reference():
    """The notice's fund and the indicator catalogue, which generated data uses."""
    notice = AllocationDocument.objects.select_related("fund").filter(number=NOTICE).first()
    indicators = list(Indicator.objects.order_by("position", "pk"))
    if notice is None or not indicators:
        raise Refused("找不到通知的资金或绩效指标目录：请先运行 python manage.py load_reference_data。")
    return notice.fund, indicators


def _raw_delete(queryset):
    model = queryset.model
    sql, params = queryset.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({sql})", params)
        return cursor.rowcount


def delete_generated():
    """Delete every generated row; returns {model name: rows}. Call inside a transaction."""
    provinces = generated_provinces()
    prefectures = Prefecture.objects.filter(province__in=provinces)
    documents = generated_documents()
    bound = list(User.objects.filter(prefecture__in=prefectures).values_list("username", flat=True)[:5])
    if bound:
        raise Refused(f"有用户绑定在生成的地州市上（{'、'.join(bound)}）：先改掉他们的所属地州市，再用 --replace。")
    tables = TargetTable.objects.filter(Q(document__in=documents) | Q(prefecture__in=prefectures))
    # Payments in or under generated places and documents, generated or imported: they hold those rows.
    payments = Payment.objects.filter(
        Q(root_document__in=documents) | Q(document__in=documents) | Q(prefecture__in=prefectures)
    )
    steps = (
        PaymentException.objects.filter(payment__in=payments),
        PaymentSummary.objects.filter(Q(document__in=documents) | Q(prefecture__in=prefectures)),
        payments,
        FeedbackLine.objects.filter(Q(report__prefecture__in=prefectures) | Q(document__in=documents)),
        FeedbackReport.objects.filter(prefecture__in=prefectures),
        Actual.objects.filter(target__table__in=tables),
        Target.objects.filter(table__in=tables),
        tables,
        AllocationLine.objects.filter(document__in=documents),
        PrefectureSubtotal.objects.filter(document__in=documents),
        documents,
        County.objects.filter(prefecture__in=prefectures),
        prefectures,
        provinces,
    )
    return {step.model._meta.model_name: _raw_delete(step) for step in steps}


def _check_names(plan):
    """Prefecture names are unique: none of ours may be taken already (it never is, by the pools)."""
    taken = list(Prefecture.objects.filter(name__in=[p.name for p in plan.prefectures]).values_list("name", flat=True)[:5])
    if taken:
        raise Refused(f"地州市名称已存在：{'、'.join(taken)}。换一个 --seed 再试。")


def generate(plan, replace=False):
    """Write the plan; returns {what: rows written} (and "deleted" when replacing)."""
    fund, indicators = reference()
    counts = {}
    with transaction.atomic():
        if any(present()):
            if not replace:
                provinces, documents = present()
                raise Refused(
                    f"数据库里已有生成的全国模拟数据（{provinces} 个省、{documents} 份文件）。"
                    "要重新生成，加 --replace（只删除生成的数据，通知的数据不动）。"
                )
            counts["deleted"] = delete_generated()
        _check_names(plan)
        prefecture_ids, county_ids = write_geography(plan)
        document_ids, subtotals, written = write_documents(plan, fund, prefecture_ids, county_ids)
        reports, report_ids, report_count = write_reports(plan, prefecture_ids)
        line_count = write_lines(plan, fund, reports, report_ids, prefecture_ids, document_ids, subtotals)
        tables, targets = write_targets(plan, fund, indicators, prefecture_ids, document_ids)
        payments, summaries = write_payments(plan, prefecture_ids, county_ids, document_ids)
    counts.update(
        provinces=len(plan.provinces), prefectures=len(plan.prefectures), counties=plan.county_count,
        documents=len(plan.documents), subtotals=written["subtotals"], allocation_lines=written["lines"],
        reports=report_count, feedback_lines=line_count, target_tables=tables, targets=targets,
        payments=payments, payment_summaries=summaries,
    )
    bulk_insert.analyze(WRITTEN)
    return counts
