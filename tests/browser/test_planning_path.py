"""In the browser: the region admin plans the next batch — factor sheet, preview with its chart, a draft document."""

from allocations.models import AllocationDocument, DocumentStatus
from tests.planning.sheets import deductions_file, subtotal_sheet, write

NUMBER = "新财社〔2024〕1号"


def test_it_uploads_the_factor_sheet_previews_the_chart_and_confirms_a_draft(visit, region_admin, with_password, tmp_path):
    with_password(region_admin)
    factors = write(tmp_path, "因素表.xlsx", subtotal_sheet())
    deductions = write(tmp_path, "扣减表.xlsx", deductions_file([["喀什地区", 300, "违规发放补贴", "新审〔2024〕3号"]]))
    page = visit.page
    visit.log_in(region_admin)

    visit.goto("/planning/")
    assert page.locator("h1").inner_text() == "因素法分配测算"
    page.set_input_files("#id_factors", factors)
    page.set_input_files("#id_deductions", deductions)
    page.fill("#id_total", "80000")
    page.fill("#id_number", NUMBER)
    visit.shot("form-filled")
    with page.expect_navigation():
        page.click("form[data-upload-progress] button[type=submit]")

    assert "总额 80,000.00 万元，14 个地（州、市）" in page.locator(".ok-box").inner_text()
    chart = page.locator(".plan-chart svg")
    assert chart.is_visible()
    # Two bars a prefecture: this batch and the notice's 小计.
    assert chart.locator("rect.chart-bar").count() == 1 + 14
    assert chart.locator("rect[fill]").count() == 1 + 14
    assert "上批（新财社〔2023〕74号）" in chart.inner_html()
    table = visit.text("table.plan")
    assert "违规发放补贴（新审〔2024〕3号）" in table
    assert "13,342.00" in table  # 喀什地区's 小计 in the notice, beside its new amount
    assert not AllocationDocument.objects.filter(number=NUMBER).exists()
    visit.shot("preview")

    with page.expect_navigation():
        page.click(f"button:has-text('确认生成草稿 {NUMBER}')")
    assert f"已生成草稿 {NUMBER}：14 个地（州、市），合计 80000 万元" in page.locator(".messages").inner_text()
    visit.shot("draft")

    document = AllocationDocument.objects.get(number=NUMBER)
    assert document.status == DocumentStatus.DRAFT
    assert document.lines_total() == 80000
    assert document.reconciliation() == []
