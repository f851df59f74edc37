"""The target review page gives the reviewer context (issue 14.8): what the table lacks, a confirmation, the next one."""

import pytest
from django.urls import reverse

from targets import review
from targets.rollup import missing_against_region
from tests.allocations.pages import visible_text
from tests.targets.review_helpers import table_of

pytestmark = pytest.mark.usefixtures("drafted_tables")


def test_it_finds_the_indicators_a_prefecture_table_lacks_against_the_region(reference_data):
    assert [i.name for i in missing_against_region(table_of("喀什地区"))] == ["求职创业补贴发放准确率"]
    assert missing_against_region(table_of("乌鲁木齐市")) == []
    assert missing_against_region(table_of("自治区")) == []


def test_it_flags_them_on_the_review_page(hr_reviewer, client_for):
    html = client_for(hr_reviewer).get(reverse("targets:review", args=[table_of("喀什地区").pk])).content.decode()
    assert "与自治区表相比缺少" in visible_text(html) and "求职创业补贴发放准确率" in visible_text(html)
    clean = client_for(hr_reviewer).get(reverse("targets:review", args=[table_of("乌鲁木齐市").pk])).content.decode()
    assert "data-missing-indicators" not in clean


def test_it_asks_before_approving_and_locking(region_admin, hr_reviewer, client_for):
    table = review.submit(table_of("乌鲁木齐市"), region_admin)
    html = client_for(hr_reviewer).get(reverse("targets:review", args=[table.pk])).content.decode()
    form = html.split('action="%s"' % reverse("targets:review_approve", args=[table.pk]))[1].split(">")[0]
    assert "data-confirm=" in form and "锁定" in form


def test_it_links_to_the_next_submitted_table(region_admin, hr_reviewer, client_for):
    first = review.submit(table_of("乌鲁木齐市"), region_admin)
    second = review.submit(table_of("喀什地区"), region_admin)
    client = client_for(hr_reviewer)
    html = client.get(reverse("targets:review", args=[first.pk])).content.decode()
    assert f'href="{reverse("targets:review", args=[second.pk])}"' in html
    assert "下一份：新财社〔2023〕74号 喀什地区" in visible_text(html)
    review.approve(second, hr_reviewer)
    assert 'rel="next"' not in client.get(reverse("targets:review", args=[first.pk])).content.decode()
