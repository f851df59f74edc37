"""The region board's spend-progress chart says where its figures come from, and names months as months."""

import re

from tests.oversight.dashboard_helpers import demo_activity  # noqa: F401 (a fixture)


def _spend_section(html):
    return re.search(r'<section class="dash-card dash-chart" id="chart-spend-progress".*?</section>', html, re.S).group(0)


def test_it_names_the_prefectures_reports_as_the_source(auditor, client_for, demo_activity):
    section = _spend_section(client_for(auditor).get("/").content.decode())

    assert "数据来源：各地（州、市）报送的资金使用反馈表" in section


def test_it_labels_the_months_jan_to_dec_in_english(region_admin, client_for, demo_activity):
    region_admin.language = "en"
    region_admin.save(update_fields=["language"])
    section = _spend_section(client_for(region_admin).get("/").content.decode())

    assert "Source: the fund usage feedback reports submitted by the prefectures" in section
    assert "Month 1" not in section and "Month 12" not in section
    assert ">Jan<" in section and ">Dec<" in section
