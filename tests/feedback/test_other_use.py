"""The tenth use (issue 13 point 8): 经自治区人民政府批准的其他支出项目, offered with a note naming the approval.

附件3 says 勿修改表格式, so the approval travels in the 资金支出方向 cell:
"经自治区人民政府批准的其他支出项目（批准文件：…）", written by the export and parsed by the import.
"""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations.models import PermittedUse
from feedback import workflow
from feedback.workbook.importing import split_approval
from tests.allocations.pages import page, visible_text
from tests.feedback.workbook_files import JULY, export_urumqi, fill, rows, run_import, urumqi_report

LINE = "第1行 新财社〔2023〕74号"
OTHER = "经自治区人民政府批准的其他支出项目"
APPROVAL = "新政函〔2023〕12号"


@pytest.fixture
def july(officer_urumqi):
    return workflow.open_report(officer_urumqi.prefecture, JULY)


def _save(report, user, **values):
    line = report.lines.get()
    return workflow.save_lines(report, {line.pk: values}, user, report.version)


def test_it_offers_the_tenth_use_of_annex_2():
    assert len(PermittedUse.values) == 10
    assert PermittedUse.OTHER_APPROVED.label == OTHER


def test_it_refuses_the_tenth_use_without_its_approval_naming_row_and_field(officer_urumqi, july):
    with pytest.raises(ValidationError) as refused:
        _save(july, officer_urumqi, spent=D("5000"), uses=[PermittedUse.OTHER_APPROVED])

    assert refused.value.messages == [
        f"{LINE}：资金支出方向选择了“{OTHER}”，须在“批准文件”中写明自治区人民政府的批准文件（文号或名称）"
    ]
    assert july.lines.get().uses == []


def test_it_refuses_an_approval_without_the_tenth_use(officer_urumqi, july):
    with pytest.raises(ValidationError) as refused:
        _save(july, officer_urumqi, spent=D("5000"), uses=["vocational_training"], other_use_approval=APPROVAL)

    assert f"{LINE}：填写了批准文件“{APPROVAL}”，但资金支出方向未选择“{OTHER}”：请选择该项，或清空批准文件" in refused.value.messages


def test_it_saves_the_tenth_use_with_its_approval_on_the_page(officer_urumqi, july, client_for):
    line = july.lines.get()
    client = client_for(officer_urumqi)
    url = reverse("feedback:report_detail", args=[july.pk])
    data = {f"spent_{line.pk}": "5000", f"uses_{line.pk}": ["vocational_training", "other_approved"], "version": july.version}

    refused = client.post(url, {**data, "action": "save"})
    assert refused.status_code == 200
    assert f"{LINE}：资金支出方向选择了“{OTHER}”，须在“批准文件”中写明" in visible_text(page(refused))

    saved = client.post(url, {**data, f"other_use_approval_{line.pk}": f"  {APPROVAL} ", "action": "submit"})
    assert saved.status_code == 302
    line.refresh_from_db()
    assert (line.uses, line.other_use_approval) == (["vocational_training", "other_approved"], APPROVAL)
    shown = visible_text(page(client.get(url)))
    assert f"职业培训补贴、{OTHER}" in shown and f"批准文件：{APPROVAL}" in shown


def test_it_writes_the_approval_into_the_uses_cell_and_imports_it_back(officer_urumqi, july, tmp_path):
    _save(july, officer_urumqi, spent=D("5000"), uses=["vocational_training", "other_approved"], other_use_approval=APPROVAL)

    cell = rows(export_urumqi(tmp_path))[5][5]
    assert cell == f"职业培训补贴、{OTHER}（批准文件：{APPROVAL}）"

    _save(urumqi_report(), officer_urumqi, uses=["vocational_training"], other_use_approval="")
    run_import(fill(export_urumqi(tmp_path, name="again.xlsx"), uses=cell))
    line = urumqi_report().lines.get()
    assert (line.uses, line.other_use_approval) == (["vocational_training", "other_approved"], APPROVAL)


def test_it_reads_a_shortened_tenth_use_and_half_width_brackets(officer_urumqi, july, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=5000, uses="其他(批准文件: 新政函（2023）12号)、社会保险补贴")

    run_import(path)

    line = urumqi_report().lines.get()
    assert (line.uses, line.other_use_approval) == (["other_approved", "social_insurance"], "新政函（2023）12号")


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("职业培训补贴", ("职业培训补贴", "")),
        (f"{OTHER}（批准文件：{APPROVAL}）", (OTHER, APPROVAL)),
        (f"{OTHER}（批准文件：{APPROVAL}）、创业补贴", (f"{OTHER}、创业补贴", APPROVAL)),
        (f"{OTHER}（批准文件：新政函（2023）12号", (OTHER, "新政函（2023）12号")),  # unclosed: to the cell's end
        ("", ("", "")),
    ],
)
def test_it_splits_the_approval_from_the_uses_cell(cell, expected):
    assert split_approval(cell) == expected
