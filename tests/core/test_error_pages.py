"""403, 404, 500 and the CSRF refusal: the site's layout, in the user's language, with a way back (issue 14.5)."""

from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from tests.allocations.pages import page, visible_text


def _back_links(response):
    html = response.content.decode()
    return f'href="{reverse("home")}"' in html and "data-back" in html


def test_it_answers_an_unknown_address_with_the_sites_404(officer_urumqi, client_for):
    response = client_for(officer_urumqi).get("/no-such-page/")
    assert response.status_code == 404
    text = visible_text(page(response))
    assert "页面不存在" in text and "就业补助资金管理" in text
    assert "乌鲁木齐市" in text  # the layout's user box: the officer is still at home here
    assert _back_links(response)


def test_it_answers_a_page_the_role_may_not_open_with_the_sites_403(officer_kashgar, client_for):
    response = client_for(officer_kashgar).get(reverse("oversight:changelog"))
    assert response.status_code == 403
    text = visible_text(page(response))
    assert "无权访问" in text and "自治区管理员" in text
    assert _back_links(response)


def test_it_speaks_english_to_an_english_user(officer_urumqi, client_for):
    officer_urumqi.language = "en"
    officer_urumqi.save(update_fields=["language"])
    client = client_for(officer_urumqi)
    not_found = visible_text(page(client.get("/no-such-page/")))
    forbidden = visible_text(page(client.get(reverse("oversight:changelog"))))
    assert "Page not found" in not_found and "页面不存在" not in not_found
    assert "Access denied" in forbidden and "无权访问" not in forbidden


def test_it_renders_the_500_page_without_a_request_or_the_database():
    # No db fixture: pytest-django refuses any query, so rendering must need none.
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        response = server_error(request)
    assert response.status_code == 500
    text = visible_text(page(response))
    assert "系统出错" in text and "联系系统管理员" in text
    assert _back_links(response)


@override_settings(ROOT_URLCONF="tests.core.failing_urls")
def test_it_shows_the_500_page_when_a_view_fails(db, client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "系统出错" in visible_text(page(response))


def test_it_explains_an_expired_form_in_chinese(officer_urumqi, client):
    client.force_login(officer_urumqi)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    text = visible_text(page(response))
    assert "页面已过期" in text and "没有保存" in text
