"""The HR reviewer decides on submitted target tables: approves one, returns another with a reason."""

from targets import review
from targets.models import TableStatus, TargetTable
from tests.targets.review_helpers import table_of

REASON = "满意度指标值缺少测算依据，请补充后重新提交。"


def test_it_approves_one_table_and_returns_another_with_a_reason(visit, drafted_tables, region_admin, hr_reviewer, with_password):
    urumqi, kashgar = table_of("乌鲁木齐市"), table_of("喀什地区")
    review.submit(urumqi, region_admin)
    review.submit(kashgar, region_admin)
    with_password(hr_reviewer)
    page = visit.page

    visit.log_in(hr_reviewer)
    visit.goto("/targets/review/")
    queue = visit.text()
    assert "乌鲁木齐市" in queue and "喀什地区" in queue
    visit.shot("queue")

    visit.goto(f"/targets/tables/{urumqi.pk}/review/")
    assert page.locator("dd[data-status]").inner_text().startswith("已提交")
    visit.shot("urumqi-submitted")
    # Approving locks the table, so the page asks first; declining sends nothing.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("button:has-text('审核通过并锁定')")
    page.wait_for_timeout(200)
    assert "锁定" in questions[0]
    assert page.locator("dd[data-status]").inner_text().startswith("已提交")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("button:has-text('审核通过并锁定')")
    assert "乌鲁木齐市绩效目标表已审核通过并锁定" in page.locator(".messages").inner_text()
    assert page.locator("dd[data-status]").inner_text().startswith("已审核通过")
    assert page.locator("button:has-text('审核通过并锁定')").count() == 0
    visit.shot("urumqi-approved")

    visit.goto(f"/targets/tables/{kashgar.pk}/review/")
    page.fill("#return-reason", REASON)
    visit.shot("kashgar-reason-typed")
    with page.expect_navigation():
        page.click("button:has-text('退回')")
    assert "喀什地区绩效目标表已退回" in page.locator(".messages").inner_text()
    assert page.locator("dd[data-status]").inner_text().startswith("已退回")
    assert page.locator("dd.flag:not([data-missing-indicators])").inner_text() == REASON
    assert REASON in page.locator("table.history").inner_text()
    visit.shot("kashgar-returned")

    assert TargetTable.objects.get(pk=urumqi.pk).status == TableStatus.APPROVED
    returned = TargetTable.objects.get(pk=kashgar.pk)
    assert (returned.status, returned.return_reason, returned.reviewed_by) == (TableStatus.RETURNED, REASON, hr_reviewer)
