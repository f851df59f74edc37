"""附件2 at national scale: each year's first document carries a target table for
every prefecture, plus the issuing level's own table (prefecture empty; the
model allows one per document, so there is no per-province table).

Every indicator of the catalogue gets a value in a form targets/values.py
reads: a bare number under a "(人)" or "(万人次)" wording, "≥98%", "5.5%以内",
"0起", "2个", or text. The issuing level's figures for "sum" indicators are
exactly the sums of the prefectures' ("超过X" is reached at X), and its rates
are never stricter than a prefecture's, so the roll-up check passes.
"""

from datetime import timedelta

from core import bulk_insert
from national.allocation_rows import at
from national.plan import rng_for
from targets.models import Kind, Target, TableStatus, TargetTable
from targets.values import Direction, parse_target_value

# Yearly national figures the prefecture shares are cut from, in the indicator's unit (人 or 万人次).
PEOPLE = {
    "TRAINING_RECIPIENTS": 1800,
    "SOCIAL_INSURANCE_RECIPIENTS": 5_000_000,
    "PUBLIC_JOB_RECIPIENTS": 1_500_000,
    "INTERNSHIP_RECIPIENTS": 400_000,
    "NEW_URBAN_JOBS": 12_000_000,
    "REEMPLOYED_UNEMPLOYED": 5_000_000,
    "HARD_TO_EMPLOY_EMPLOYED": 1_700_000,
}
RATES = {
    "JOB_SEEKING_SUBSIDY_RATE": 95,
    "CERTIFICATE_RATE": 80,
    "PUBLIC_SERVICE_SATISFACTION": 85,
    "POLICY_SERVICE_SATISFACTION": 90,
}
TEXTS = {
    "SOCIAL_INSURANCE_SUBSIDY_STANDARD": "单位应缴纳的三项社会保险费或原则上不超过社会保险费实际缴费金额的三分之二",
    "PUBLIC_JOB_SUBSIDY_STANDARD": "原则上不高于当地最低工资标准",
}
GOAL = (
    "目标1: 资金按规定用于职业培训补贴、职业技能鉴定补贴、社会保险补贴、公益性岗位补贴、创业补贴、就业见习补贴、"
    "求职创业补贴、就业创业服务补助、高技能人才培养补助等支出以及经省级人民政府批准的其他支出项目。 "
    "目标2: 确保完成年度城镇新增就业目标任务。"
)
ISSUER_TITLE = "全国就业补助资金转移支付绩效目标表（模拟数据）"


def wording(indicator):
    return f"{indicator.name}({indicator.unit})" if indicator.unit else indicator.name


