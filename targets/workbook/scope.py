"""文号 + 范围 (自治区 or a prefecture's name) as typed on a command line or in a sheet."""

from allocations.models import AllocationDocument, Prefecture
from allocations.workbook.reader import clean_text
from targets.models import REGION_SCOPE, TargetTable


class ScopeError(Exception):
    pass


def find_document(number):
    document = AllocationDocument.objects.filter(number=str(number or "").strip()).first()
    if document is None:
        raise ScopeError(f"找不到文号为 {number} 的分配文件。")
    return document


def find_prefecture(scope):
    """None for the region's own table; the Prefecture otherwise."""
    wanted = clean_text(scope)
    if wanted == REGION_SCOPE:
        return None
    for prefecture in Prefecture.objects.all():
        if clean_text(prefecture.name) == wanted:
            return prefecture
    raise ScopeError(f"范围“{scope}”既不是“{REGION_SCOPE}”，也不是地（州、市）名称。")


def find_table(number, scope):
    document = find_document(number)
    prefecture = find_prefecture(scope)
    table = TargetTable.objects.for_table().filter(document=document, prefecture=prefecture).first()
    if table is None:
        raise ScopeError(f"{document.number} 没有{scope}的绩效目标表。")
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
