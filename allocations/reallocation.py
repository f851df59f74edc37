"""转下达: a prefecture passes its share of a regional document on to its counties.

Rules: the new document names its parent and its issuing prefecture; it
inherits the fund and the direct-funds mark; its lines name only counties of
that prefecture; and everything the prefecture passes on under one parent
stays within its 小计 there.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from allocations.models import AllocationDocument, AllocationLine, DocumentStatus, PrefectureSubtotal
from allocations.money import plain


@dataclass
class ProposedLine:
    county: object
    amount: Decimal
    note: str = ""


def passed_on_by_prefecture(parent):
    """{prefecture id: Σ of its re-allocation lines} under one regional document."""
    rows = (
        AllocationLine.objects.filter(document__parent=parent)
        .values("document__issuer_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["document__issuer_id"]: row["total"] for row in rows}


def parent_share(parent, prefecture):
    sub = PrefectureSubtotal.objects.filter(document=parent, prefecture=prefecture).first()
    if sub is None:
        raise ValidationError(_("%(number)s 没有给 %(name)s 分配资金，不能转下达。") % {
            "number": parent.number,
            "name": prefecture.name,
        })
    return sub.declared_amount


def _check_total(parent, issuer, new_total, exclude_document=None):
    share = parent_share(parent, issuer)
    others = AllocationLine.objects.filter(document__parent=parent, document__issuer=issuer)
    if exclude_document is not None:
        others = others.exclude(document=exclude_document)
    already = others.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if already + new_total > share:
        detail = _("（其中已转下达 %(plain)s）") % {"plain": plain(already)} if already else ""
        raise ValidationError(
            _("%(name)s 转下达合计 %(passed_on)s%(detail)s 超过 %(number)s 中的小计 %(share)s。") % {
                "name": issuer.name,
                "passed_on": plain(already + new_total),
                "detail": detail,
                "number": parent.number,
                "share": plain(share),
            }
        )


def check_within_parent_share(document):
    total = document.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    _check_total(document.parent, document.issuer, total, exclude_document=document)


def validate_reallocation(parent, issuer, number, lines):
    errors = []
    if parent.parent_id is not None:
        errors.append(_("%(number)s 本身是转下达文件，只能转下达自治区文件。") % {"number": parent.number})
    if parent.status != DocumentStatus.ISSUED:
        errors.append(_("%(number)s 尚未下达，不能转下达。") % {"number": parent.number})
    if AllocationDocument.objects.filter(number=number).exists():
        errors.append(_("文号 %(number)s 已存在。") % {"number": number})
    if not lines:
        errors.append(_("至少需要一行分配明细。"))
    seen = set()
    for i, line in enumerate(lines, start=1):
        if line.county.prefecture_id != issuer.pk:
            errors.append(_("第%(i)s行：%(county)s 不属于 %(name)s，只能分配给本地（州、市）的县（市、区）。") % {
                "i": i,
                "county": line.county,
                "name": issuer.name,
            })
        if line.county.pk in seen:
            errors.append(_("第%(i)s行：%(county)s 重复。") % {"i": i, "county": line.county})
        seen.add(line.county.pk)
        if line.amount < 0:
            errors.append(_("第%(i)s行：%(county)s 拨付金额不能为负数。") % {"i": i, "county": line.county})
    if errors:
        raise ValidationError(errors)
    _check_total(parent, issuer, sum((line.amount for line in lines), Decimal("0")))


@transaction.atomic
def create_reallocation(parent, issuer, number, title, lines, issued_on=None):
    # Lock the parent so two officers passing on money at once cannot both
    # pass the share check (a no-op on SQLite, whose writes are serialised).
    parent = AllocationDocument.objects.select_for_update().get(pk=parent.pk)
    validate_reallocation(parent, issuer, number, lines)
    total = sum((line.amount for line in lines), Decimal("0"))
    document = AllocationDocument(
        number=number,
        title=title,
        year=parent.year,
        batch=parent.batch,
        issued_on=issued_on,
        basis=parent.number,
        parent=parent,
        issuer=issuer,
        fund_id=parent.fund_id,
        direct_mark=parent.direct_mark,
        declared_total=total,
    )
    document.full_clean()
    document.save()
    PrefectureSubtotal.objects.create(document=document, prefecture=issuer, declared_amount=total)
    bulk_create_with_history(
        [
            AllocationLine(document=document, county=line.county, amount=line.amount, note=line.note, position=i)
            for i, line in enumerate(lines, start=1)
        ],
        AllocationLine,
    )
    return document


def check_line_within_parent_share(line):
    """One line written on its own (the admin's flat import) into a 转下达 draft.

    The draft's other lines as stored now (earlier rows of the same file
    included), with this line's new amount in place of its old one, plus
    the prefecture's other re-allocations under the parent: within its 小计.
    """
    document = line.document
    others = document.lines.exclude(pk=line.pk) if line.pk else document.lines.all()
    total = (others.aggregate(total=Sum("amount"))["total"] or Decimal("0")) + line.amount
    _check_total(document.parent, document.issuer, total, exclude_document=document)
