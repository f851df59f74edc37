"""One planning run, as the command and the page both do it: read the inputs, compute, report.

Nothing here writes; saving is planning/saving.py, after a preview or on the
command line without --dry-run.
"""

from dataclasses import dataclass, field

from planning import inputs
from planning.compute import compute, parse_total
from planning.deductions import read_deductions
from planning.sheet import read_factor_sheet


@dataclass
class Run:
    plan: object
    previous: object  # the previous AllocationDocument, or None
    previous_subtotals: dict  # prefecture name -> 小计 of the previous allocation
    notes: list = field(default_factory=list)


def run(total, factors_source, deductions_source=None, evaluation_year=None, grades=None, unspent=None, rules=None):
    """A Run; ImportRefused naming every problem of the inputs.

    grades / unspent: mappings {prefecture name: …} that stand in for the
    evaluation and the treasury (tests, or a bureau's own figures); without
    them, --evaluation-year reads both.
    """
    total = parse_total(total)
    order, prefectures, counties, counties_of = inputs.regions()
    sheet = read_factor_sheet(factors_source, prefectures, counties)
    deductions = read_deductions(deductions_source, prefectures) if deductions_source is not None else []
    notes = []
    if evaluation_year is not None:
        if grades is None:
            grades = inputs.grades(evaluation_year)
            if not grades:
                notes.append(f"{evaluation_year} 年度尚无已通过审核的绩效评价，未按评价等次调整。")
        if unspent is None:
            unspent = inputs.unspent_shares(evaluation_year)
            if not unspent:
                notes.append(f"国库支付中没有 {evaluation_year} 年度资金的支付记录，未按预算执行情况调整。")
    previous = inputs.previous_document()
    plan = compute(
        total,
        sheet,
        order,
        counties_of=counties_of,
        previous_lines=inputs.previous_lines(previous),
        previous_number=previous.number if previous else "",
        grades=grades,
        unspent=unspent,
        deductions=deductions,
        rules=rules,
    )
    return Run(plan, previous, inputs.previous_subtotals(previous), notes)
