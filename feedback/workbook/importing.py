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

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from allocations.models import DirectMark, PermittedUse
from allocations.money import plain
from core.workbook import clean_text
from core.amounts import amount_or_problem
from core.permissions import can_edit_feedback
from core.refusals import ImportRefused
from feedback import workflow
from feedback.added_lines import ADDED_MARK, NOT_DIRECT, NOT_DIRECT_TEXT, normalized_number
from feedback.models import FeedbackLine
from feedback.progress import totals
from feedback.validation import line_label
from feedback.workbook.export import APPROVAL_LABEL
from feedback.workbook.options import month_label
from feedback.workbook.reader import WorkbookError, read_workbook

# The workbook is the official Chinese form whatever the interface language.
with translation.override("zh-hans"):
    _USE_BY_LABEL = {clean_text(str(label)): value for value, label in PermittedUse.choices}
    _CHINESE_USE_LABELS = [str(label) for label in PermittedUse.labels]
    _OTHER_LABEL = str(PermittedUse.OTHER_APPROVED.label)
_USE_BY_LABEL.update({value: value for value in PermittedUse.values})
# The tenth use as people shorten it in a cell.
_USE_BY_LABEL.update({"其他": PermittedUse.OTHER_APPROVED.value, "其他支出项目": PermittedUse.OTHER_APPROVED.value})
# "（批准文件：…）" as export.uses_text writes it after the tenth use; half-width brackets too.
_APPROVAL = re.compile(r"[（(]\s*" + re.escape(APPROVAL_LABEL.rstrip("：")) + r"\s*[:：]")
_USE_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_DATE_FORMATS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
)


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
            _("%(rows)s 行（%(changed)s 行有修改），资金金额 %(plain)s 万元，实际支出 %(plain2)s 万元，未支出 %(plain3)s 万元，进度 %(progress_label)s") % {
                "rows": self.rows,
                "changed": self.changed,
                "plain": plain(figures.amount),
                "plain2": plain(figures.spent),
                "plain3": plain(figures.unspent),
                "progress_label": figures.progress_label,
            }
        )
        if self.submitted:
            timing = _("按时") if self.report.on_time else _("逾期")
            done += _("；可以提交审核（%(timing)s）") % {
                "timing": timing} if self.dry_run else _("；已提交审核（%(timing)s）") % {"timing": timing,
            }
        return done


def split_approval(value):
    """'…其他支出项目（批准文件：新政函〔2023〕12号）' -> ('…其他支出项目', '新政函〔2023〕12号').

    The approval runs to its matching closing bracket, so a file name with
    brackets of its own stays whole; an unclosed one runs to the cell's end.
    """
    written = value or ""
    found = _APPROVAL.search(written)
    if not found:
        return written, ""
    depth, end = 1, found.end()
    while end < len(written):
        if written[end] in "（(":
            depth += 1
        elif written[end] in "）)":
            depth -= 1
            if depth == 0:
                break
        end += 1
    approval = written[found.end():end].strip()
    return written[: found.start()] + written[end + 1:], approval


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
    # Empty is allowed while drafting; the workflow asks for it on submit.
    spent, problem = amount_or_problem(row.spent, _("实际支出金额"))
    if problem:
        errors.append(f"{where}：{problem}")
    return spent


def match_rows(rows, lines, issued=None):
    """({line id: {field: value}}, {line id: sheet row}, [errors], [(sheet row, {field: value}) of new added lines]).

    issued: added_lines.issued_numbers of the prefecture. A row whose 文号 is no
    line of the report and not a document this system issued to the
    prefecture is a fund the bureau added (说明1): it becomes an added line with
    the sheet's name and amount. One that is such a document is refused by the
    workflow, naming the line it belongs on.
    """
    by_number = {normalized_number(line.document_number): line for line in lines}
    changes, sheet_rows, errors, added, seen = {}, {}, [], [], {}
    for row in rows:
        where = _("工作表第%(row)s行") % {"row": row.row}
        number = normalized_number(row.document_number)
        if not number:
            errors.append(_("%(where)s：缺少文号，无法对应到收到的资金。") % {"where": where})
            continue
        line = by_number.get(number)
        where = f"{where}（{row.document_number}）"
        if number in seen:
            errors.append(_("%(where)s：文号重复，已在工作表第%(pk)s行出现。") % {"where": where, "pk": seen[number]})
            continue
        seen[number] = row.row
        values = _row_values(row, where, errors)
        if line is None:
            values.update(_added_values(row, where, errors, None))
            added.append((row.row, values))
            continue
        sheet_rows[line.pk] = row.row
        if line.is_added:
            values.update(_added_values(row, where, errors, line))
        elif row.amount != line.amount:
            written = _("空白") if row.amount is None else row.amount
            errors.append(_("%(where)s：资金金额与分配不符（文件中为 %(written)s，分配为 %(plain)s），资金金额不能修改。") % {
                "where": where,
                "written": written,
                "plain": plain(line.amount),
            })
        changes[line.pk] = values
    return changes, sheet_rows, errors, added


