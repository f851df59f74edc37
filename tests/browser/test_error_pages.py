"""403, 404 and 500 as a user meets them (issue 14.5): the site's layout, Chinese, and a way back that works."""

from django.test import override_settings


def _back_home(visit):
    page = visit.page
    with page.expect_navigation():
        page.click("main a:has-text('返回首页')")
    assert page.url == visit.url("/")


def test_it_shows_an_officer_the_404_and_403_pages_with_a_way_home(visit, officer_urumqi, with_password):
    with_password(officer_urumqi)
    visit.log_in(officer_urumqi)
    page = visit.page

    visit.expected_errors |= {visit.url("/no-such-page/"), visit.url("/changes/")}
    response = page.goto(visit.url("/no-such-page/"))
    assert response.status == 404
    assert page.locator("main h1").inner_text() == "页面不存在"
    assert "乌鲁木齐市" in visit.text("header")  # still in the site, still logged in
    visit.shot("404")
    _back_home(visit)

    response = page.goto(visit.url("/changes/"))
    assert response.status == 403
    assert page.locator("main h1").inner_text() == "无权访问"
    visit.shot("403")
    _back_home(visit)

    # 返回上一页 goes back where the user came from (site.js; the CSP allows no inline script).
    visit.goto("/allocations/")
    page.goto(visit.url("/no-such-page/"))
    with page.expect_navigation():
        page.click("main a:has-text('返回上一页')")
    assert page.url == visit.url("/allocations/")


@override_settings(ROOT_URLCONF="tests.core.failing_urls")
def test_it_shows_the_500_page_with_a_way_home(visit, reference_data):
    page = visit.page
    visit.expected_errors.add(visit.url("/boom/"))
    response = page.goto(visit.url("/boom/"))
    assert response.status == 500
    assert page.locator("main h1").inner_text() == "系统出错"
    visit.shot("500")
    with page.expect_navigation():
        page.click("main a:has-text('返回首页')")
    assert "/accounts/login/" in page.url or page.url == visit.url("/")
