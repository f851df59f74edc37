"""The navigation bar stays on one line at 1366 px in English too (issue 14.9)."""

import pytest

WIDTH = 1366


@pytest.mark.parametrize("role", ["region_admin", "auditor", "hr_reviewer", "officer_urumqi"])
def test_it_keeps_every_nav_link_on_one_line_at_1366_px_in_english(role, request, visit, with_password):
    user = with_password(request.getfixturevalue(role))
    user.language = "en"
    user.save(update_fields=["language"])
    page = visit.page
    page.set_viewport_size({"width": WIDTH, "height": 768})
    visit.log_in(user)

    visit.goto("/allocations/")
    assert page.locator("html").get_attribute("lang") == "en"
    links = page.locator(".main-nav a")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    visit.shot(f"nav-{role}")

    assert len(boxes) >= 4
    assert len({round(box["y"]) for box in boxes}) == 1, [(links.nth(i).inner_text(), box) for i, box in enumerate(boxes)]
    # No label broken over two lines inside its own link either.
    heights = {round(box["height"]) for box in boxes}
    assert len(heights) == 1 and max(heights) < 30, heights
    # And nothing pushed past the window's edge.
    assert max(box["x"] + box["width"] for box in boxes) <= WIDTH


def test_it_gives_the_document_title_room_in_the_admin(visit, region_admin, notice_document, with_password):
    with_password(region_admin)
    page = visit.page
    page.set_viewport_size({"width": WIDTH, "height": 768})
    visit.log_in(region_admin)

    visit.goto("/admin/allocations/allocationdocument/")
    visit.shot("admin-documents")
    title = page.locator("#result_list td.field-title").first
    total = page.locator("#result_list td.field-total").first

    number = page.locator("#result_list th.field-number a").first
    # static/css/admin.css: at least 20em, so the notice's title reads in two lines rather than one word a line,
    # and the 文号 on one line.
    assert title.bounding_box()["width"] >= 20 * 13
    assert title.bounding_box()["height"] <= 3 * 24
    assert number.bounding_box()["height"] < 30  # one line of text
    assert total.inner_text() == "72,988.00"
