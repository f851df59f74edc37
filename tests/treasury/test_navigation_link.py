"""The navigation's 国库支付 link: the region admin's import, the auditor's anomalies, nobody else's."""

import re

import pytest
from django.urls import reverse


def _nav(client):
    page = client.get(reverse("allocations:document_list")).content.decode()
    return re.search(r'<nav class="main-nav".*?</nav>', page, re.S).group(0)


@pytest.mark.parametrize("role, target", [("region_admin", "treasury:upload"), ("auditor", "treasury:exceptions")])
def test_it_leads_each_treasury_role_to_its_page(role, target, request, client_for):
    nav = _nav(client_for(request.getfixturevalue(role)))

    assert f'href="{reverse(target)}">国库支付<' in nav


@pytest.mark.parametrize("role", ["officer_urumqi", "hr_reviewer"])
def test_it_shows_no_treasury_link_to_others(role, request, client_for):
    assert "/treasury/" not in _nav(client_for(request.getfixturevalue(role)))


def test_it_links_the_anomalies_and_the_import_to_each_other(client_for, region_admin):
    client = client_for(region_admin)

    assert reverse("treasury:upload") in client.get(reverse("treasury:exceptions")).content.decode()
    assert reverse("treasury:exceptions") in client.get(reverse("treasury:upload")).content.decode()
