"""Stage 2 of the import: match the rows to the report's lines, parse, save.

The rows become one save_lines call (and a submit with --submit), inside
one transaction with the opening of the report, so a refusal anywhere leaves
nothing written. The rules are the workflow's own; this module only turns
cells into field values and says which row of the sheet a problem is on.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import PermittedUse
from allocations.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS, plain
from allocations.workbook.reader import clean_text
from core.permissions import can_edit_feedback
from feedback import workflow
from feedback.progress import totals
from feedback.validation import line_label
from feedback.workbook.options import month_label
from feedback.workbook.reader import WorkbookError, read_workbook

_USE_BY_LABEL = {clean_text(label): value for value, label in PermittedUse.choices}
_USE_BY_LABEL.update({value: value for value in PermittedUse.values})
_USE_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_DATE_FORMATS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
)
_MAX_AMOUNT = Decimal(10) ** (AMOUNT_MAX_DIGITS - AMOUNT_DECIMAL_PLACES)


class ImportRefused(Exception):
    def __init__(self, errors):
        super().__init__("；".join(errors))
        self.errors = list(errors)


class _DryRun(Exception):
    pass


@dataclass
class Outcome:
    report: object
    rows: int = 0
    changed: int = 0
    submitted: bool = False
    dry_run: bool = False
    missing: list = field(default_factory=list)  # lines of the report the file left out
    summary_text: str = ""

    def summary(self):
        figures = totals(self.report.lines.all())
        done = (
            f"{self.rows} 行（{self.changed} 行有修改），资金金额 {plain(figures.amount)} 万元，"
            f"实际支出 {plain(figures.spent)} 万元，未支出 {plain(figures.unspent)} 万元，进度 {figures.progress_label}"
        )
        if self.submitted:
            timing = "按时" if self.report.on_time else "逾期"
            done += f"；可以提交审核（{timing}）" if self.dry_run else f"；已提交审核（{timing}）"
        return done


def parse_uses(value):
    """'职业培训补贴、社会保险补贴' -> ([values], [unknown labels])."""
    folded = unicodedata.normalize("NFKC", value or "")
    uses, unknown = [], []
    for part in _USE_SEPARATORS.split(folded):
        if not part:
            continue
        use = _USE_BY_LABEL.get(clean_text(part))
        if use is None:
            unknown.append(part)
        elif use not in uses:
            uses.append(use)
    return uses, unknown


def parse_deadline(value):
    """YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日; None when empty. Raises ValueError."""
    written = clean_text(value)
    if not written:
        return None
    for pattern in _DATE_FORMATS:
        found = pattern.fullmatch(written)
        if found:
            return date(*(int(part) for part in found.groups()))  # ValueError for 2023-02-30
    raise ValueError(written)


def _spent(row, errors, where):
    value = row.spent
    if value is None or isinstance(value, Decimal):
        if value is not None and (value.as_tuple().exponent < -AMOUNT_DECIMAL_PLACES or abs(value) >= _MAX_AMOUNT):
            errors.append(f"{where}：实际支出金额 {plain(value)} 超出可记录的范围（最多两位小数）。")
        return value
    errors.append(f"{where}：实际支出金额“{value}”不是数字。")
    return None


def match_rows(rows, lines):
    """({line id: {field: value}}, {line id: sheet row}, [errors])."""
    by_number = {clean_text(line.document_number): line for line in lines}
    changes, sheet_rows, errors = {}, {}, []
    for row in rows:
        where = f"工作表第{row.row}行"
        number = clean_text(row.document_number)
        if not number:
            errors.append(f"{where}：缺少文号，无法对应到收到的资金。")
            continue
        line = by_number.get(number)
        if line is None:
            errors.append(f"{where}：文号 {row.document_number} 不是本月反馈表中收到的资金（未知文号）。")
            continue
        where = f"{where}（{row.document_number}）"
        if line.pk in changes:
            errors.append(f"{where}：文号重复，已在工作表第{sheet_rows[line.pk]}行出现。")
            continue
        sheet_rows[line.pk] = row.row
        if row.amount != line.amount:
            written = "空白" if row.amount is None else row.amount
            errors.append(f"{where}：资金金额与分配不符（文件中为 {written}，分配为 {plain(line.amount)}），资金金额不能修改。")
        spent = _spent(row, errors, where)
        uses, unknown = parse_uses(row.uses)
        if unknown:
            allowed = "、".join(PermittedUse.labels)
            errors.append(f"{where}：资金支出方向“{'、'.join(unknown)}”无法识别，只能是：{allowed}。")
        try:
            deadline = parse_deadline(row.deadline)
        except ValueError:
            deadline = None
            errors.append(f"{where}：整改时间“{row.deadline}”不是有效日期，请写成 2023-09-30、2023/09/30 或 2023年9月30日。")
        changes[line.pk] = {
            "spent": spent,
            "uses": uses,
            "reason": row.reason,
            "measure": row.measure,
            "measure_deadline": deadline,
        }
    return changes, sheet_rows, errors


def _is_change(line, values):
    return any(getattr(line, name) != value for name, value in values.items())


def _located(messages, lines, sheet_rows):
    # The workflow names a line by its 序号 and 文号; say the sheet row too.
    labels = {f"{line_label(line)}：": line for line in lines if line.pk in sheet_rows}
    located = []
    for message in messages:
        prefix = next((label for label in labels if message.startswith(label)), None)
        if prefix is None:
            located.append(message)
            continue
        line = labels[prefix]
        located.append(f"工作表第{sheet_rows[line.pk]}行（{line.document_number}）：{message.removeprefix(prefix)}")
    return located


def _refusal(error, report, expected_version):
    if any(getattr(item, "code", None) == "stale" for item in error.error_list):
        return [
            f"{report} 在这份工作簿导出之后已被他人修改（工作簿为版本 {expected_version}，"
            f"当前为版本 {type(report).objects.get(pk=report.pk).version}），为避免覆盖他人的修改，未导入。"
            "请重新导出最新的反馈表后再填写。"
        ]
    return error.messages


def import_workbook(source, prefecture, month, user, *, submit=False, dry_run=False, page_version=None):
    """Read, check and save one prefecture's month. Raises ImportRefused with every error."""
    at = timezone.now()
    try:
        read = read_workbook(source, prefecture.name, month)
    except WorkbookError as error:
        raise ImportRefused([str(error)]) from None
    errors = list(read.errors)
    if read.prefecture_name and read.prefecture_name != clean_text(prefecture.name):
        errors.append(f"这是 {read.prefecture_name} 的反馈表，不是 {prefecture.name} 的，未导入。")
    if read.month_text and read.month_text != clean_text(month_label(month)):
        errors.append(f"这是 {read.month_text} 的反馈表，不是 {month_label(month)} 的，未导入。")
    if not read.rows:
        errors.append("工作表中没有任何资金明细行。")
    try:
        with transaction.atomic():
            report = workflow.open_report(prefecture, month)
            if not can_edit_feedback(user, report):
                raise ImportRefused([f"用户 {user.username} 无权修改 {report} 的反馈表。"])
            lines = list(report.lines.select_related("report").order_by("position"))
            changes, sheet_rows, row_errors = match_rows(read.rows, lines)
            errors.extend(row_errors)
            if errors:
                raise ImportRefused(errors)
            by_id = {line.pk: line for line in lines}
            outcome = Outcome(
                report=report,
                rows=len(changes),
                changed=sum(_is_change(by_id[pk], values) for pk, values in changes.items()),
                missing=[line for line in lines if line.pk not in changes],
                dry_run=dry_run,
            )
            expected = read.version or page_version or report.version
            try:
                workflow.save_lines(report, changes, user, expected)
                if submit:
                    workflow.submit(report, user, at=at)
                    outcome.submitted = True
            except ValidationError as error:
                raise ImportRefused(_located(_refusal(error, report, expected), lines, sheet_rows)) from None
            except PermissionDenied:
                raise ImportRefused([f"用户 {user.username} 无权修改 {report} 的反馈表。"]) from None
            if dry_run:
                # Everything ran, so a dry run finds what a real run would; then roll back.
                outcome.summary_text = outcome.summary()
                raise _DryRun
    except _DryRun:
        return outcome
    outcome.summary_text = outcome.summary()
    return outcome
