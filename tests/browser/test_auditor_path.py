"""The auditor browses the admin and the change log and finds nothing to edit."""

from allocations.models import AllocationDocument

EDITABLE = (
    "form input:not([type=hidden]):not([disabled]):not([readonly]), "
    "form select:not([disabled]), form textarea:not([disabled]):not([readonly])"
)


def test_it_browses_the_admin_and_the_change_log_read_only(visit, auditor, with_password, notice_document):
    with_password(auditor)
    page = visit.page

    visit.log_in(auditor)
    visit.goto("/admin/")
    index = visit.text("#content")
    assert "分配文件" in index
    assert page.locator("a.addlink").count() == 0
    visit.shot("admin-index")

    visit.goto("/admin/allocations/allocationdocument/")
    assert notice_document.number in visit.text("#result_list")
    assert page.locator("a.addlink, .object-tools a[href$='/add/']").count() == 0
    assert page.locator("#changelist-form select[name=action]").count() == 0  # no bulk delete
    visit.shot("admin-documents")

    with page.expect_navigation():
        page.click(f"#result_list a:has-text('{notice_document.number}')")
    assert page.url.endswith(f"/admin/allocations/allocationdocument/{notice_document.pk}/change/")
    assert notice_document.number in visit.text("#content")
    buttons = page.locator("#content-main input[type=submit], #content-main button[type=submit]")
    assert [buttons.nth(i).get_attribute("name") for i in range(buttons.count())] == []
    links = page.locator("a.deletelink:visible, a.addlink:visible, a[href$='/delete/']:visible")
    assert [links.nth(i).evaluate("a => a.outerHTML") for i in range(links.count())] == []
    assert page.locator(f"#content-main {EDITABLE.replace(', form', ', #content-main form')}").count() == 0
    visit.shot("admin-document-readonly")

    visit.goto("/changes/")
    entries = page.locator("table.changelog tr.row-change")
    assert entries.count() > 0
    assert str(AllocationDocument._meta.verbose_name) in page.locator("table.changelog").inner_text()
    visit.shot("changelog")
    # The log itself only filters and exports: no form writes anything.
    assert page.locator("form[method=post]:not(.language-switch):not([action$='/logout/'])").count() == 0
