"""Reconciliation of an allocation table: Σ county lines against 小计 and 合计.

The same rule serves the importer (on plain rows, before anything is
written) and a stored document (before it may be issued).
"""

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from allocations.money import plain

TOTAL_SCOPE = "合计"


@dataclass(frozen=True)
class Mismatch:
    scope: str  # a prefecture's name, or 合计
    declared: Decimal | None  # None: the table has no 小计 row for it
    computed: Decimal

    def __str__(self):
        if self.scope == TOTAL_SCOPE and self.declared is None:
            return _("缺少合计（各行合计 %(plain)s）") % {"plain": plain(self.computed)}
        if self.scope == TOTAL_SCOPE:
            return _("合计 %(declared)s ≠ 各行合计 %(computed)s") % {"declared": plain(self.declared), "computed": plain(self.computed)}
        if self.declared is None:
            return _("%(scope)s 缺少小计（各县合计 %(plain)s）") % {"scope": self.scope, "plain": plain(self.computed)}
        return _("%(scope)s 小计 %(declared)s ≠ 各县合计 %(computed)s") % {
            "scope": self.scope,
            "declared": plain(self.declared),
            "computed": plain(self.computed),
        }


def reconcile(line_amounts, declared_subtotals, declared_total):
    """Compare sums with declared figures.

    line_amounts: iterable of (prefecture name, amount);
    declared_subtotals: {prefecture name: amount}, in table order;
    declared_total: the 合计 as declared.
    Returns the mismatches, prefectures first in table order, 合计 last.
    """
    sums = OrderedDict((name, Decimal("0")) for name in declared_subtotals)
    for name, amount in line_amounts:
        sums[name] = sums.get(name, Decimal("0")) + amount

    mismatches = []
    for name, computed in sums.items():
        declared = declared_subtotals.get(name)
        if declared is None or declared != computed:
            mismatches.append(Mismatch(name, declared, computed))

    grand = sum(sums.values(), Decimal("0"))
    if declared_total is None or declared_total != grand:
        mismatches.append(Mismatch(TOTAL_SCOPE, declared_total, grand))
    return mismatches


def reconcile_document(document):
    rows = (
        document.lines.values("county__prefecture__name")
        .annotate(total=Sum("amount"))
        .order_by("county__prefecture__position")
    )
    line_amounts = [(row["county__prefecture__name"], row["total"]) for row in rows]
    subtotals = OrderedDict(
        (sub.prefecture.name, sub.declared_amount)
        for sub in document.subtotals.select_related("prefecture").order_by("prefecture__position")
    )
    return reconcile(line_amounts, subtotals, document.declared_total)