# "（自行添加）" or "（自行添加，非直达资金）" after an added line's fund name (export.added_mark_text).
_ADDED = re.compile(
    r"[（(]\s*" + re.escape(ADDED_MARK) + r"\s*(?:[，,、]\s*(" + re.escape(NOT_DIRECT_TEXT) + r"|01\s*中央直达资金))?\s*[）)]\s*$"
)


def split_added_mark(written):
    """'资金（自行添加，非直达资金）' -> ('资金', True, ''); '资金' -> ('资金', False, None): (name, marked, mark or None)."""
    written = (written or "").strip()
    found = _ADDED.search(written)
    if not found:
        return written, False, None
    mark = NOT_DIRECT if found.group(1) == NOT_DIRECT_TEXT else DirectMark.CENTRAL_DIRECT.value
    return written[: found.start()].strip(), True, mark


def _added_values(row, where, errors, line):
    """An added line's own fields from its row: the name (its 自行添加 mark taken off), the amount, the mark.

    line: the report's added line the row is about, or None for a new one. A
    row without its mark keeps the line's (a new line: 01 中央直达资金).
    """
    name, _marked, mark = split_added_mark(row.fund_name)
    if mark is None:
        mark = line.direct_mark if line is not None else DirectMark.CENTRAL_DIRECT.value
    if not name:
        errors.append(_("%(where)s：文号不是本系统下达的资金，按自行添加的资金（说明1）导入，须填写收到的财政专项资金名称。") % {"where": where})
    amount, problem = amount_or_problem(row.amount, _("资金金额"))
    if problem:
        errors.append(f"{where}：{problem}")
    elif amount is None:
        errors.append(_("%(where)s：文号不是本系统下达的资金，按自行添加的资金（说明1）导入，须填写资金金额。") % {"where": where})
    elif amount <= 0:
        errors.append(_("%(where)s：自行添加的资金，资金金额须大于0（文件中为 %(written)s）。") % {"where": where, "written": amount})
    values = {"fund_name": name, "amount": amount, "direct_mark": mark}
    if line is None:
        values["document_number"] = (row.document_number or "").strip()
    return values


def _row_values(row, where, errors):
    """The editable fields a row gives any line."""
    spent = _spent(row, errors, where)
    written_uses, approval = split_approval(row.uses)
    uses, unknown = parse_uses(written_uses)
    errors.extend(_approval_problems(where, uses, approval))
    if unknown:
        allowed = "、".join(_CHINESE_USE_LABELS)
        errors.append(_("%(where)s：资金支出方向“%(join)s”无法识别，只能是：%(allowed)s。") % {
            "where": where,
            "join": '、'.join(unknown),
            "allowed": allowed,
        })
    try:
        deadline = parse_deadline(row.deadline)
    except ValueError:
        deadline = None
        errors.append(_("%(where)s：整改时间“%(deadline)s”不是有效日期，请写成 2023-09-30、2023/09/30 或 2023年9月30日。") % {
            "where": where,
            "deadline": row.deadline,
        })
    values = {
        "spent": spent,
        "uses": uses,
        "other_use_approval": approval,
        "reason": row.reason,
        "measure": row.measure,
        "measure_deadline": deadline,
    }
    # 说明2: only a sheet with the column says anything about the explanations.
    if row.difference_explanation is not None:
        values["difference_explanation"] = row.difference_explanation
    return values


def _approval_problems(where, uses, approval):
    # The sheet has no 批准文件 column: say how to write it in the 资金支出方向 cell.
    example = f"{_OTHER_LABEL}（{APPROVAL_LABEL}新政函〔2023〕12号）"
    if PermittedUse.OTHER_APPROVED in uses and not approval:
        return [_("%(where)s：资金支出方向含“%(use)s”，须在同一单元格写明批准文件，例如“%(example)s”。") % {
            "where": where,
            "use": _OTHER_LABEL,
            "example": example,
        }]
    if approval and PermittedUse.OTHER_APPROVED not in uses:
        return [_("%(where)s：资金支出方向写了批准文件“%(approval)s”，但没有“%(use)s”，请写成“%(example)s”。") % {
            "where": where,
            "approval": approval[:40],
            "use": _OTHER_LABEL,
            "example": example,
        }]
    return []


