"""Stages 2 and 3 of an allocation import: check plain rows, then write them.

Stage 1 (allocations.workbook.reader) turns a file into SheetRows. Here the
rows are checked against the regions and reconciled, and an accepted table is
written in one transaction with bulk inserts. The web upload, the admin, the
command and the notice's own data all come through these functions.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from simple_history.utils import bulk_create_with_history

from allocations.models import (
    AllocationDocument,
    AllocationLine,
    County,
    DocumentStatus,
    Fund,
    Prefecture,
    PrefectureSubtotal,
)
from allocations.line_writer import delete_lines, write_lines
from allocations.money import plain
from allocations.reconcile import TOTAL_SCOPE, reconcile
from allocations.workbook.reader import LINE, SUBTOTAL, TOTAL, SheetRow, WorkbookError, clean_text, read_workbook
from core.amounts import amount_or_problem
from core.refusals import ImportRefused

PAYLOAD_SALT = "allocations.import.preview"
PAYLOAD_MAX_AGE = 60 * 60  # a preview left open longer is read again
_CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(slots=True)
class CheckedLine:
    row: int
    prefecture: Prefecture
    county_id: int
    county_name: str
    amount: Decimal
    note: str
    position: int

    @property
    def county(self):
        # Made on demand for the preview: a 100k-line import never builds
        # 100k County objects, only their ids and names are looked up.
        return County(pk=self.county_id, prefecture=self.prefecture, name=self.county_name)


@dataclass
class CheckedTable:
    title: str = ""
    rows: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    subtotals: list = field(default_factory=list)  # [(Prefecture, Decimal)] in table order
    total: Decimal | None = None
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def prefecture_count(self):
        return len({line.prefecture.name for line in self.lines})

    @property
    def lines_total(self):
        return sum((line.amount for line in self.lines), Decimal("0"))

    def summary(self):
        return gettext("%(len)s 行，%(prefecture_count)s 个地（州、市），合计 %(plain)s 万元") % {
            "len": len(self.lines),
            "prefecture_count": self.prefecture_count,
            "plain": plain(self.lines_total),
        }


def check_amount(value, label=gettext_lazy("拨付金额")):
    """(Decimal, None) for a usable amount, else (None, message).

    core.amounts reads the value; an allocation's own rule is that every
    amount (line, 小计, 合计) is filled in.
    """
    amount, problem = amount_or_problem(value, label)
    if amount is None and problem is None:
        return None, gettext("%(label)s为空") % {"label": label}
    return amount, problem


def read_and_check(source, progress=None):
    """A file in, a CheckedTable out; bad input becomes errors, never an exception."""
    try:
        # progress(rows read, rows in the sheet or None): the command's bar.
        result = read_workbook(source, progress)
    except WorkbookError as error:
        return CheckedTable(errors=[str(error)])
    table = check_rows(result.rows, title=result.title)
    table.errors[:0] = result.errors
    return table


def _where(row):
    return gettext("第%(row)s行") % {"row": row.row}


def _line_label(row, prefecture):
    return f"{_where(row)} {prefecture.name}/{row.county or '（空）'}"


def check_rows(rows, title=""):
    table = CheckedTable(title=title, rows=list(rows))
    prefectures = {clean_text(p.name): p for p in Prefecture.objects.all()}
    # Ids and names only: 100k County objects would cost more than the check.
    counties = {
        (prefecture_id, clean_text(name)): (pk, name)
        for pk, prefecture_id, name in County.objects.order_by().values_list("pk", "prefecture_id", "name")
    }
    note_limit = AllocationLine._meta.get_field("note").max_length
    errors = table.errors
    lines = table.lines
    seen_lines = {}
    subtotal_rows = {}
    total_row = None
    # A prefecture's name repeats on each of its rows: clean and look it up once.
    prefecture_of = {}

    if not table.rows:
        # The blank template from the import page, uploaded as it came: one message, not "no lines" and "no 合计".
        errors.append(gettext("表中只有表头，没有数据：请在表头下填写合计行、各县（市、区）分配行和各地小计行后再上传。"))
        return table

    for row in table.rows:
        if row.kind == TOTAL:
            if total_row is not None:
                errors.append(gettext("%(where)s：合计行重复（第%(total_row)s行已有合计）") % {
                    "where": _where(row),
                    "total_row": total_row,
                })
                continue
            total_row = row.row
            table.total, problem = check_amount(row.amount, gettext("合计"))
            if problem:
                errors.append(gettext("%(where)s 合计：%(problem)s") % {"where": _where(row), "problem": problem})
            continue

        if not row.prefecture:
            errors.append(gettext("%(where)s：缺少地（州、市）名称") % {"where": _where(row)})
            continue
        try:
            prefecture, prefecture_id = prefecture_of[row.prefecture]
        except KeyError:
            prefecture = prefectures.get(clean_text(row.prefecture))
            prefecture_id = prefecture.pk if prefecture is not None else None
            prefecture_of[row.prefecture] = prefecture, prefecture_id
        if prefecture is None:
            errors.append(gettext("%(where)s %(prefecture)s：未知的地（州、市）") % {
                "where": _where(row),
                "prefecture": row.prefecture,
            })
            continue

        if row.kind == SUBTOTAL:
            if prefecture.pk in subtotal_rows:
                errors.append(gettext("%(where)s %(name)s 小计：重复（第%(first_row)s行已有小计）") % {
                    "where": _where(row),
                    "name": prefecture.name,
                    "first_row": subtotal_rows[prefecture.pk],
                })
                continue
            subtotal_rows[prefecture.pk] = row.row
            amount, problem = check_amount(row.amount, gettext("小计"))
            if problem:
                errors.append(gettext("%(where)s %(name)s 小计：%(problem)s") % {
                    "where": _where(row),
                    "name": prefecture.name,
                    "problem": problem,
                })
            else:
                table.subtotals.append((prefecture, amount))
            continue

        if not row.county:
            errors.append(gettext("%(where)s %(name)s：缺少县（市、区）名称") % {"where": _where(row), "name": prefecture.name})
            continue
        county = counties.get((prefecture_id, clean_text(row.county)))
        if county is None:
            errors.append(gettext("%(label)s：%(name)s 没有名为“%(county)s”的县（市、区）") % {
                "label": _line_label(row, prefecture),
                "name": prefecture.name,
                "county": row.county,
            })
            continue
        county_id, county_name = county
        if county_id in seen_lines:
            errors.append(gettext("%(label)s：与第%(first_row)s行重复") % {"label": _line_label(row, prefecture), "first_row": seen_lines[county_id]})
            continue
        seen_lines[county_id] = row.row
        amount, problem = check_amount(row.amount)
        if problem:
            errors.append(f"{_line_label(row, prefecture)}：{problem}")
            continue
        note = row.note or ""
        if len(note) > note_limit:
            # The column holds no more; the database would refuse the whole table.
            errors.append(gettext("%(label)s：备注超过%(limit)s个字符") % {"label": _line_label(row, prefecture), "limit": note_limit})
            continue
        lines.append(CheckedLine(row.row, prefecture, county_id, county_name, amount, note, len(lines) + 1))

    if not table.lines and not errors:
        errors.append(gettext("表中没有任何县（市、区）分配行"))
    if total_row is None:
        errors.append(gettext("缺少合计行"))
    if errors:
        # Sums over rows already in error would only repeat them.
        return table

    by_name = {p.name: p for p, _ in table.subtotals}
    declared = {p.name: amount for p, amount in table.subtotals}
    row_of = {p.name: subtotal_rows[p.pk] for p, _ in table.subtotals}
    for mismatch in reconcile(
        [(line.prefecture.name, line.amount) for line in table.lines], declared, table.total
    ):
        if mismatch.scope == TOTAL_SCOPE:
            errors.append(gettext("第%(total_row)s行 %(mismatch)s") % {"total_row": total_row, "mismatch": mismatch})
        elif mismatch.scope in by_name:
            errors.append(gettext("第%(scope)s行 %(mismatch)s") % {"scope": row_of[mismatch.scope], "mismatch": mismatch})
        else:
            errors.append(str(mismatch))
    return table


def _year_and_batch(texts, issued_on):
    year = issued_on.year if issued_on else None
    batch = None
    for text in texts:
        if year is None and (match := re.search(r"(20\d\d)年", text or "")):
            year = int(match.group(1))
        if batch is None and (match := re.search(r"第([一二三四五六七八九十\d]+)批", text or "")):
            token = match.group(1)
            batch = int(token) if token.isdigit() else _CHINESE_NUMERALS.get(token)
    return year, batch


def _fund_for(texts):
    funds = list(Fund.objects.all())
    for fund in funds:
        if any(fund.name in (text or "") for text in texts):
            return fund
    if len(funds) == 1:
        return funds[0]
    raise ImportRefused([gettext("无法确定资金名称：请先运行 load_reference_data，或在标题中写明资金名称。")])


def _refusals_for_existing(existing, number, replace):
    if existing is None:
        return []
    if not replace:
        return [gettext("文号 %(number)s 已存在。如需覆盖草稿，请选择覆盖（--replace）。") % {"number": number}]
    if existing.status != DocumentStatus.DRAFT:
        return [gettext("文号 %(number)s 已下达，不能覆盖。") % {"number": number}]
    if existing.is_reallocation:
        return [gettext("文号 %(number)s 是转下达文件，不能用分配表覆盖。") % {"number": number}]
    if existing.reallocations.exists():
        return [gettext("文号 %(number)s 已有转下达文件，不能覆盖。") % {"number": number}]
    return []


@transaction.atomic
def save_checked(table, number, title=None, issued_on=None, replace=False, status=DocumentStatus.DRAFT, basis=""):
    number = (number or "").strip()
    if not number:
        raise ImportRefused([gettext("文号不能为空。")])
    if not table.ok:
        raise ImportRefused(table.errors)
    existing = AllocationDocument.objects.select_for_update().filter(number=number).first()
    refusals = _refusals_for_existing(existing, number, replace)
    if refusals:
        raise ImportRefused(refusals)

    texts = [title, table.title]
    year, batch = _year_and_batch(texts, issued_on)
    if year is None:
        raise ImportRefused([gettext("无法确定年度：请提供发文日期（--date），或在标题中写明年度（如“2023年”）。")])
    document = existing or AllocationDocument(number=number)
    document.title = title or (existing.title if existing else "") or table.title or number
    document.table_title = table.title or (existing.table_title if existing else "")
    document.year = year
    document.batch = batch
    document.issued_on = issued_on
    document.basis = basis or (existing.basis if existing else "")
    document.fund = _fund_for(texts)
    document.declared_total = table.total
    document.status = status
    document.save()
    # Bulk writes, with the history rows a plain bulk_create would skip, all
    # dated alike: the import is one change.
    now = timezone.now()
    if existing:
        delete_lines(document, now)
        document.subtotals.all().delete()
    bulk_create_with_history(
        [
            PrefectureSubtotal(document=document, prefecture=prefecture, declared_amount=amount)
            for prefecture, amount in table.subtotals
        ],
        PrefectureSubtotal,
        default_date=now,
    )
    write_lines(document, table.lines, now)
    return document


def signed_payload(table):
    rows = [
        [r.row, r.kind, r.prefecture, r.county, ["d", str(r.amount)] if isinstance(r.amount, Decimal) else ["s", r.amount], r.note]
        for r in table.rows
    ]
    return signing.dumps({"title": table.title, "rows": rows}, salt=PAYLOAD_SALT, compress=True)


def table_from_payload(payload):
    try:
        data = signing.loads(payload, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportRefused([gettext("预览已过期（超过1小时），请重新上传文件。")]) from None
    except signing.BadSignature:
        raise ImportRefused([gettext("预览数据无效，请重新上传文件。")]) from None
    rows = [
        SheetRow(row, kind, prefecture, county, Decimal(amount[1]) if amount[0] == "d" else amount[1], note)
        for row, kind, prefecture, county, amount, note in data["rows"]
    ]
    # Checked again: the regions or the 文号 may have changed since the preview.
    return check_rows(rows, title=data["title"])


__all__ = [
    "CheckedLine",
    "CheckedTable",
    "ImportRefused",
    "LINE",
    "SUBTOTAL",
    "TOTAL",
    "check_amount",
    "check_rows",
    "read_and_check",
    "save_checked",
    "signed_payload",
    "table_from_payload",
]
