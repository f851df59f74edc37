"""The region admin imports a 附件1 workbook: upload, see the preview, confirm."""

from allocations.importing import read_and_check
from allocations.models import AllocationDocument, DocumentStatus
from allocations.money import grouped

NUMBER = "新财社〔2023〕98号"
HOLD = """() => document.querySelector("form[data-upload-progress]")
  .addEventListener("submit", (event) => event.preventDefault(), { once: true })"""

def test_it_uploads_previews_and_confirms_the_sample_workbook(visit, region_admin, with_password, sample_workbook_path):
    with_password(region_admin)
    with open(sample_workbook_path, "rb") as handle:
        expected = read_and_check(handle)
    assert expected.ok
    page = visit.page

    visit.log_in(region_admin)
    visit.goto("/allocations/import/")
    assert page.locator("h1").inner_text().startswith("导入分配表")
    page.set_input_files("#id_file", str(sample_workbook_path))
    page.fill("#id_number", NUMBER)
    page.fill("#id_issued_on", "2023-06-20")
    visit.shot("form-filled")

    # The first submit is stopped after the page's own handler has run, so
    # the "work under way" state can be checked; then the form is sent.
    page.evaluate(HOLD)
    page.click("form[data-upload-progress] button[type=submit]")
    status = page.locator('[data-role="upload-status"]')
    status.wait_for(state="visible")
    page.wait_for_function("document.querySelector('form[data-upload-progress] button[type=submit]').disabled")
    assert "正在上传并校验，请稍候…" in status.inner_text()
    assert "文件大小：" in status.inner_text() and "KB" in status.inner_text()
    assert status.locator("progress").get_attribute("value") is None  # indeterminate
    visit.shot("uploading")
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[data-upload-progress]').submit()")

    summary = page.locator(".ok-box").inner_text()
    assert f"{len(expected.lines)} 行" in summary
    assert f"{len(expected.subtotals)} 个小计" in summary
    assert f"合计 {grouped(expected.total)} 万元" in summary
    assert (len(expected.lines), grouped(expected.total)) == (100, "72,988.00")  # the sample is the notice's 附件1
    assert page.url.endswith("/allocations/import/")  # the result is on the upload page itself
    assert not AllocationDocument.objects.filter(number=NUMBER).exists()
    visit.shot("preview")

    with page.expect_navigation():
        page.click(f"button:has-text('确认导入 {NUMBER}')")
    assert f"已导入 {NUMBER}：{len(expected.lines)} 行，合计 {grouped(expected.total)} 万元（草稿）" in page.locator(".messages").inner_text()
    assert NUMBER in visit.text()
    visit.shot("imported")

    document = AllocationDocument.objects.get(number=NUMBER)
    assert document.status == DocumentStatus.DRAFT
    assert document.lines.count() == len(expected.lines)
    assert document.lines_total() == expected.total
