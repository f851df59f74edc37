import csv
import io

import pytest
from django.urls import reverse

from allocations.models import Prefecture
from targets.models import Indicator, Target, TargetTable
from tests.allocations.pages import page, table_rows, visible_text

REGION_WIDE = ["hr_reviewer", "auditor", "region_admin"]
OFFICERS = ["officer_urumqi", "officer_kashgar"]
PREFECTURES = [
    "乌鲁木齐市", "伊犁州", "塔城地区", "阿勒泰地区", "克拉玛依市", "博州", "昌吉州",
    "哈密市", "吐鲁番市", "巴州", "阿克苏地区", "克州", "喀什地区", "和田地区",
]  # fmt: skip
# Every page: the session, the user, and the user's groups (core.permissions asks once per request).
REQUEST = ["session", "user", "user's role groups"]
DATA = [
    "the document",
    "the document's targets with indicator and table",
    "the prefectures, each flagged with whether it has a table",
]


def _url(name, document, **query):
    url = reverse(f"targets:{name}", args=[document.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _rows_by_indicator(html):
    return {row.cells[1]: row for row in table_rows(html) if len(row.cells) == 10}


def _set(document, scope, name, raw_value):
    target = Target.objects.get(table__document=document, table__prefecture__name=scope, indicator__name=name)
    target.raw_value = raw_value
    target.save()


@pytest.mark.parametrize("role", REGION_WIDE)
def test_it_shows_the_rollup_to_region_wide_roles(role, request, notice_document, client_for):
    response = client_for(request.getfixturevalue(role)).get(_url("rollup", notice_document))

    assert response.status_code == 200
    rows = _rows_by_indicator(page(response))
    assert len(rows) == 26
    training = rows["享受职业技能培训补贴人员数量"].cells
    assert training[3:7] == ["超过80万人次", "1,500,000", "人次", "一致"]
    assert rows["城镇新增就业人数"].cells[3:7] == ["超过38万人", "380,000", "人", "一致"]
    assert rows["求职创业补贴发放准确率"].cells[8] == "吐鲁番市、阿克苏地区、克州、喀什地区"
    assert rows["国家级高技能人才培训基地建设数量"].cells[6] == "不可核对"


def test_it_shows_a_shortfall_and_the_weaker_prefecture(notice_document, hr_reviewer, client_for):
    _set(notice_document, "乌鲁木齐市", "城镇新增就业人数", "100000")
    _set(notice_document, "乌鲁木齐市", "职业培训补贴发放准确率", "≥97%")

    html = page(client_for(hr_reviewer).get(_url("rollup", notice_document)))

    rows = _rows_by_indicator(html)
    jobs, accuracy = rows["城镇新增就业人数"], rows["职业培训补贴发放准确率"]
    assert "verdict-shortfall" in jobs.classes
    assert jobs.cells[4:8] == ["377,000", "人", "不足", "差 3,000 人"]
    assert accuracy.cells[6:8] == ["不足", "乌鲁木齐市（≥97%）"]
    assert 'data-verdict-count="shortfall">2 项<' in html


def test_it_lists_unmapped_wordings_and_prefectures_without_a_table(notice_document, auditor, client_for):
    TargetTable.objects.get(document=notice_document, prefecture__name="和田地区").delete()
    target = Target.objects.get(table__prefecture__name="喀什地区", indicator__name="城镇新增就业人数")
    target.indicator = None
    target.wording = "新增城镇就业(人)"
    target.save()

    html = page(client_for(auditor).get(_url("rollup", notice_document)))

    unmapped = [row.cells for row in table_rows(html) if "unmapped" in row.classes]
    assert unmapped == [["喀什地区", "新增城镇就业(人)", "80000"]]
    assert "和田地区" in visible_text(html.split('id="without-table"')[1].split("</dd>")[0])
    # 380000 less 喀什地区's unmapped 80000 and 和田地区's 25000, gone with its table.
    assert _rows_by_indicator(html)["城镇新增就业人数"].cells[4] == "275,000"


@pytest.mark.parametrize("name", ["rollup", "matrix"])
@pytest.mark.parametrize("role", OFFICERS)
def test_it_forbids_officers_both_pages(name, role, request, notice_document, client_for):
    client = client_for(request.getfixturevalue(role))

    assert client.get(_url(name, notice_document)).status_code == 403
    assert client.get(_url(name, notice_document, format="csv")).status_code == 403


@pytest.mark.parametrize("name", ["rollup", "matrix"])
def test_it_sends_an_anonymous_visitor_to_the_login_page(name, notice_document, client):
    response = client.get(_url(name, notice_document))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["rollup", "matrix"])
def test_it_answers_an_unknown_document_with_404(name, hr_reviewer, client_for):
    assert client_for(hr_reviewer).get(reverse(f"targets:{name}", args=[999999])).status_code == 404


def test_it_downloads_the_rollup_as_csv(notice_document, region_admin, client_for):
    response = client_for(region_admin).get(_url("rollup", notice_document, format="csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["indicator", "region_target", "prefecture_sum", "unit", "verdict", "missing_in"]
    assert ["享受职业技能培训补贴人员数量", "超过80万人次", "1500000", "人次", "consistent", ""] in rows
    assert len(rows) == 27


def test_it_refuses_an_unknown_download_format_with_a_message(notice_document, region_admin, client_for):
    response = client_for(region_admin).get(_url("rollup", notice_document, format="xlsx"), follow=True)

    assert response.redirect_chain[-1][0] == _url("rollup", notice_document)
    assert "不支持的导出格式“xlsx”，只能下载 CSV。" in visible_text(page(response))


def test_it_explains_a_document_without_a_regional_table(notice_document, region_admin, client_for):
    TargetTable.objects.get(document=notice_document, prefecture__isnull=True).delete()
    client = client_for(region_admin)

    shown = client.get(_url("rollup", notice_document))
    download = client.get(_url("rollup", notice_document, format="csv"), follow=True)

    assert shown.status_code == 200
    assert "没有自治区绩效目标表" in visible_text(page(shown))
    assert download.redirect_chain[-1][0] == _url("rollup", notice_document)
    assert "无法导出" in visible_text(page(download))


@pytest.mark.parametrize("role", REGION_WIDE)
def test_it_shows_the_comparison_matrix(role, request, notice_document, client_for):
    html = page(client_for(request.getfixturevalue(role)).get(_url("matrix", notice_document)))

    header = [visible_text(cell).strip() for cell in html.split("<thead>")[1].split("</thead>")[0].split("</th>")[:-1]]
    assert header == ["三级指标", "自治区", *PREFECTURES]
    rows = [row for row in table_rows(html) if len(row.cells) == 16]
    catalogue = list(Indicator.objects.filter(targets__table__document=notice_document).distinct().order_by("position"))
    assert [row.cells[0] for row in rows] == [indicator.name for indicator in catalogue]
    training = rows[0].cells
    assert training[:3] == ["享受职业技能培训补贴人员数量", "超过80万人次", "12.3 万人次"]
    job_seeking = next(row.cells for row in rows if row.cells[0] == "求职创业补贴发放准确率")
    missing = [scope for scope, cell in zip(["自治区", *PREFECTURES], job_seeking[1:]) if cell == "缺"]
    assert missing == ["吐鲁番市", "阿克苏地区", "克州", "喀什地区"]


def test_it_marks_a_prefecture_without_a_table_in_the_matrix(notice_document, hr_reviewer, client_for):
    TargetTable.objects.get(document=notice_document, prefecture__name="和田地区").delete()

    html = page(client_for(hr_reviewer).get(_url("matrix", notice_document)))

    assert "和田地区 无目标表" in " ".join(visible_text(html).split())
    rows = [row for row in table_rows(html) if len(row.cells) == 16]
    assert {row.cells[-1] for row in rows} == {"—"}


def _more_indicators(document, count):
    """count more catalogue indicators, each with a row in every table of the document."""
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"TEST_{i}", name=f"测试指标{i}", level1="output", level2="quantity", unit="人",
            kind="quantitative", direction="higher", rollup="sum", position=100 + i,
        )  # fmt: skip
        for i in range(count)
    )
    tables = list(TargetTable.objects.filter(document=document))
    Target.objects.bulk_create(
        Target(table=table, indicator=indicator, wording=indicator.name, raw_value="100", position=100 + i).derive()
        for table in tables
        for i, indicator in enumerate(indicators)
    )
    return 26 + count


@pytest.mark.parametrize("extra", [1, 120])
@pytest.mark.parametrize("name", ["rollup", "matrix"])
@pytest.mark.parametrize("role", REGION_WIDE)
def test_it_renders_in_constant_queries(
    extra, name, role, request, notice_document, client_for, django_assert_num_queries
):
    expected_rows = _more_indicators(notice_document, extra)
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(REQUEST + DATA)):
        response = client.get(_url(name, notice_document))

    assert response.status_code == 200
    width = 10 if name == "rollup" else 1 + 1 + Prefecture.objects.count()
    assert len([row for row in table_rows(page(response)) if len(row.cells) == width]) == expected_rows


def test_it_downloads_the_csv_in_constant_queries(notice_document, auditor, client_for, django_assert_num_queries):
    _more_indicators(notice_document, 50)
    client = client_for(auditor)

    with django_assert_num_queries(len(REQUEST + DATA)):
        response = client.get(_url("rollup", notice_document, format="csv"))

    assert len(response.content.decode("utf-8-sig").splitlines()) == 1 + 26 + 50
