from decimal import Decimal

from django.urls import reverse

from allocations.models import AllocationDocument, DocumentStatus, PrefectureSubtotal
from tests.allocations.pages import NOTICE_SUBTOTALS, page, sheet, table_rows, visible_text


def _detail(client, document):
    response = client.get(reverse("allocations:document_detail", args=[document.pk]))
    assert response.status_code == 200
    return page(response)


def _as_draft(document):
    AllocationDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.DRAFT)


def _issue(client, document):
    return client.post(reverse("allocations:document_issue", args=[document.pk]), follow=True)


def test_it_shows_all_100_lines_the_14_subtotals_and_the_total(region_admin, notice_document, client_for):
    html = _detail(client_for(region_admin), notice_document)

    lines = sheet(html, "line")
    assert len(lines) == 100
    assert [row.cells[0] for row in lines] == [str(n) for n in range(1, 101)]
    assert [(row.prefecture, row.cells[3]) for row in sheet(html, "subtotal")] == NOTICE_SUBTOTALS
    [total] = sheet(html, "total")
    assert total.cells[1:4] == ["合计", "全区", "72,988.00"]
    assert all(row.cells[5] == "01 中央直达资金" for row in lines)


def test_it_shows_the_document_header_from_the_notice(region_admin, notice_document, client_for):
    text = visible_text(_detail(client_for(region_admin), notice_document))

    for expected in (
        "新财社〔2023〕74号",
        "01 中央直达资金",
        "1100248 社会保障和就业共同财政事权转移支付收入",
        "20807 就业补助",
        "51301 上下级政府间转移性支出",
        "财社〔2023〕42号",
        "已核对一致",
    ):
        assert expected in text


def test_it_puts_the_repeated_county_names_under_their_own_prefecture(region_admin, notice_document, client_for):
    html = _detail(client_for(region_admin), notice_document)

    # Walk the table as a reader does: the prefecture name stands on the first row of its group.
    shown_under = {}
    group = None
    for row in sheet(html, "line"):
        group = row.cells[1] or group
        shown_under.setdefault(row.cells[2], []).append((group, row.prefecture, row.cells[3]))

    assert shown_under["高新区"] == [("昌吉州", "昌吉州", "50.00")]
    assert shown_under["经开区"] == [("喀什地区", "喀什地区", "400.00")]
    assert shown_under["高新区（新市区）"] == [("乌鲁木齐市", "乌鲁木齐市", "400.00")]
    assert shown_under["经开区（头屯河区）"] == [("乌鲁木齐市", "乌鲁木齐市", "1,200.00")]


def test_it_flags_a_subtotal_that_does_not_add_up(region_admin, notice_document, client_for):
    PrefectureSubtotal.objects.filter(document=notice_document, prefecture__name="伊犁州").update(
        declared_amount=Decimal("8864")
    )

    html = _detail(client_for(region_admin), notice_document)

    assert "伊犁州 小计 8864 ≠ 各县合计 8846" in visible_text(html)
    assert "已核对一致" not in visible_text(html)
    [ili] = [row for row in sheet(html, "subtotal") if row.prefecture == "伊犁州"]
    assert "mismatch" in ili.classes
    assert ili.cells[3].startswith("8,864") and "8,846" in ili.cells[3]


def test_it_issues_a_reconciled_draft_for_the_region_admin(region_admin, notice_document, client_for):
    _as_draft(notice_document)

    response = _issue(client_for(region_admin), notice_document)

    assert response.status_code == 200
    assert "新财社〔2023〕74号 已标记为已下达" in visible_text(page(response))
    notice_document.refresh_from_db()
    assert notice_document.status == DocumentStatus.ISSUED


def test_it_refuses_to_issue_a_draft_that_does_not_reconcile(region_admin, notice_document, client_for):
    _as_draft(notice_document)
    PrefectureSubtotal.objects.filter(document=notice_document, prefecture__name="伊犁州").update(
        declared_amount=Decimal("8864")
    )

    response = _issue(client_for(region_admin), notice_document)

    assert response.status_code == 200
    text = visible_text(page(response))
    assert "新财社〔2023〕74号 不能下达：伊犁州 小计 8864 ≠ 各县合计 8846" in text
    notice_document.refresh_from_db()
    assert notice_document.status == DocumentStatus.DRAFT


def test_it_offers_issue_only_to_the_region_admin_and_only_on_drafts(
    region_admin, hr_reviewer, notice_document, client_for
):
    button = "标记为已下达"
    assert button not in _detail(client_for(region_admin), notice_document)  # already issued
    _as_draft(notice_document)
    assert button in _detail(client_for(region_admin), notice_document)
    assert button not in _detail(client_for(hr_reviewer), notice_document)


def test_it_accepts_issue_only_as_a_post_from_the_region_admin(
    hr_reviewer, auditor, officer_urumqi, notice_document, client_for
):
    _as_draft(notice_document)
    url = reverse("allocations:document_issue", args=[notice_document.pk])

    for user in (hr_reviewer, auditor):
        assert client_for(user).post(url).status_code == 403
    # An officer does not see a region draft at all (from its issue onward only).
    assert client_for(officer_urumqi).post(url).status_code == 404
    assert client_for(hr_reviewer).get(url).status_code == 405
    notice_document.refresh_from_db()
    assert notice_document.status == DocumentStatus.DRAFT


def test_it_lists_documents_with_the_total_and_filters_them(region_admin, notice_document, client_for):
    client = client_for(region_admin)
    url = reverse("allocations:document_list")

    [row] = table_rows(page(client.get(url)))
    assert row.cells[0] == "新财社〔2023〕74号"
    assert row.cells[5] == "72,988.00"
    assert row.cells[6:9] == ["01 中央直达资金", "已下达", "自治区"]

    assert len(table_rows(page(client.get(url, {"kind": "reallocation"})))) == 1  # the empty-table row
    assert "没有符合条件的分配文件" in page(client.get(url, {"kind": "reallocation"}))
    assert "新财社〔2023〕74号" in page(client.get(url, {"year": "2023", "status": "issued", "kind": "regional"}))
    assert "没有符合条件的分配文件" in page(client.get(url, {"status": "draft"}))


def test_it_exports_the_workbook_for_region_wide_roles(auditor, notice_document, client_for):
    response = client_for(auditor).get(reverse("allocations:document_export", args=[notice_document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


def test_it_sends_anonymous_visitors_to_the_login_page(client, notice_document):
    for url in (
        reverse("allocations:document_list"),
        reverse("allocations:document_detail", args=[notice_document.pk]),
        reverse("allocations:prefecture_list"),
        reverse("allocations:import_upload"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_refuses_a_logged_in_user_without_a_role(django_user_model, notice_document, client_for):
    nobody = django_user_model.objects.create_user(username="nobody", password="x-test-only-9")

    response = client_for(nobody).get(reverse("allocations:document_list"))

    assert response.status_code == 403


def test_it_renders_the_login_page_in_chinese(client, db):
    text = visible_text(page(client.get(reverse("login"))))

    assert "登录" in text and "用户名" in text and "密码" in text
