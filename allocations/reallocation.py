"""转下达: a prefecture passes its share of a regional document on to its counties.

Rules: the new document names its parent and its issuing prefecture; it
carries a 发文日期 no earlier than the parent's (the deadline of
allocations.timeliness is counted from those dates); it inherits the fund
and the direct-funds mark; its lines name only counties of that prefecture.

How much each county gets is the region's decision wherever the parent's
附件1 names the county (in the notice every line does; 市本级 and the zones
are counties too). The re-allocation then copies the parent, county by
county. A prefecture may pass its counties on in several documents, but
each county once and in full:

- a county the parent does not fund cannot be named;
- a named county gets exactly the parent's amount; 0, the only way to pass
  nothing on, is refused like any other amount that differs;
- a county already named in another re-allocation of the prefecture under
  the same parent (a draft included) cannot be named again.

So no document can move money between counties, and the prefecture has
passed everything on once each county of the parent has been named; until
then the rest is still due, as the overdue list shows.

Where the parent gives the prefecture a 小计 only (no county lines), the
prefecture distributes it freely: everything it passes on under one parent
stays within that 小计.
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


def parent_county_amounts(parent, prefecture):
    """{county id: amount} as the parent gives them to the prefecture's counties; {} for a 小计 only."""
    lines = AllocationLine.objects.filter(document=parent, county__prefecture=prefecture)
    return dict(lines.values_list("county_id", "amount"))


def counties_passed_on(parent, issuer, exclude_document=None):
    """{county id: 文号} of the counties the prefecture has named in its re-allocations under parent, drafts included."""
    lines = AllocationLine.objects.filter(document__parent=parent, document__issuer=issuer)
    if exclude_document is not None:
        lines = lines.exclude(document=exclude_document)
    return dict(lines.values_list("county_id", "document__number"))


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


def _county_errors(county, amount, given, earlier):
    """Why one line does not copy the parent: [] when it does."""
    name = county.name
    if county.pk in earlier:
        return [_("%(county)s：已在 %(other)s 中转下达，每个县（市、区）只能转下达一次。") % {
            "county": name, "other": earlier[county.pk]}]
    if county.pk not in given:
        return [_("%(county)s：上级文件未分配，转下达 %(amount)s 万元。") % {"county": name, "amount": plain(amount)}]
    if amount != given[county.pk]:
        return [_("%(county)s：上级文件分配 %(given)s 万元，转下达 %(amount)s 万元。") % {
            "county": name, "given": plain(given[county.pk]), "amount": plain(amount)}]
    return []


def _follow_parent(parent, issuer, lines, given, earlier):
    """Raise, naming every county that does not copy the parent, and what each should get."""
    errors = []
    for line in lines:
        errors.extend(_county_errors(line.county, line.amount, given, earlier))
    if not errors:
        return
    due = [(county_id, amount) for county_id, amount in given.items() if county_id not in earlier]
    names = dict(issuer.counties.filter(pk__in=[county_id for county_id, _amount in due]).values_list("pk", "name"))
    listed = "、".join(f"{names[county_id]} {plain(amount)}" for county_id, amount in due) or _("（均已转下达）")
    errors.append(
        _(
            "%(number)s 分配给 %(name)s 各县（市、区）的金额由自治区确定，转下达须逐县照抄，不能在县（市、区）之间调剂，"
            "也不能填 0：尚待转下达的有 %(listed)s（万元）。可分几个文件转下达，但每个县（市、区）须一次全额转下达。"
        ) % {"number": parent.number, "name": issuer.name, "listed": listed}
    )
    raise ValidationError(errors)


def check_follows_parent(parent, issuer, lines, exclude_document=None):
    """The county rule where the parent names counties, the 小计 otherwise (see the module's docstring).

    lines: ProposedLines or AllocationLines of one document; exclude_document:
    that document, when it is already stored, so its own lines are not
    counted as an earlier re-allocation.
    """
    given = parent_county_amounts(parent, issuer)
    if given:
        _follow_parent(parent, issuer, lines, given, counties_passed_on(parent, issuer, exclude_document))
    _check_total(parent, issuer, sum((line.amount for line in lines), Decimal("0")), exclude_document)


def _date_errors(parent, issued_on):
    if issued_on is None:
        return [_("请填写发文日期：转下达文件须注明发文日期，是否按时转下达以此计算。")]
    if parent.issued_on and issued_on < parent.issued_on:
        return [_("发文日期 %(date)s 早于上级文件 %(number)s 的发文日期 %(parent_date)s，转下达文件不能早于上级文件。") % {
            "date": issued_on.isoformat(), "number": parent.number, "parent_date": parent.issued_on.isoformat()}]
    return []


def check_within_parent_share(document):
    """The last gate of a stored 转下达 draft, at 下达 (allocations.issuing).

    Whatever wrote it (the form, the admin, a flat import), its date and its
    lines must pass the rules a new re-allocation passes.
    """
    messages = _date_errors(document.parent, document.issued_on)
    if not messages:
        try:
            check_follows_parent(document.parent, document.issuer, list(document.lines.select_related("county")), document)
        except ValidationError as refused:
            messages = refused.messages
    if messages:
        raise ValidationError(
            [_("%(number)s 不能下达：%(message)s") % {"number": document.number, "message": message} for message in messages]
        )


def validate_reallocation(parent, issuer, number, lines, issued_on=None):
    errors = []
    if parent.parent_id is not None:
        errors.append(_("%(number)s 本身是转下达文件，只能转下达自治区文件。") % {"number": parent.number})
    if parent.status != DocumentStatus.ISSUED:
        errors.append(_("%(number)s 尚未下达，不能转下达。") % {"number": parent.number})
    if AllocationDocument.objects.filter(number=number).exists():
        errors.append(_("文号 %(number)s 已存在。") % {"number": number})
    errors.extend(_date_errors(parent, issued_on))
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
    check_follows_parent(parent, issuer, lines)


@transaction.atomic
def create_reallocation(parent, issuer, number, title, lines, issued_on=None):
    # Lock the parent so two officers passing on money at once cannot both
    # pass the share check (a no-op on SQLite, whose writes are serialised).
    parent = AllocationDocument.objects.select_for_update().get(pk=parent.pk)
    validate_reallocation(parent, issuer, number, lines, issued_on)
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
    """One line written on its own (the admin's line form, the flat import) into a 转下达 draft.

    The line itself must copy the parent (where the parent names counties);
    and the draft's other lines as stored now (earlier rows of the same file
    included), with this line's new amount in place of its old one, plus the
    prefecture's other re-allocations under the parent stay within its 小计.
    """
    document = line.document
    parent, issuer = document.parent, document.issuer
    county = line.county if line.county_id else None
    if county is None and line.pk:
        # The admin's line form names the line by its key only: the county is the stored one.
        stored = AllocationLine.objects.select_related("county").filter(pk=line.pk).first()
        county = stored.county if stored else None
    given = parent_county_amounts(parent, issuer)
    if given and county is not None:
        _follow_parent(parent, issuer, [ProposedLine(county, line.amount)], given, counties_passed_on(parent, issuer, document))
    others = document.lines.exclude(pk=line.pk) if line.pk else document.lines.all()
    total = (others.aggregate(total=Sum("amount"))["total"] or Decimal("0")) + line.amount
    _check_total(parent, issuer, total, exclude_document=document)
