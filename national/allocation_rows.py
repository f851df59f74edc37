"""附件1 at national scale: provinces, prefectures, counties, and issued documents
whose 小计 and 合计 are the sums of their lines, so every one reconciles."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from allocations.models import (
    AllocationDocument,
    AllocationLine,
    County,
    DocumentStatus,
    Prefecture,
    PrefectureSubtotal,
    Province,
)
from core import bulk_insert
from national.plan import line_amounts, money

LOCAL = ZoneInfo(settings.TIME_ZONE)


def at(day, hour=9, minute=0):
    """A moment of a working day where the bureaus are."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL)


def write_geography(plan):
    """Provinces, prefectures, counties. Returns (prefecture ids, [[county id per county] per prefecture])."""
    bulk_insert.insert(Province, ("name", "code", "position"), ((p.name, p.code, p.position) for p in plan.provinces))
    province_ids = dict(Province.objects.filter(code__in=[p.code for p in plan.provinces]).values_list("code", "id"))
    bulk_insert.insert(
        Prefecture,
        ("province", "name", "position"),
        ((province_ids[plan.provinces[p.province].code], p.name, p.position) for p in plan.prefectures),
    )
    by_name = dict(Prefecture.objects.filter(province_id__in=province_ids.values()).values_list("name", "id"))
    prefecture_ids = [by_name[p.name] for p in plan.prefectures]
    bulk_insert.insert(
        County,
        ("prefecture", "name", "kind", "position"),
        (
            (prefecture_id, county.name, county.kind, county.position)
            for prefecture, prefecture_id in zip(plan.prefectures, prefecture_ids)
            for county in prefecture.counties
        ),
    )
    found = {
        (prefecture_id, name): county_id
        for county_id, prefecture_id, name in County.objects.filter(prefecture_id__in=prefecture_ids).values_list(
            "id", "prefecture_id", "name"
        )
    }
    county_ids = [
        [found[(prefecture_id, county.name)] for county in prefecture.counties]
        for prefecture, prefecture_id in zip(plan.prefectures, prefecture_ids)
    ]
    return prefecture_ids, county_ids


def write_documents(plan, fund, prefecture_ids, county_ids):
    """Documents, their lines and 小计. Returns (document ids, subtotal cents [document][prefecture], counts)."""
    amounts = [line_amounts(plan, document) for document in plan.documents]
    subtotals = [[sum(per_prefecture) for per_prefecture in per_document] for per_document in amounts]
    bulk_insert.insert(
        AllocationDocument,
        (
            "number", "title", "table_title", "year", "batch", "issued_on", "basis", "fund", "direct_mark",
            "declared_total", "status", "parent", "issuer", "created_at", "updated_at",
        ),
        (
            (
                d.number, d.title, d.table_title, d.year, d.batch, d.issued_on, d.basis, fund.pk, fund.direct_mark,
                money(sum(subtotals[d.index])), DocumentStatus.ISSUED, None, None, at(d.issued_on), at(d.issued_on),
            )
            for d in plan.documents
        ),
    )
    by_number = dict(
        AllocationDocument.objects.filter(number__in=[d.number for d in plan.documents]).values_list("number", "id")
    )
    document_ids = [by_number[d.number] for d in plan.documents]
    subtotal_count = bulk_insert.insert(
        PrefectureSubtotal,
        ("document", "prefecture", "declared_amount"),
        (
            (document_id, prefecture_id, money(cents))
            for document_id, per_document in zip(document_ids, subtotals)
            for prefecture_id, cents in zip(prefecture_ids, per_document)
        ),
    )
    line_count = bulk_insert.insert(AllocationLine, ("document", "county", "amount", "note", "position"), _lines(document_ids, county_ids, amounts))
    return document_ids, subtotals, {"subtotals": subtotal_count, "lines": line_count}


def _lines(document_ids, county_ids, amounts):
    for document_id, per_document in zip(document_ids, amounts):
        position = 0
        for per_prefecture_ids, per_prefecture in zip(county_ids, per_document):
            for county_id, cents in zip(per_prefecture_ids, per_prefecture):
                position += 1
                yield (document_id, county_id, money(cents), "", position)
