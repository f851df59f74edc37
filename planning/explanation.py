"""The 测算说明 workbook: every figure of a plan traced back to its inputs.

Sheet 汇总: one row per prefecture (each factor's contribution, the factor
share, the adjustments, the quota after renormalising, the rounding, the
amount). Then one sheet per prefecture: each factor's value, Σ, weight and
contribution; each adjustment with its reason; the rounding; its counties
with their basis. Numbers are written as numbers; text that could read as a
formula is neutralised by core.safe_export.
"""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from planning.precision import ZERO

SHARE_PLACES = Decimal("0.000001")
MONEY_PLACES = Decimal("0.0001")
BOLD = Font(bold=True)


def _n(value, places=MONEY_PLACES):
    # openpyxl writes a Decimal as a number; a fixed number of places keeps the sheet readable.
    return Decimal(value).quantize(places)


def _safe(text):
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _sheet_title(name, used):
    title = name[:31]
    while title in used:
        title = title[:28] + f"~{len(used)}"
    used.add(title)
    return title


def build(plan, number="", title=""):
    workbook = Workbook()
    summary = workbook.active
    summary.title = "汇总"
    summary.append([f"{title or '因素法分配测算'} 测算说明"])
    summary["A1"].font = BOLD
    summary.append([f"文号：{number}", f"总额（万元）：{plan.total}", f"上次分配：{plan.previous_number or '无'}"])
    summary.append(["因素：" + "；".join(f"{f.name}（权重 {f.weight.normalize():f}）" for f in plan.factors)])
    header = ["地（州、市）", *[f"{f.name}贡献" for f in plan.factors], "因素份额", "因素份额金额（万元）",
              "调整合计（万元）", "调整后（万元）", "归一后应得（万元）", "取整", "分配金额（万元）"]
    summary.append(header)
    for cell in summary[summary.max_row]:
        cell.font = BOLD
    for p in plan.prefectures:
        adjustments = sum((a.amount for a in p.adjusted.adjustments), ZERO)
        summary.append([
            p.name,
            *[_n(p.share.contributions[f.name], SHARE_PLACES) for f in plan.factors],
            _n(p.share.share, SHARE_PLACES),
            _n(p.adjusted.base),
            _n(adjustments),
            _n(p.adjusted.adjusted),
            _n(p.rounded.quota),
            "余数进1" if p.rounded.extra_unit else "舍去余数",
            p.amount,
        ])
    summary.append(["合计", *[""] * (len(header) - 2), sum(p.amount for p in plan.prefectures)])
    summary.append([])
    summary.append(["说明：份额 = Σ(权重 × 本地因素值 ÷ 各地因素值合计)；调整后按比例归一到总额，"
                    "再按最大余数法取整到万元，余数相同时按通知所列地（州、市）顺序在先者优先。"])
    summary.column_dimensions["A"].width = 14

    used = {"汇总"}
    for p in plan.prefectures:
        sheet = workbook.create_sheet(_sheet_title(p.name, used))
        sheet.append([f"{p.name} 测算说明"])
        sheet["A1"].font = BOLD
        sheet.append(["一、因素"])
        sheet.append(["因素", "本地数值", "各地合计", "权重", "贡献（权重×数值÷合计）"])
        for f in plan.factors:
            sheet.append([f.name, _n(p.values[f.name]), _n(plan.factor_totals[f.name]), _n(f.weight, SHARE_PLACES),
                          _n(p.share.contributions[f.name], SHARE_PLACES)])
        sheet.append(["因素份额", "", "", "", _n(p.share.share, SHARE_PLACES)])
        sheet.append(["因素份额金额（万元）", "", "", "", _n(p.adjusted.base)])
        sheet.append([])
        sheet.append(["二、调整"])
        sheet.append(["类别", "金额（万元）", "原因"])
        if not p.adjusted.adjustments:
            sheet.append(["无", 0, "无绩效评价、预算执行或审计扣减调整"])
        for a in p.adjusted.adjustments:
            sheet.append([a.kind, _n(a.amount), _safe(a.reason)])
        sheet.append(["调整后（万元）", _n(p.adjusted.adjusted)])
        sheet.append([])
        sheet.append(["三、归一与取整"])
        sheet.append(["归一后应得（万元）", _n(p.rounded.quota)])
        sheet.append(["整数部分", int(p.rounded.quota - p.rounded.remainder)])
        sheet.append(["余数", _n(p.rounded.remainder, SHARE_PLACES)])
        sheet.append(["取整", "余数进1" if p.rounded.extra_unit else "舍去余数"])
        sheet.append(["分配金额（万元）", p.amount])
        sheet.append([])
        sheet.append([f"四、县（市、区）拆分（依据：{p.county_basis}）"])
        sheet.append(["县（市、区）", "拆分依据", "应得（万元）", "取整", "分配金额（万元）"])
        for c in p.counties:
            sheet.append([c.name, _n(c.weight, SHARE_PLACES), _n(c.rounded.quota),
                          "余数进1" if c.rounded.extra_unit else "舍去余数", c.amount])
        sheet.append(["小计", "", _n(sum((c.rounded.quota for c in p.counties), ZERO)), "", sum(c.amount for c in p.counties)])
        sheet.column_dimensions["A"].width = 22
        sheet.column_dimensions["C"].width = 16
    return workbook
