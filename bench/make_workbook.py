"""Writes a synthetic 附件1 allocation table of N county lines, for the import benchmarks.

    .venv/bin/python bench/make_workbook.py --lines 100000 --out /tmp/allocation-bench

writes, for the same rows:
  allocation_<N>.xlsx       the official layout of fixtures/samples/allocation_2023_batch2.xlsx
                            (附件1 label, merged bold title, 单位：万元, header, 合计 first, then each
                            prefecture's lines with its name merged down column B, then its 小计)
  allocation_<N>_flat.csv   one line per row: 文号, 地州市, 县市区, 拨付金额, 备注 (for way (c))
  allocation_<N>_flat.xlsx  the same as a one-sheet workbook
  regions_<N>.json          the prefectures and counties, in the shape of fixtures/regions.json,
                            so a benchmark database can hold every county the table names

Names are made up from syllables of real Xinjiang place names, deterministic for a seed; a county
name is unique within its prefecture, as the import requires. Amounts are Decimal 万元 with at most
2 decimals; every 小计 is the exact sum of its lines and the 合计 the sum of all lines.
openpyxl's write-only mode streams the rows, so 100,000 lines take seconds, not minutes.
"""

import argparse
import csv
import json
import random
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

TITLE = "2023年中央财政就业补助资金（第二批）分配表"
HEADER = ("序号", "地（州、市）名称", "县（市、区）名称", "拨付金额", "备注")
FLAT_HEADER = ("文号", "地州市", "县市区", "拨付金额", "备注")
DOCUMENT_NUMBER = "新财社〔2023〕999号"
# Column widths of the sample file, A to E.
WIDTHS = {"A": 6.0, "B": 18.0, "C": 24.0, "D": 12.0, "E": 10.0}

_SYLLABLES = (
    "阿克苏喀什和田伊犁塔城勒泰博尔巴音郭楞昌吉哈密吐鲁番奎屯石河子库车沙雅拜乌恰温宿焉耆且末若羌莎叶麦盖提"
    "岳普湖伽师楚疏附英泽图木舒孜柯坪霍察布查尼精额敏裕民托里富蕴青福海乃津玛纳斯呼壁阜康奇台垒鄯善逊吾坤"
)
_PREFECTURE_SUFFIXES = ("地区", "市", "州", "自治州")
_COUNTY_SUFFIXES = (("县", "county"), ("县", "county"), ("县", "county"), ("市", "city"), ("区", "district"))
_NOTES = ("含上年结转", "直达资金", "含稳岗返还", "待清算")


@dataclass
class Prefecture:
    name: str
    # (county name, kind, amount, note)
    lines: list = field(default_factory=list)

    @property
    def subtotal(self):
        return sum((amount for _, _, amount, _ in self.lines), Decimal("0"))


@dataclass
class Table:
    prefectures: list

    @property
    def total(self):
        return sum((p.subtotal for p in self.prefectures), Decimal("0"))

    @property
    def line_count(self):
        return sum(len(p.lines) for p in self.prefectures)

    def lines(self):
        for prefecture in self.prefectures:
            for county, _kind, amount, note in prefecture.lines:
                yield prefecture.name, county, amount, note


def _name(rng, low, high):
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(low, high)))


def _amount(rng):
    # Mostly whole 万元, as in the notice; some with one or two decimals.
    whole = rng.randint(10, 3000)
    shape = rng.random()
    if shape < 0.7:
        return Decimal(whole)
    if shape < 0.85:
        return Decimal(whole) + Decimal(rng.randint(1, 9)) / 10
    return Decimal(whole) + Decimal(rng.randint(1, 99)) / 100


def generate(lines=100_000, per_prefecture=1000, seed=2023):
    """A Table of exactly `lines` county lines in prefectures of about per_prefecture lines."""
    rng = random.Random(seed)
    count = max(1, round(lines / per_prefecture))
    base, extra = divmod(lines, count)
    sizes = [base + (1 if index < extra else 0) for index in range(count)]
    prefectures = []
    used = set()
    for size in sizes:
        while True:
            name = _name(rng, 2, 3) + rng.choice(_PREFECTURE_SUFFIXES)
            if name not in used:
                used.add(name)
                break
        prefecture = Prefecture(name)
        counties = set()
        while len(prefecture.lines) < size:
            suffix, kind = rng.choice(_COUNTY_SUFFIXES)
            county = _name(rng, 2, 4) + suffix
            if county in counties:
                continue
            counties.add(county)
            note = rng.choice(_NOTES) if rng.random() < 0.02 else ""
            prefecture.lines.append((county, kind, _amount(rng), note))
        prefectures.append(prefecture)
    return Table(prefectures)


def cell_number(amount):
    # What Excel stores: an integer, or the double nearest a 2-decimal amount,
    # whose repr() is that amount again (see allocations/workbook/reader.py).
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def write_official(table, path, title=TITLE):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.cell_range import CellRange

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("附件1")
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True, size=16)
    heading.alignment = Alignment(horizontal="center")
    sheet.append(["附件1"])
    sheet.append([heading])
    sheet.merged_cells.add(CellRange("A2:E2"))
    sheet.append([None, None, None, "单位：万元"])
    sheet.append(list(HEADER))
    sheet.append([None, "合计", "全区", cell_number(table.total)])
    row = 5
    serial = 0
    for prefecture in table.prefectures:
        first = row + 1
        for index, (county, _kind, amount, note) in enumerate(prefecture.lines):
            serial += 1
            row += 1
            sheet.append([serial, prefecture.name if index == 0 else None, county, cell_number(amount), note or None])
        if len(prefecture.lines) > 1:
            sheet.merged_cells.add(CellRange(min_col=2, min_row=first, max_col=2, max_row=row))
        row += 1
        sheet.append([None, None, "小计", cell_number(prefecture.subtotal)])
    workbook.save(path)
    return path


def write_flat_csv(table, path, number=DOCUMENT_NUMBER):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FLAT_HEADER)
        for prefecture, county, amount, note in table.lines():
            writer.writerow([number, prefecture, county, str(amount), note])
    return path


def write_flat_xlsx(table, path, number=DOCUMENT_NUMBER):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("分配明细")
    sheet.append(list(FLAT_HEADER))
    for prefecture, county, amount, note in table.lines():
        sheet.append([number, prefecture, county, cell_number(amount), note or None])
    workbook.save(path)
    return path


def write_regions(table, path):
    data = {
        "prefectures": [
            {"name": p.name, "counties": [{"name": county, "kind": kind} for county, kind, _, _ in p.lines]}
            for p in table.prefectures
        ]
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_all(lines, out, seed=2023, per_prefecture=1000):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    table = generate(lines, per_prefecture=per_prefecture, seed=seed)
    return {
        "official": write_official(table, out / f"allocation_{lines}.xlsx"),
        "flat_csv": write_flat_csv(table, out / f"allocation_{lines}_flat.csv"),
        "flat_xlsx": write_flat_xlsx(table, out / f"allocation_{lines}_flat.xlsx"),
        "regions": write_regions(table, out / f"regions_{lines}.json"),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--per-prefecture", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--out", default="/tmp/allocation-bench")
    options = parser.parse_args(argv)
    for kind, path in write_all(options.lines, options.out, options.seed, options.per_prefecture).items():
        print(f"{kind}: {path}")


if __name__ == "__main__":
    sys.exit(main())
