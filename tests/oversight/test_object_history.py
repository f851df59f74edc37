"""Each object page links to its own history, scoped exactly like the object."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from allocations.models import AllocationLine, Prefecture, PrefectureSubtotal
from feedback.workflow import open_report
from targets.models import Actual, Checkpoint, TargetTable
from tests.allocations.pages import table_rows, visible_text
from tests.core.changes import change, delete

JULY = date(2023, 7, 1)


def history_url(obj):
    return reverse("oversight:object_history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def history_rows(response):
    assert response.status_code == 200
    # time, user, model, object, action, changes, reason
    return [row.cells for row in table_rows(response.content.decode()) if len(row.cells) == 7]


def line(document, county):
    return AllocationLine.objects.get(document=document, county__name=county)


def table_of(document, prefecture):
    return TargetTable.objects.get(document=document, prefecture__name=prefecture)


def report_of(prefecture):
    return open_report(Prefecture.objects.get(name=prefecture), JULY)


def test_it_links_the_document_table_and_report_pages_to_their_history(notice_document, region_admin, client_for):
    client = client_for(region_admin)
    table, report = table_of(notice_document, "乌鲁木齐市"), report_of("乌鲁木齐市")
    pages = [
        (reverse("allocations:document_detail", args=[notice_document.pk]), notice_document),
        (reverse("targets:table_detail", args=[table.pk]), table),
        (reverse("feedback:report_detail", args=[report.pk]), report),
    ]

    for page_url, obj in pages:
        html = client.get(page_url).content.decode()
        assert f'href="{history_url(obj)}"' in html and "变更历史" in html
        history = client.get(history_url(obj)).content.decode()
        # …and the history page leads back to the object.
        assert f'href="{page_url}"' in history


def test_it_lists_the_document_with_its_lines_and_subtotals(notice_document, region_admin, auditor, client_for):
    change(line(notice_document, "天山区"), region_admin, "更正", amount=Decimal("1100"))
    change(notice_document.subtotals.get(prefecture__name="乌鲁木齐市"), region_admin, declared_amount=Decimal("8194"))
    change(notice_document, region_admin, title="新标题")

    rows = history_rows(client_for(auditor).get(history_url(notice_document)))

    assert [(row[2], row[4]) for row in rows[:3]] == [("分配文件", "修改"), ("小计", "修改"), ("分配明细", "修改")]
    assert "小计（万元）：8,294.00 → 8,194.00" in rows[1][5]
    assert rows[2][6] == "更正"
    # Then the notice's load: the document, its 14 小计 and 100 lines, on later pages.
    everything = (
        notice_document.history.count()
        + PrefectureSubtotal.history.filter(document_id=notice_document.pk).count()
        + AllocationLine.history.filter(document_id=notice_document.pk).count()
    )
    assert everything > 115
    assert f"共 {everything} 条记录" in visible_text(client_for(auditor).get(history_url(notice_document)).content.decode())


def test_it_shows_an_officer_only_their_own_lines_and_no_region_total(
    notice_document, region_admin, officer_kashgar, auditor, client_for
):
    change(line(notice_document, "天山区"), region_admin, note="乌鲁木齐的备注")
    change(line(notice_document, "喀什市"), region_admin, note="喀什的备注")
    change(notice_document, region_admin, declared_total=Decimal("99999"), title="新标题")

    officer_page = client_for(officer_kashgar).get(history_url(notice_document))
    rows = history_rows(officer_page)
    text = visible_text(officer_page.content.decode())

    assert [(row[2], row[4]) for row in rows[:2]] == [("分配文件", "修改"), ("分配明细", "修改")]
    assert "喀什的备注" in text and "新标题" in text
    assert "乌鲁木齐的备注" not in text and "天山区" not in text
    assert "99999" not in text and "合计（万元）" not in text
    kashgar = Prefecture.objects.get(name="喀什地区")
    own = (
        notice_document.history.count()
        + PrefectureSubtotal.history.filter(document_id=notice_document.pk, prefecture=kashgar).count()
        + AllocationLine.history.filter(document_id=notice_document.pk, county__prefecture=kashgar).count()
    )
    assert f"共 {own} 条记录" in text
    auditor_rows = history_rows(client_for(auditor).get(history_url(notice_document)))
    assert "合计（万元）：72,988.00 → 99,999.00" in auditor_rows[0][5] and "乌鲁木齐的备注" in auditor_rows[2][5]


@pytest.mark.parametrize(
    "target",
    [
        lambda document: table_of(document, "乌鲁木齐市"),
        lambda document: report_of("乌鲁木齐市"),
        lambda document: line(document, "天山区"),
        lambda document: Prefecture.objects.get(name="乌鲁木齐市"),
        lambda document: document.subtotals.get(prefecture__name="乌鲁木齐市"),
        lambda document: table_of(document, "乌鲁木齐市").targets.first(),
    ],
    ids=["target table", "report", "line", "prefecture", "subtotal", "target"],
)
def test_it_hides_another_prefectures_history_from_an_officer(
    target, notice_document, officer_urumqi, officer_kashgar, client_for
):
    obj = target(notice_document)

    assert client_for(officer_kashgar).get(history_url(obj)).status_code == 404
    assert client_for(officer_urumqi).get(history_url(obj)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "core/user/1/",
        "auth/group/1/",
        "axes/accessattempt/1/",
        "targets/indicator/1/",
        "targets/historicaltarget/1/",
        "allocations/nosuchmodel/1/",
        "allocations/allocationline/999999/",
        "allocations/allocationline/99999999999999999999999/",
    ],
)
def test_it_has_no_history_page_outside_the_domain_models(path, notice_document, region_admin, client_for):
    assert client_for(region_admin).get(f"/changes/{path}").status_code == 404


def test_it_keeps_a_deleted_lines_history_within_its_prefecture(
    notice_document, region_admin, officer_urumqi, officer_kashgar, client_for
):
    doomed = line(notice_document, "天山区")
    url = history_url(doomed)
    delete(doomed, region_admin)

    rows = history_rows(client_for(region_admin).get(url))

    assert [row[4] for row in rows] == ["删除", "新增"]
    assert "已被删除" in client_for(region_admin).get(url).content.decode()
    assert client_for(officer_urumqi).get(url).status_code == 200
    assert client_for(officer_kashgar).get(url).status_code == 404


def test_it_lists_a_table_with_its_targets_and_actuals(notice_document, region_admin, hr_reviewer, client_for):
    table = table_of(notice_document, "乌鲁木齐市")
    target = table.targets.get(indicator__code="NEW_URBAN_JOBS")
    change(target, region_admin, raw_value="105000")
    actual = Actual(target=target, checkpoint=Checkpoint.MID_YEAR, raw_value="110000")
    change(actual, region_admin)
    other = table_of(notice_document, "喀什地区").targets.get(indicator__code="NEW_URBAN_JOBS")
    change(other, region_admin, raw_value="1")

    rows = history_rows(client_for(hr_reviewer).get(history_url(table)))

    # 喀什地区's target changed last, and is not on this table's page.
    assert [(row[2], row[4]) for row in rows[:2]] == [("实际完成值", "新增"), ("绩效目标", "修改")]
    assert "实际完成值：— → 110000" in rows[0][5]
    assert "指标值（原文）：" in rows[1][5] and "→ 105000" in rows[1][5]


def test_it_lists_a_report_with_its_lines(reference_data, officer_urumqi, client_for):
    report = report_of("乌鲁木齐市")
    feedback_line = report.lines.order_by("position").first()
    change(feedback_line, officer_urumqi, spent=Decimal("100"), reason="进度滞后")

    rows = history_rows(client_for(officer_urumqi).get(history_url(report)))

    assert (rows[0][1], rows[0][2], rows[0][4]) == ("officer_urumqi", "反馈明细", "修改")
    assert "实际支出金额（万元）：— → 100.00" in rows[0][5]
    assert "未按计划或预算执行要求支出的原因：— → 进度滞后" in rows[0][5]
    assert {row[2] for row in rows} == {"反馈明细", "资金使用反馈表"}
