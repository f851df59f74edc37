"""文号 + 范围 (自治区 or a prefecture's name) as typed on a command line or in a sheet."""

from django.utils.translation import gettext as _

from allocations.models import AllocationDocument, Prefecture
from core.workbook import clean_text
from targets.models import REGION_SCOPE, TargetTable


class ScopeError(Exception):
    pass


def find_document(number):
    document = AllocationDocument.objects.filter(number=str(number or "").strip()).first()
    if document is None:
        raise ScopeError(_("找不到文号为 %(number)s 的分配文件。") % {"number": number})
    return document


def find_prefecture(scope):
    """None for the region's own table; the Prefecture otherwise."""
    wanted = clean_text(scope)
    if wanted == REGION_SCOPE:
        return None
    for prefecture in Prefecture.objects.all():
        if clean_text(prefecture.name) == wanted:
            return prefecture
    raise ScopeError(_("范围“%(scope)s”既不是“%(region_scope)s”，也不是地（州、市）名称。") % {
        "scope": scope,
        "region_scope": REGION_SCOPE,
    })


def find_table(number, scope):
    document = find_document(number)
    prefecture = find_prefecture(scope)
    table = TargetTable.objects.for_table().filter(document=document, prefecture=prefecture).first()
    if table is None:
        raise ScopeError(_("%(number)s 没有%(scope)s的绩效目标表。") % {"number": document.number, "scope": scope})
    return table


def other_scope_in_title(title, scope_name):
    """The name of a different prefecture that a table's title carries, if any.

    A workbook exported for 乌鲁木齐市 must not be imported as 伊犁州's table by a
    slip of --scope; a title that names no prefecture at all is let through.
    """
    folded = clean_text(title)
    if not folded or clean_text(scope_name) in folded:
        return None
    for name in [REGION_SCOPE, *Prefecture.objects.values_list("name", flat=True)]:
        if clean_text(name) in folded:
            return name
    return None
