"""The target-table pages: list, the table as the notice prints it, its export,
and mapping unmapped wordings; each scoped by role, each list in constant queries."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from allocations.models import AllocationDocument, DocumentStatus, Prefecture
from core.models import User
from targets.models import Indicator, IndicatorAlias, TableStatus, Target, TargetTable
from tests.allocations.pages import page, table_rows, visible_text

LIST = reverse("targets:table_list")
UNMAPPED = reverse("targets:unmapped")
SIZES = [1, 40]
# Every page: the session, the user, and the user's groups (core.permissions asks once per request).
REQUEST = ["session", "user", "user's role groups"]
OFFICER = ["officer's prefecture for the header"]
NEW_WORDING = "求职创业补贴发放的准确率(%)"


def _table(document, scope):
    prefecture = None if scope == "自治区" else Prefecture.objects.get(name=scope)
    return TargetTable.objects.get(document=document, prefecture=prefecture)


def _more_documents(notice_document, count, prefecture=None):
    """count further documents, each with one target table (with one target) for prefecture."""
    documents = AllocationDocument.objects.bulk_create(
        AllocationDocument(
            number=f"测试〔2024〕{i}号", title="测试", year=2024, fund=notice_document.fund,
            direct_mark=notice_document.fund.direct_mark, declared_total=0, status=DocumentStatus.ISSUED,
        )
        for i in range(count)
    )
    tables = TargetTable.objects.bulk_create(
        TargetTable(
            document=document, prefecture=prefecture, title="测试表", fund_name="就业补助资金",
            authority_label="主管部门", authority="人社厅", finance_label="财政部门", finance_department="财政局",
            local_label="地方主管部门", local_department="人社局", goal_heading="年度目标", goal_text="目标",
        )
        for document in documents
    )
    Target.objects.bulk_create(
        Target(table=table, wording="城镇新增就业人数(人)", raw_value="1", operator="=", position=1) for table in tables
    )


@pytest.mark.parametrize("role, count", [("region_admin", 15), ("hr_reviewer", 15), ("auditor", 15), ("officer_urumqi", 1)])
def test_it_lists_the_tables_each_role_may_see(role, count, request, notice_document, client_for):
    response = client_for(request.getfixturevalue(role)).get(LIST)

    assert response.status_code == 200
    assert response.context["table"].paginator.count == count
    if role == "officer_urumqi":
        assert [row.cells[1] for row in table_rows(page(response))] == ["乌鲁木齐市"]
        assert "scope" not in response.context["filter"].form.fields


def test_it_shows_the_region_table_first_and_counts_unmapped_rows(region_admin, notice_document, client_for):
    urumqi = _table(notice_document, "乌鲁木齐市")
    Target.objects.create(table=urumqi, wording=NEW_WORDING, raw_value="≥98%", position=30)

    rows = table_rows(page(client_for(region_admin).get(LIST)))

    assert [row.cells[1] for row in rows][:3] == ["自治区", "乌鲁木齐市", "伊犁州"]
    assert rows[1].cells[4:6] == ["27", "1"]
    assert rows[0].cells[4:6] == ["26", "—"]


def test_it_filters_by_scope_status_and_document(region_admin, notice_document, client_for):
    client = client_for(region_admin)
    TargetTable.objects.filter(prefecture__name="喀什地区").update(status=TableStatus.SUBMITTED)

    def scopes(query):
        return [row.cells[1] for row in table_rows(page(client.get(LIST, query))) if len(row.cells) > 1]

    assert scopes({"scope": "region"}) == ["自治区"]
    assert scopes({"scope": Prefecture.objects.get(name="克州").pk}) == ["克州"]
    assert scopes({"status": "submitted"}) == ["喀什地区"]
    assert len(scopes({"document": notice_document.pk})) == 15
    assert scopes({"scope": "不存在"}) == []


def test_it_keeps_the_pages_from_anyone_without_a_role(notice_document, client):
    table = _table(notice_document, "乌鲁木齐市")
    nobody = User.objects.create_user(username="nobody", password="x-test-only-9")

    assert client.get(LIST).status_code == 302  # to the login page
    client.force_login(nobody)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("targets:table_detail", args=[table.pk])).status_code == 403


@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize(
    "role, queries",
    [
        (
            "region_admin",
            REQUEST + ["the count, capped at the export limit + 1 (core.listing)", "documents for the filter", "prefectures for the filter", "the page of tables with their counts"],
        ),
        (
            "officer_urumqi",
            REQUEST + ["the count, capped at the export limit + 1 (core.listing)", *OFFICER, "documents for the filter", "the page of tables with their counts"],
        ),
    ],
)
def test_it_lists_tables_in_constant_queries(
    rows, role, queries, request, notice_document, client_for, django_assert_num_queries
):
    user = request.getfixturevalue(role)
    _more_documents(notice_document, rows, user.prefecture)
    client = client_for(user)

    with django_assert_num_queries(len(queries)):
        response = client.get(LIST)

    assert response.status_code == 200
    assert response.context["table"].paginator.count == rows + (15 if role == "region_admin" else 1)


def test_it_shows_a_table_as_the_notice_prints_it(region_admin, notice_document, client_for):
    table = _table(notice_document, "乌鲁木齐市")

    html = page(client_for(region_admin).get(reverse("targets:table_detail", args=[table.pk])))

    text = visible_text(html)
    for shown in ("乌鲁木齐市就业补助资金转移支付绩效目标表", "(2023年度)", "资金名称", "自治区主管部门", "各地财政部门", "乌鲁木齐市财政局", "年度及实施期目标"):
        assert shown in text
    rows = [row for row in table_rows(html) if "row-target" in row.classes]
    assert len(rows) == 26
    assert rows[0].cells == ["产出指标", "数量指标", "享受职业技能培训补贴人员数量(万人次)", "12.3", "≥ 123,000 人次"]
    assert rows[1].cells == ["享受社会保险补贴人员数量(人)", "70000", "≥ 70,000 人"]
    assert rows[5].cells[-1] == "文字目标（不可量化）"
    assert '<td rowspan="15">产出指标</td>' in html and '<td rowspan="7">数量指标</td>' in html
    assert reverse("targets:table_export", args=[table.pk]) in html
    assert "未匹配指标目录" not in text


def test_it_marks_an_unmapped_wording(region_admin, notice_document, client_for):
    table = _table(notice_document, "克州")
    Target.objects.create(table=table, wording=NEW_WORDING, raw_value="≥98%", position=30)

    html = page(client_for(region_admin).get(reverse("targets:table_detail", args=[table.pk])))

    last = [row for row in table_rows(html) if "row-target" in row.classes][-1]
    # Its own group at the end, with empty level cells.
    assert last.cells == ["", "", f"{NEW_WORDING} 未匹配指标目录", "≥98%", "≥ 98 %"]
    assert "本表有 1 项三级指标未对应指标目录" in visible_text(html)
    assert UNMAPPED in html


@pytest.mark.parametrize(
    "role, scope, status",
    [
        ("officer_urumqi", "乌鲁木齐市", 200),
        ("officer_urumqi", "自治区", 404),
        ("officer_urumqi", "喀什地区", 404),
        ("officer_kashgar", "喀什地区", 200),
        ("hr_reviewer", "自治区", 200),
        ("auditor", "喀什地区", 200),
    ],
)
def test_it_scopes_a_table_and_its_export_to_the_officers_prefecture(role, scope, status, request, notice_document, client_for):
    table = _table(notice_document, scope)
    client = client_for(request.getfixturevalue(role))

    assert client.get(reverse("targets:table_detail", args=[table.pk])).status_code == status
    assert client.get(reverse("targets:table_export", args=[table.pk])).status_code == status


def test_it_exports_the_table_as_the_official_workbook(officer_urumqi, notice_document, client_for):
    table = _table(notice_document, "乌鲁木齐市")

    response = client_for(officer_urumqi).get(reverse("targets:table_export", args=[table.pk]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet["A1"].value == "乌鲁木齐市就业补助资金转移支付绩效目标表"
    assert sheet.max_row == 34


@pytest.mark.parametrize("rows", SIZES)
def test_it_shows_a_table_in_constant_queries(rows, region_admin, notice_document, client_for, django_assert_num_queries):
    table = _table(notice_document, "克州")
    Target.objects.bulk_create(
        Target(table=table, wording=f"测试指标{i}", raw_value="1", operator="=", position=100 + i) for i in range(rows)
    )
    queries = REQUEST + ["the table with its document and prefecture", "its targets with their indicators"]
    client = client_for(region_admin)

    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("targets:table_detail", args=[table.pk]))

    assert len(response.context["rows"]) == 25 + rows


@pytest.mark.parametrize("role", ["officer_urumqi", "hr_reviewer", "auditor"])
def test_it_keeps_the_mapping_page_for_the_region_admin(role, request, notice_document, client_for):
    client = client_for(request.getfixturevalue(role))

    assert client.get(UNMAPPED).status_code == 403
    assert client.post(UNMAPPED, {"wording": NEW_WORDING, "indicator": 1}).status_code == 403


def _unmapped_in(*scopes, wording=NEW_WORDING, document=None):
    return [
        Target.objects.create(table=_table(document, scope), wording=wording, raw_value="≥98%", position=40)
        for scope in scopes
    ]


def test_it_maps_a_wording_to_the_catalogue_for_every_table(region_admin, notice_document, client_for):
    kashgar, kezhou = _unmapped_in("喀什地区", "克州", document=notice_document)
    Target.objects.filter(pk=kezhou.pk).update(wording="求职创业补贴发放的准确率")  # the same wording without its unit
    indicator = Indicator.objects.get(code="JOB_SEEKING_SUBSIDY_ACCURACY")
    client = client_for(region_admin)
    listed = page(client.get(UNMAPPED))

    response = client.post(UNMAPPED, {"wording": NEW_WORDING, "indicator": indicator.pk}, follow=True)

    assert "求职创业补贴发放的准确率" in listed and "喀什地区" in listed and "克州" in listed
    assert "已将“求职创业补贴发放的准确率”映射到指标“求职创业补贴发放准确率”，关联 2 项绩效目标。" in page(response)
    assert IndicatorAlias.objects.get(wording="求职创业补贴发放的准确率").indicator == indicator
    for target in (kashgar, kezhou):
        target.refresh_from_db()
        assert (target.indicator, target.operator, target.base_unit) == (indicator, ">=", "%")
    assert "所有绩效目标的三级指标都已对应指标目录" in page(response)


def test_it_refuses_to_map_to_an_indicator_a_table_already_has(region_admin, notice_document, client_for):
    _unmapped_in("喀什地区", "乌鲁木齐市", document=notice_document)
    indicator = Indicator.objects.get(code="JOB_SEEKING_SUBSIDY_ACCURACY")
    before = list(Target.objects.order_by("pk").values_list("pk", "indicator_id"))

    response = client_for(region_admin).post(UNMAPPED, {"wording": NEW_WORDING, "indicator": indicator.pk})

    assert response.status_code == 200
    assert f"{notice_document.number} 乌鲁木齐市 已有指标“求职创业补贴发放准确率”，同一张表中一个指标只能出现一次，未做任何映射。" in page(response)
    assert list(Target.objects.order_by("pk").values_list("pk", "indicator_id")) == before
    assert not IndicatorAlias.objects.filter(wording="求职创业补贴发放的准确率").exists()


def test_it_refuses_a_mapping_without_a_catalogue_indicator(region_admin, notice_document, client_for):
    _unmapped_in("喀什地区", document=notice_document)
    client = client_for(region_admin)

    missing = page(client.post(UNMAPPED, {"wording": NEW_WORDING, "indicator": ""}))
    unknown = page(client.post(UNMAPPED, {"wording": NEW_WORDING, "indicator": "999999"}))
    gone = page(client.post(UNMAPPED, {"wording": "没有这个写法", "indicator": Indicator.objects.first().pk}))

    assert f"“{NEW_WORDING}”：这个字段是必填项。" in missing
    assert f"“{NEW_WORDING}”：请选择指标目录中的指标。" in unknown
    assert "没有未匹配的“没有这个写法”" in gone
    assert Target.objects.filter(indicator__isnull=True).count() == 1


@pytest.mark.parametrize("rows", SIZES)
def test_it_lists_unmapped_wordings_in_constant_queries(rows, region_admin, notice_document, client_for, django_assert_num_queries):
    table = _table(notice_document, "克州")
    Target.objects.bulk_create(
        Target(table=table, wording=f"测试指标{i}", raw_value="1", operator="=", position=100 + i) for i in range(rows)
    )
    queries = REQUEST + ["the unmapped targets with their tables", "the catalogue for the choices"]
    client = client_for(region_admin)

    with django_assert_num_queries(len(queries)):
        response = client.get(UNMAPPED)

    assert len(response.context["groups"]) == rows
    assert len(re.findall(r'<form method="post"', page(response))) == rows + 2  # and the logout and language forms


def test_it_translates_the_notices_header_labels_for_an_english_reader(auditor, client_for):
    # The labels are the notice's, stored as read; an English reader gets them in English (issue 14.9).
    auditor.language = "en"
    auditor.save(update_fields=["language"])
    region = TargetTable.objects.get(document__number="新财社〔2023〕74号", prefecture__isnull=True)
    html = client_for(auditor).get(reverse("targets:table_detail", args=[region.pk])).content.decode()
    assert "Provincial competent department" in html and "Prefecture finance department" in html
    assert "省级主管部门" not in html and "地(州、市)级财政部门" not in html
