"""说明1: the lines an officer adds for a fund received outside this system.

附件3's first note lets a prefecture add a row for every special fund it
actually received (根据实际收到财政专项资金情况自行添加行). Such a line has no
AllocationDocument: its 资金名称, 文号, 资金金额 and 直达资金标识 are the
officer's own, stored on the line, and it is marked 自行添加 wherever lines are
shown. Apart from that it is a line like the others: the same spending rules
(feedback.validation), the calendar time schedule, the same totals.

Two rules keep it honest:
- it carries a name, a 文号 and an amount above zero (own_errors; the database
  says the same with feedback_line_added_has_fund);
- its 文号 is not a regional document this system issued to the prefecture
  (that money has its own pre-filled line, which is where it is reported), nor
  the 文号 of another line of the same report (conflict).

This module imports no models at load time: feedback.models imports it.
"""

import unicodedata

from django.utils.translation import gettext as _, gettext_lazy

from allocations.models import DirectMark
from core.formats import money

ADDED_MARK = "自行添加"
# The mark of an added line for money that is not a central direct fund.
NOT_DIRECT = ""
MARK_CHOICES = (
    (DirectMark.CENTRAL_DIRECT.value, DirectMark.CENTRAL_DIRECT.label),
    (NOT_DIRECT, gettext_lazy("无（非直达资金）")),
)
# As the workbook writes the mark after the fund name; the reader takes both back (feedback.workbook).
NOT_DIRECT_TEXT = "非直达资金"
FUND_NAME_MAX_LENGTH = 200
NUMBER_MAX_LENGTH = 60
# The fields an added line has that a system line copies from its document.
OWN_FIELDS = ("fund_name", "document_number", "amount", "direct_mark")


def normalized_number(number):
    """A 文号 as compared: full-width folded, spaces gone (新财社〔2023〕74号 and "新财社〔2023〕 74号" are one)."""
    return "".join(unicodedata.normalize("NFKC", number or "").split())


def line_key(document_id, document_number):
    """A line's identity across a prefecture's months: its document, or an added line's 文号."""
    if document_id is not None:
        return document_id
    return f"+{normalized_number(document_number)}"


def own_errors(line):
    """{field: message} for what an added line must carry itself; {} for a system line."""
    if line.document_id is not None:
        return {}
    errors = {}
    name = (line.fund_name or "").strip()
    number = (line.document_number or "").strip()
    if not name:
        errors["fund_name"] = _("自行添加的资金须填写收到的财政专项资金名称")
    elif len(name) > FUND_NAME_MAX_LENGTH:
        errors["fund_name"] = _("资金名称不能超过 %(max_length)s 字（现为 %(length)s 字）") % {
            "max_length": FUND_NAME_MAX_LENGTH, "length": len(name),
        }
    if not number:
        errors["document_number"] = _("自行添加的资金须填写文号")
    elif len(number) > NUMBER_MAX_LENGTH:
        errors["document_number"] = _("文号不能超过 %(max_length)s 字（现为 %(length)s 字）") % {
            "max_length": NUMBER_MAX_LENGTH, "length": len(number),
        }
    if line.amount is None:
        errors["amount"] = _("自行添加的资金须填写资金金额")
    elif line.amount <= 0:
        errors["amount"] = _("资金金额须大于0（现为 %(plain)s）") % {"plain": money(line.amount)}
    if line.direct_mark not in dict(MARK_CHOICES):
        errors["direct_mark"] = _("直达资金标识只能是“%(mark)s”或不填（非直达资金）") % {"mark": DirectMark.CENTRAL_DIRECT.value}
    return errors


def issued_numbers(prefecture_id):
    """{normalized 文号: 文号} of the regional documents this system issued with money for the prefecture."""
    from feedback.obligations import receiving_subtotals

    numbers = receiving_subtotals().filter(prefecture_id=prefecture_id).values_list("document__number", flat=True)
    return {normalized_number(number): number for number in numbers}


def conflict(line, others, prefecture_id, prefecture_name, issued=None):
    """Why an added line's 文号 cannot be added to the report, or None.

    others: the report's other lines. issued: issued_numbers(prefecture_id), when the caller checks many.
    """
    number = normalized_number(line.document_number)
    if not number:
        return None
    for other in others:
        if other is line or normalized_number(other.document_number) != number:
            continue
        if other.document_id is None:
            return _("文号 %(number)s 已在本表第%(position)s行（自行添加），同一文号只能添加一行") % {
                "number": line.document_number, "position": other.position,
            }
        return _("文号 %(number)s 是本系统下达的分配文件，已在本表第%(position)s行列出，请在第%(position)s行填写，不能自行添加") % {
            "number": line.document_number, "position": other.position,
        }
    issued = issued_numbers(prefecture_id) if issued is None else issued
    if number in issued:
        return _("文号 %(number)s 是本系统已下达给%(name)s的分配文件，不能自行添加（该资金已清算、已支出完毕或已过使用期限时不再列入反馈表）") % {
            "number": issued[number], "name": prefecture_name,
        }
    return None
