"""Bad planning inputs (issue 16.4): plan_allocation and the planning page.

Factor sheets with negative or missing values, weights that do not sum to 1,
unknown prefectures or counties, a total that is not a whole number, and
deductions larger than the share: each refused with a message naming the
row and column (or the field), nothing written.
"""

import io
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.badinput import files
from tests.badinput.case import ENCRYPTED, NOT_A_WORKBOOK, cases_of, given
from tests.badinput.entries import ENTRIES, Page
from tests.planning.sheets import deductions_file, factor_sheet, notice_subtotals, subtotal_sheet

NEW_PLAN = "新财社〔2024〕1号"
REFUSED = "未写入任何数据"
HEADING = "上批分配额（1）"


@dataclass(frozen=True)
class PlanCommand:
    """plan_allocation: the case's file goes in as --factors; bytes among the options are written to files too."""

    defaults: dict

    def prepare(self, ctx):
        ctx.fixture("reference_data")

    def run(self, ctx, given):
        arguments = []
        if given.file is not None:
            path = ctx.tmp_path / given.name
            path.write_bytes(given.file)
            arguments += ["--factors", str(path)]
        for name, value in {**self.defaults, **given.options}.items():
            if value is None:
                continue
            if isinstance(value, bytes):
                path = ctx.tmp_path / f"{name.strip('-')}.xlsx"
                path.write_bytes(value)
                value = str(path)
            arguments += [name, value]
        stdout = io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command("plan_allocation", *arguments, *given.flags, stdout=stdout, stderr=io.StringIO())
        assert not stdout.getvalue(), "a refused plan reported success"
        return str(refused.value)


ENTRIES.update({
    "plan_allocation": PlanCommand({"--total": "80000", "--document": NEW_PLAN}),
    "planning:plan": Page(
        lambda ctx, given: reverse("planning:plan"), "region_admin", ("reference_data",),
        file_field="factors", defaults={"total": "80000", "number": NEW_PLAN},
    ),
})


def rows_with(index, value):
    rows = [[name, amount] for name, amount in notice_subtotals()]
    rows[index][1] = value
    return rows


def sheet(rows, headings=(HEADING,), **extra):
    return given(file=factor_sheet(list(headings), rows), **extra)


def with_deductions(*rows):
    return given(file=subtotal_sheet(), options={"--deductions": deductions_file(list(rows))})


command = cases_of("plan_allocation", "planning")
page = cases_of("planning:plan", "planning_page")

CASES = [
    command("not-a-workbook", given(file=files.not_a_workbook()), NOT_A_WORKBOOK, REFUSED),
    command("encrypted", given(file=files.encrypted()), ENCRYPTED, REFUSED),
    command("missing-header", sheet([["乌鲁木齐市", 1]], headings=()), "第1行：没有因素列", REFUSED),
    command("negative-factor", sheet(rows_with(2, -5)), "第4行 塔城地区 B4（上批分配额）：数值 -5 为负数", REFUSED),
    command("missing-factor-value", sheet(rows_with(0, None)), "第2行 乌鲁木齐市 B2（上批分配额）：数值为空", REFUSED),
    command("text-factor-value", sheet(rows_with(1, "约九千")), "第3行 伊犁州 B3（上批分配额）：“约九千”不是数字", REFUSED),
    command("formula-factor-value", sheet(rows_with(1, "=8000+846")), "B3（上批分配额）：是公式（=8000+846）", REFUSED),
    command("weights-not-summing", sheet([["乌鲁木齐市", 1, 1]], headings=("就业任务（0.4）", "失业人员（0.5）")),
            "第1行：各因素权重之和为 0.9（0.4＋0.5），应为 1", REFUSED),
    command("heading-without-weight", sheet([["乌鲁木齐市", 1]], headings=("就业任务",)),
            "B1 表头“就业任务”：应为“因素名称（权重）”", REFUSED),
    command("unknown-prefecture", sheet([["乌鲁木齐市", 1], ["火星市", 2]]), "第3行：未知的地（州、市）“火星市”", REFUSED),
    command("duplicate-prefecture", sheet([["乌鲁木齐市", 1], ["乌鲁木齐市", 2]]), "第3行：乌鲁木齐市 重复（第2行已有）", REFUSED),
    command("unknown-county", given(file=factor_sheet([HEADING], [["喀什地区", 1]], county_rows=[["喀什地区", "火星县", 1]])),
            "第2行：喀什地区 没有名为“火星县”的县（市、区）", REFUSED),
    command("total-not-whole", given(file=subtotal_sheet(), options={"--total": "80000.5"}), "总额 80000.5 万元不是整数", REFUSED),
    command("total-text-", given(file=subtotal_sheet(), options={"--total": "八万"}), "总额“八万”不是数字", REFUSED),
    command("deduction-larger-than-share", with_deductions(["克拉玛依市", 2000, "违规发放补贴", "新审〔2024〕3号"]),
            "扣减表第2行 克拉玛依市：扣减金额 2000 万元大于该地调整后的因素份额 1710.97 万元", REFUSED),
    command("deduction-without-source", with_deductions(["喀什地区", 10, "违规发放补贴", None]), "扣减表第2行：缺少来源文号", REFUSED),
    command("deduction-unknown-prefecture", with_deductions(["火星市", 10, "违规", "新审〔2024〕3号"]),
            "扣减表第2行：未知的地（州、市）“火星市”", REFUSED),
    command("deduction-3-decimal", with_deductions(["喀什地区", "1.234", "违规", "新审〔2024〕3号"]),
            "扣减表第2行：扣减金额最多保留2位小数（1.234）", REFUSED),
    command("duplicate-document", given(file=subtotal_sheet(), options={"--document": "新财社〔2023〕74号"}),
            "文号 新财社〔2023〕74号 已存在", REFUSED),
    page("negative-factor", sheet(rows_with(2, -5), name="factors.xlsx"), "第4行 塔城地区 B4（上批分配额）：数值 -5 为负数", "输入有误，不能测算"),
    page("total-not-whole", given(file=subtotal_sheet(), data={"total": "80000.5"}), "总额 80000.5 万元不是整数", "输入有误，不能测算"),
    page("weights-not-summing", sheet([["乌鲁木齐市", 1, 1]], headings=("就业任务（0.7）", "失业人员（0.5）")),
         "各因素权重之和为 1.2（0.7＋0.5），应为 1", "输入有误，不能测算"),
    page("not-a-workbook", given(file=files.not_a_workbook()), NOT_A_WORKBOOK, "输入有误，不能测算"),
]