def _is_change(line, values):
    return any(getattr(line, name) != value for name, value in values.items())


def _located(messages, lines, sheet_rows, added=()):
    # The workflow names a line by its 序号 and 文号; say the sheet row too. A new added line gets
    # the 序号 after the report's last line, in the sheet's order (workflow.save_lines numbers them so).
    labels = {f"{line_label(line)}：": (sheet_rows[line.pk], line.document_number) for line in lines if line.pk in sheet_rows}
    last = max((line.position for line in lines), default=0)
    for offset, (sheet_row, values) in enumerate(added, 1):
        new = FeedbackLine(position=last + offset, document_number=values["document_number"])
        labels[f"{line_label(new)}："] = (sheet_row, values["document_number"])
    located = []
    for message in messages:
        prefix = next((label for label in labels if message.startswith(label)), None)
        if prefix is None:
            located.append(message)
            continue
        sheet_row, number = labels[prefix]
        located.append(_("工作表第%(pk)s行（%(document_number)s）：%(removeprefix)s") % {
            "pk": sheet_row,
            "document_number": number,
            "removeprefix": message.removeprefix(prefix),
        })
    return located


def _refusal(error, report, expected_version):
    if any(getattr(item, "code", None) == "stale" for item in error.error_list):
        return [
            _("%(report)s 在这份工作簿导出之后已被他人修改（工作簿为版本 %(expected_version)s，当前为版本 %(type)s），为避免覆盖他人的修改，未导入。请重新导出最新的反馈表后再填写。") % {
                "report": report,
                "expected_version": expected_version,
                "type": type(report).objects.get(pk=report.pk).version,
            }
        ]
    return error.messages


def import_workbook(source, prefecture, month, user, *, submit=False, dry_run=False, page_version=None, progress=None):
    """Read, check and save one prefecture's month. Raises ImportRefused with every error."""
    at = timezone.now()
    try:
        read = read_workbook(source, prefecture.name, month, progress=progress)
    except WorkbookError as error:
        raise ImportRefused([str(error)]) from None
    errors = list(read.errors)
    if read.prefecture_name and read.prefecture_name != clean_text(prefecture.name):
        errors.append(_("这是 %(prefecture_name)s 的反馈表，不是 %(name)s 的，未导入。") % {
            "prefecture_name": read.prefecture_name,
            "name": prefecture.name,
        })
    if read.month_text and read.month_text != clean_text(month_label(month)):
        errors.append(_("这是 %(month_text)s 的反馈表，不是 %(month_label)s 的，未导入。") % {
            "month_text": read.month_text,
            "month_label": month_label(month),
        })
    if not read.rows:
        errors.append(_("工作表中没有任何资金明细行。"))
    try:
        with transaction.atomic():
            report = workflow.open_report(prefecture, month)
            if not can_edit_feedback(user, report):
                raise ImportRefused([_("用户 %(username)s 无权修改 %(report)s 的反馈表。") % {
                    "username": user.username,
                    "report": report,
                }])
            lines = list(report.lines.select_related("report").order_by("position"))
            changes, sheet_rows, row_errors, added = match_rows(read.rows, lines)
            errors.extend(row_errors)
            if errors:
                raise ImportRefused(errors)
            by_id = {line.pk: line for line in lines}
            outcome = Outcome(
                report=report,
                rows=len(changes) + len(added),
                changed=sum(_is_change(by_id[pk], values) for pk, values in changes.items()) + len(added),
                missing=[line for line in lines if line.pk not in changes],
                dry_run=dry_run,
            )
            expected = read.version or page_version or report.version
            try:
                workflow.save_lines(report, changes, user, expected, added=[values for _row, values in added])
                if submit:
                    workflow.submit(report, user, at=at)
                    outcome.submitted = True
            except ValidationError as error:
                raise ImportRefused(_located(_refusal(error, report, expected), lines, sheet_rows, added)) from None
            except PermissionDenied:
                raise ImportRefused([_("用户 %(username)s 无权修改 %(report)s 的反馈表。") % {"username": user.username, "report": report}]) from None
            if dry_run:
                # Everything ran, so a dry run finds what a real run would; then roll back.
                outcome.summary_text = outcome.summary()
                raise _DryRun
    except _DryRun:
        return outcome
    outcome.summary_text = outcome.summary()
    return outcome