def _prefecture_values(indicator, rng, share, total):
    """One prefecture's raw value and, for the sums, its number (in the indicator's unit, ×10 for 万人次)."""
    unit = indicator.unit
    if indicator.kind == Kind.QUALITATIVE or not unit:
        return TEXTS.get(indicator.code, "保持稳定"), None
    if unit == "万人次":
        tenths = max(1, PEOPLE.get(indicator.code, 100) * 10 * share * rng.randint(90, 110) // (total * 100))
        return f"{tenths // 10}.{tenths % 10}", tenths
    if unit == "人":
        hundreds = max(1, PEOPLE.get(indicator.code, 100_000) * share * rng.randint(90, 110) // (total * 100 * 100))
        return str(hundreds * 100), hundreds * 100
    if unit == "个":
        count = rng.randint(0, 3)
        return f"{count}个", count
    if unit == "起":
        return "0起", 0
    if unit == "%" and indicator.direction == Direction.LOWER:
        return rng.choice(("5.5%以内", "5.5%以内", "5%以内")), None
    if unit == "%":
        base = RATES.get(indicator.code, 98)
        return f"≥{min(100, base + (1 if rng.random() < 0.2 else 0))}%", None
    return "保持稳定", None


def _issuer_value(indicator, summed):
    unit = indicator.unit
    if indicator.kind == Kind.QUALITATIVE or not unit:
        return TEXTS.get(indicator.code, "保持稳定")
    if unit == "万人次":
        return f"超过{summed // 10}.{summed % 10}万人次"
    if unit == "人":
        whole, rest = divmod(summed, 10000)
        return f"超过{whole}.{rest // 100:02d}万人" if rest else f"超过{whole}万人"
    if unit == "个":
        return f"{summed}个"
    if unit == "起":
        return "0起"
    if unit == "%" and indicator.direction == Direction.LOWER:
        return "5.5%以内"
    if unit == "%":
        return f"≥{RATES.get(indicator.code, 98)}%"
    return "保持稳定"


def _status(rng, year, plan):
    if year < plan.last_year:
        return TableStatus.APPROVED
    roll = rng.random()
    if roll < 0.7:
        return TableStatus.APPROVED
    return TableStatus.SUBMITTED if roll < 0.85 else TableStatus.RETURNED if roll < 0.9 else TableStatus.DRAFT


def _header(document, fund, status, title, authority, finance_department, local_department, issuer):
    submitted = None if status == TableStatus.DRAFT else at(document.issued_on + timedelta(days=10), 10)
    reviewed = at(document.issued_on + timedelta(days=20), 15) if status in (TableStatus.APPROVED, TableStatus.RETURNED) else None
    version = {TableStatus.DRAFT: 1, TableStatus.SUBMITTED: 2}.get(status, 3)
    return {
        "title": title, "year_label": f"({document.year}年度)", "fund_name": fund.name,
        "authority_label": "主管部门" if issuer else "省级主管部门", "authority": authority,
        "period_label": "实施期" if issuer else "", "period": f"{document.year}年" if issuer else "",
        "finance_label": "省级财政部门" if issuer else "各地财政部门", "finance_department": finance_department,
        "local_label": "省级主管部门" if issuer else "各地主管部门", "local_department": local_department,
        "goal_heading": "年度目标" if issuer else "年度及实施期目标", "goal_text": GOAL, "status": status,
        "return_reason": "指标值与上年实际完成情况差距较大，请核实后重新提交" if status == TableStatus.RETURNED else "",
        "reopen_reason": "", "submitted_at": submitted, "reviewed_at": reviewed, "reviewed_by": None, "version": version,
    }


TABLE_FIELDS = (
    "document", "prefecture", "title", "year_label", "fund_name", "authority_label", "authority", "period_label",
    "period", "finance_label", "finance_department", "local_label", "local_department", "goal_heading", "goal_text",
    "status", "return_reason", "reopen_reason", "submitted_at", "reviewed_at", "reviewed_by", "version",
)
TARGET_FIELDS = ("table", "indicator", "wording", "raw_value", "operator", "number", "unit", "base_number", "base_unit", "position")


def write_targets(plan, fund, indicators, prefecture_ids, document_ids):
    """Returns (tables, targets) written."""
    firsts = [d for d in plan.documents if d.batch == 1]
    shares = [sum(c.base_cents for c in p.counties) for p in plan.prefectures]
    total = sum(shares)
    headers = []
    values = {}  # (document index, prefecture index or None) -> [raw value per indicator]
    for document in firsts:
        rng = rng_for(plan.seed, f"targets:{document.year}")
        sums = [0] * len(indicators)
        for p_index, prefecture in enumerate(plan.prefectures):
            raws = []
            for i, indicator in enumerate(indicators):
                raw, number = _prefecture_values(indicator, rng, shares[p_index], total)
                raws.append(raw)
                sums[i] += number or 0
            values[(document.index, p_index)] = raws
            province = plan.provinces[prefecture.province].name
            header = _header(document, fund, _status(rng, document.year, plan), f"{prefecture.name}就业补助资金转移支付绩效目标表",
                             f"{province}人力资源和社会保障厅", f"{prefecture.name}财政局", f"{prefecture.name}人社局", False)
            headers.append((document_ids[document.index], prefecture_ids[p_index], header))
        values[(document.index, None)] = [_issuer_value(ind, s) for ind, s in zip(indicators, sums)]
        header = _header(document, fund, TableStatus.APPROVED, ISSUER_TITLE, "人力资源和社会保障部",
                         "各省（自治区、直辖市）财政厅（局）", "各省（自治区、直辖市）人力资源和社会保障厅（局）", True)
        headers.append((document_ids[document.index], None, header))
    tables = bulk_insert.insert(
        TargetTable, TABLE_FIELDS, ((doc, pref, *(h[name] for name in TABLE_FIELDS[2:])) for doc, pref, h in headers)
    )
    ids = {
        (document_id, prefecture_id): table_id
        for table_id, document_id, prefecture_id in TargetTable.objects.filter(
            document_id__in=[document_ids[d.index] for d in firsts]
        ).values_list("id", "document_id", "prefecture_id")
    }
    by_prefecture_id = {prefecture_ids[i]: i for i in range(len(plan.prefectures))}
    rows = (
        _target(ids[(document_ids[d.index], pref_id)], indicators, values[(d.index, by_prefecture_id.get(pref_id))])
        for d in firsts
        for pref_id in [*(prefecture_ids[i] for i in range(len(plan.prefectures))), None]
    )
    targets = bulk_insert.insert(Target, TARGET_FIELDS, (row for table_rows in rows for row in table_rows))
    return tables, targets


def _target(table_id, indicators, raws):
    for position, (indicator, raw) in enumerate(zip(indicators, raws), start=1):
        text = wording(indicator)
        value = parse_target_value(raw, text, indicator.direction)
        yield (table_id, indicator.pk, text, raw, value.operator, value.number, value.unit, value.base_number, value.base_unit, position)
