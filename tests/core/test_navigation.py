"""What the navigation bar offers each role (issue 14.10), and the site's icon."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from core.permissions import sees_target_review_menu
from tests.allocations.pages import page

REVIEW_LINK = f'href="{reverse("targets:review_queue")}"'


@pytest.mark.parametrize("role, shown", [
    ("officer_urumqi", False), ("officer_kashgar", False), ("hr_reviewer", True), ("auditor", True), ("region_admin", True),
])
def test_it_offers_the_target_review_menu_only_to_the_regional_bureaus(role, shown, request, client_for):
    user = request.getfixturevalue(role)

    html = page(client_for(user).get(reverse("allocations:document_list")))
    nav = html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]

    assert sees_target_review_menu(user) is shown
    assert (REVIEW_LINK in nav) is shown


def test_it_links_the_favicon_from_every_page(officer_urumqi, client_for):
    html = page(client_for(officer_urumqi).get(reverse("home")))

    assert '<link rel="icon" href="/static/favicon.ico"' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_it_answers_favicon_ico_with_the_icon_not_a_404(client, reference_data):
    response = client.get("/favicon.ico")

    # The static file itself is served by whitenoise (collectstatic), which the test client does not run.
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO header
