"""A plan becomes a draft 附件1: the importer's own checked table, written by its own save.

The lines go through allocations.importing.save_checked, the path every
imported table takes (the document's year from its title, the fund, history
rows, refusal of an existing 文号), so a planned document is in nothing
different from an imported one: a draft that reconciles, issued later on the
document's page by the same reconcile → issue path.
"""

from decimal import Decimal

from allocations.importing import check_rows, save_checked
from allocations.models import Fund
from allocations.workbook.reader import LINE, SUBTOTAL, TOTAL, SheetRow
from core.refusals import ImportRefused


def default_title(year, previous=None):
    fund = previous.fund.name if previous is not None else (Fund.objects.values_list("name", flat=True).first() or "就业补助资金")
    return f"{year}年{fund}分配表（因素法测算）"


def checked_table(plan, title):
    """The plan as the importer's CheckedTable: one line per county, a 小计 per prefecture, the 合计.

    Built as sheet rows and checked by check_rows, so the same checks that
    meet an uploaded 附件1 (known counties, reconciliation) meet the plan.
    """
    rows, number = [], 0
    for prefecture in plan.prefectures:
        for county in prefecture.counties:
            number += 1
            rows.append(SheetRow(number, LINE, prefecture.name, county.name, Decimal(county.amount), ""))
        number += 1
        rows.append(SheetRow(number, SUBTOTAL, prefecture.name, "", Decimal(prefecture.amount), ""))
    rows.append(SheetRow(number + 1, TOTAL, "", "", Decimal(plan.total), ""))
    table = check_rows(rows, title=title)
    if not table.ok:
        raise ImportRefused(table.errors)
    return table


def save_plan(plan, number, title):
    """The draft AllocationDocument; ImportRefused (nothing written) when the 文号 exists or the table does not check."""
    return save_checked(checked_table(plan, title), number=number, title=title)

