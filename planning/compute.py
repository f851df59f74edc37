"""The whole computation, from plain inputs to whole-万元 amounts for prefectures and counties.

Pure: names, numbers and mappings in, a Plan out; the database is read
elsewhere (planning/inputs.py) and written elsewhere (planning/saving.py).
The steps, each in its own module:

1. factor shares of the prefectures (planning/factors.py);
2. grade, execution and deduction adjustments (planning/adjustments.py);
3. renormalised to the total and rounded to whole 万元 (planning/rounding.py),
   ties by the notice's order of prefectures;
4. each prefecture's amount split over its counties, by the county factor
   sheet where it lists the prefecture, else by the counties' shares in the
   previous allocation, rounded the same way, so Σ counties = 小计.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from core.refusals import ImportRefused
from planning import adjustments, factors, rounding
from planning.precision import ZERO

COUNTY_FACTORS, PREVIOUS_SHARES = "县级因素", "上次分配比例"


@dataclass
class CountyPlan:
    name: str
    weight: Decimal  # the county's share within its prefecture (factor share, or previous amount)
    contributions: dict  # factor name -> part of the share (county factors only)
    rounded: rounding.Rounded

    @property
    def amount(self):
        return self.rounded.amount


@dataclass
class PrefecturePlan:
    name: str
    values: dict  # factor name -> value from the sheet
    share: factors.Share
    adjusted: adjustments.Adjusted
    rounded: rounding.Rounded
    county_basis: str = ""
    counties: list = field(default_factory=list)

    @property
    def amount(self):
        return self.rounded.amount


@dataclass
class Plan:
    total: int
    factors: list  # [Factor]
    factor_totals: dict  # factor name -> Σ values over the prefectures
    prefectures: list  # [PrefecturePlan] in the notice's order
    previous_number: str = ""

    def amounts(self):
        return {p.name: p.amount for p in self.prefectures}


def parse_total(value):
    """The total as a whole number of 万元 (int), or ImportRefused naming what is wrong."""
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except ArithmeticError:
        number = None
    if not text or number is None or not number.is_finite():
        raise ImportRefused([f"总额“{value}”不是数字：请填写整数万元，如 80000。"])
    if number != number.to_integral_value():
        raise ImportRefused([f"总额 {text} 万元不是整数：按因素法分配的总额须为整数万元。"])
    if number <= 0:
        raise ImportRefused([f"总额 {text} 万元应大于 0。"])
    if number >= Decimal(10) ** 12:
        raise ImportRefused([f"总额 {text} 万元过大。"])
    return int(number)


def compute(total, sheet, order, counties_of=None, previous_lines=None, previous_number="",
            grades=None, unspent=None, deductions=None, rules=None):
    """A Plan; ImportRefused when the inputs cannot give one.

    sheet: planning.sheet.FactorSheet (names already resolved to the stored ones);
    order: every prefecture name in the notice's order (the sheet's rows are put in it);
    counties_of: {prefecture name: [county name in order]} for ordering the county sheet's rows;
    previous_lines: {prefecture name: [(county name, amount)]} from the previous allocation;
    grades: {prefecture name: 优|良|中|差}; unspent: {prefecture name: Decimal};
    deductions: [Deduction].
    """
    counties_of = counties_of or {}
    previous_lines = previous_lines or {}
    rows = sheet.prefectures.rows
    ordered = {name: rows[name] for name in order if name in rows}
    prefecture_shares = factors.shares(sheet.prefectures.factors, ordered)
    by_prefecture = {}
    for deduction in deductions or ():
        by_prefecture.setdefault(deduction.prefecture, []).append(deduction)
    unknown = sorted(set(by_prefecture) - set(ordered), key=lambda name: order.index(name) if name in order else len(order))
    if unknown:
        raise ImportRefused([
            f"扣减表第{d.row}行：{d.prefecture} 不在因素表中，本次不参与分配，无从扣减。"
            for name in unknown for d in by_prefecture[name]
        ])
    adjusted = adjustments.adjust(
        [(s.key, s.key, s.share) for s in prefecture_shares], total, grades, unspent, by_prefecture, rules
    )
    if sum((a.adjusted for a in adjusted), ZERO) == ZERO:
        raise ImportRefused(["调整后各地份额合计为 0，无法分配。"])
    rounded = rounding.largest_remainder(total, [(a.key, a.adjusted) for a in adjusted])

    plans, errors = [], []
    for share, entry, result in zip(prefecture_shares, adjusted, rounded):
        plan = PrefecturePlan(share.key, ordered[share.key], share, entry, result)
        try:
            _split(plan, sheet, counties_of.get(share.key, []), previous_lines.get(share.key), previous_number)
        except ImportRefused as refused:
            errors.extend(refused.errors)
        plans.append(plan)
    if errors:
        raise ImportRefused(errors)
    factor_totals = {
        f.name: sum((row[f.name] for row in ordered.values()), ZERO) for f in sheet.prefectures.factors
    }
    return Plan(total, sheet.prefectures.factors, factor_totals, plans, previous_number)


def _split(plan, sheet, county_order, previous, previous_number):
    """Fill plan.counties: Σ amounts = plan.amount exactly."""
    name = plan.name
    county_rows = {}
    if sheet.counties is not None:
        county_rows = {county: row for (prefecture, county), row in sheet.counties.rows.items() if prefecture == name}
    if county_rows:
        position = {county: index for index, county in enumerate(county_order)}
        ordered = dict(sorted(county_rows.items(), key=lambda item: position.get(item[0], len(position))))
        county_shares = factors.shares(sheet.counties.factors, ordered, scope=f"{name} 各县（市、区）")
        weights = [(s.key, s.share, s.contributions) for s in county_shares]
        plan.county_basis = COUNTY_FACTORS
    elif previous:
        weights = [(county, Decimal(amount), {}) for county, amount in previous]
        plan.county_basis = f"{PREVIOUS_SHARES}（{previous_number}）"
    else:
        where = f"上次分配 {previous_number} 中没有 {name} 的县（市、区）分配行" if previous_number else "没有已下达的上次分配文件"
        raise ImportRefused([f"{name}：{where}，无法拆分到县（市、区），请在因素表第二个工作表填写 {name} 各县（市、区）的因素。"])
    if plan.amount and sum((weight for _c, weight, _p in weights), ZERO) == ZERO:
        raise ImportRefused([f"{name}：各县（市、区）的拆分依据合计为 0，无法拆分 {plan.amount} 万元。"])
    results = rounding.largest_remainder(plan.amount, [(county, weight) for county, weight, _p in weights])
    plan.counties = [
        CountyPlan(county, weight, parts, result) for (county, weight, parts), result in zip(weights, results)
    ]
