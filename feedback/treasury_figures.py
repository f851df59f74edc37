"""The treasury's figures for a month's 附件3 lines (说明2: 资金支出金额以国库集中支付数据为准).

One grouped query over the treasury's payment summary (treasury.summary.paid_by_document)
gives, per regional document, what the prefecture paid to the month's end by use, in
分. A line's 实际支出金额 is the exact sum rounded once, half up, to 万元; its
资金支出方向 are the notice's uses that were paid (其他 and use unknown are shown on
the card but are not uses an officer can tick).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from allocations.models import PermittedUse
from treasury.models import USE_CHOICES
from treasury.money import wan_from_fen
from treasury.summary import paid_by_document


@dataclass
class TreasuryFigure:
    by_use_fen: dict = field(default_factory=dict)  # use ("" = unknown) -> 分

    @property
    def spent(self):
        return wan_from_fen(sum(self.by_use_fen.values()))

    @property
    def uses(self):
        # In the notice's order, as the form's checkboxes are. The tenth use needs an approval the
        # treasury does not know: the officer ticks it with its approval.
        return [
            use for use in PermittedUse.values
            if use != PermittedUse.OTHER_APPROVED and self.by_use_fen.get(use, 0) > 0
        ]

    @property
    def use_amounts(self):
        """[(label, 万元)] of every use with a payment, unknown last: what the card shows."""
        shown = [
            (label, wan_from_fen(self.by_use_fen[use])) for use, label in USE_CHOICES if self.by_use_fen.get(use)
        ]
        unknown = sum(fen for use, fen in self.by_use_fen.items() if use not in dict(USE_CHOICES))
        if unknown:
            shown.append((gettext("用途未知"), wan_from_fen(unknown)))
        return shown


def treasury_figures(prefecture_id, month, document_ids):
    """{document id: TreasuryFigure} for the documents the treasury paid under; absent means no payment."""
    # A line the officer added (说明1) has no document: the treasury's summary knows only this system's.
    document_ids = [document_id for document_id in document_ids if document_id is not None]
    if not document_ids:
        return {}
    found = paid_by_document(prefecture_id, month, document_ids)
    return {document_id: TreasuryFigure(uses) for document_id, uses in found.items()}


def prefill(lines, figures):
    """Write the treasury's 实际支出金额 and 资金支出方向 into lines not yet filled in.

    A figure outside 0…资金金额 cannot be saved as the line's spend (the amount check
    would refuse it): it stays on the card for the officer to explain, not in the field.
    """
    for line in lines:
        figure = figures.get(line.document_id)
        line.treasury_spent = None if figure is None else figure.spent
        if figure is None or line.spent is not None:
            continue
        spent = figure.spent
        if 0 <= spent <= line.amount:
            line.spent = spent
            line.uses = figure.uses
    return lines


def refresh(lines, prefecture_id, month):
    """Set each line's treasury_spent to the treasury's figure now (a save checks against the latest import)."""
    figures = treasury_figures(prefecture_id, month, [line.document_id for line in lines])
    for line in lines:
        figure = figures.get(line.document_id)
        line.treasury_spent = None if figure is None else figure.spent
    return lines


def differs(line):
    """Whether the line's 实际支出金额 is not the treasury's: what needs a 差异说明 and what the queue flags."""
    return line.treasury_spent is not None and line.spent != line.treasury_spent
