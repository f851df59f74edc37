"""The 双监控 page at 6月 as the 绩效运行监控表, and the unit a bare figure is read in beside every input."""

import pytest

from targets.models import Actual, Target
from tests.allocations.pages import page, visible_text
from tests.targets.review_helpers import approved, table_of, target_of
from tests.targets.test_monitoring_pages import _row, _url

JOBS = "城镇新增就业人数"
TRAINING = "享受职业技能培训补贴人员数量"
MID_YEAR_INPUTS = ("forecast", "possibility", "category")


@pytest.fixture
def urumqi(reference_data, region_admin, hr_reviewer):
    return approved(table_of("乌鲁木齐市"), region_admin, hr_reviewer)


def _mid_year(table, **rows):
    """rows: {catalogue name: {input prefix: value}}; every other row left blank."""
    data = {"checkpoint": "06"}
    for target in Target.objects.filter(table=table).select_related("indicator"):
        given = rows.get(target.indicator.name if target.indicator else "", {})
        for prefix in ("value", *MID_YEAR_INPUTS, "reason", "measure"):
            data[f"{prefix}_{target.pk}"] = given.get(prefix, "")
    return data


def test_it_asks_for_the_forecast_possibility_and_category_at_mid_year_only(urumqi, officer_urumqi, client_for):
    client = client_for(officer_urumqi)
    jobs = target_of(urumqi, JOBS)

    mid_year = page(client.get(_url(urumqi, "06")))
    year_end = page(client.get(_url(urumqi, "12")))

    for prefix in MID_YEAR_INPUTS:
        assert f'name="{prefix}_{jobs.pk}"' in mid_year
        assert f'name="{prefix}_{jobs.pk}"' not in year_end
    assert "1–6月执行情况" in visible_text(mid_year) and "完成目标可能性" in visible_text(mid_year)
    assert "1–6月执行情况" not in visible_text(year_end)
    for label in ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他", "确定能", "有可能", "完全不可能"):
        assert f">{label}</option>" in mid_year


def test_it_shows_the_unit_of_a_bare_figure_beside_every_figure_input(urumqi, officer_urumqi, client_for):
    html = page(client_for(officer_urumqi).get(_url(urumqi, "06")))

    training, jobs = _row(html, "享受职业技能培训补贴人员数量(万人次)"), _row(html, "城镇新增就业人数(人)")
    # Columns: 序号, 指标, 指标值, 6月, 12月, then the inputs: 执行情况, 全年预计 each with its unit.
    assert (training.cells[5], training.cells[6]) == ("万人次", "万人次")
    assert (jobs.cells[5], jobs.cells[6]) == ("人", "人")
    assert html.count("data-unit") == 2 * Target.objects.filter(table=urumqi).exclude(unit="").count()


def test_it_saves_a_forecast_that_meets_the_target_without_a_reason(urumqi, officer_urumqi, client_for):
    data = _mid_year(urumqi, **{JOBS: {"value": "52000", "forecast": "10.5万人", "possibility": "certain"}})

    response = client_for(officer_urumqi).post(_url(urumqi), data, follow=True)

    assert response.redirect_chain == [(_url(urumqi, "06"), 302)]
    cell = _row(page(response), "城镇新增就业人数(人)").cells[3]
    assert cell.startswith("52000") and "全年预计：10.5万人（确定能）" in cell and "✓ 已完成" in cell
    actual = Actual.objects.get()
    assert (actual.forecast, actual.possibility, actual.verdict) == ("10.5万人", "certain", "met")


def test_it_names_the_indicator_and_field_of_a_short_forecast_without_its_reason(urumqi, officer_urumqi, client_for):
    data = _mid_year(urumqi, **{JOBS: {"value": "52000", "forecast": "98000", "possibility": "likely", "measure": "加力"}})

    response = client_for(officer_urumqi).post(_url(urumqi), data)

    text = visible_text(page(response))
    assert "城镇新增就业人数：全年预计完成值未达到目标，必须选择偏差原因类别。" in text
    assert "城镇新增就业人数：全年预计完成值未达到目标，必须填写偏差原因。" in text
    assert "必须填写改进措施" not in text
    assert "没有保存任何数据" in text
    assert not Actual.objects.exists()
    jobs = target_of(urumqi, JOBS)
    assert 'value="98000"' in page(response)
    assert '<option value="likely" selected>' in page(response)
    assert response.context["form"][f"category_{jobs.pk}"].errors


def test_it_saves_a_short_forecast_with_its_category_and_shows_them(urumqi, officer_urumqi, client_for):
    row = {"value": "52000", "forecast": "98000", "possibility": "likely", "category": "staff", "reason": "缺少专职人员", "measure": "调配人员"}

    response = client_for(officer_urumqi).post(_url(urumqi), _mid_year(urumqi, **{JOBS: row}), follow=True)

    cell = _row(page(response), "城镇新增就业人数(人)").cells[3]
    assert "✗ 未完成" in cell and "[人员保障] 缺少专职人员" in cell and "调配人员" in cell
    assert Actual.objects.get().deviation_category == "staff"


def test_it_refuses_a_bare_figure_a_hundredfold_off_with_both_readings_next_to_its_input(
    urumqi, officer_urumqi, client_for
):
    # 乌鲁木齐市: 享受职业技能培训补贴人员数量(万人次) 12.3; "50000" was judged 已完成 as 50000万人次.
    data = _mid_year(urumqi, **{TRAINING: {"value": "50000"}})

    response = client_for(officer_urumqi).post(_url(urumqi), data)

    message = "享受职业技能培训补贴人员数量：“50000”按“万人次”理解为50000万人次，是否应为5万人次？"
    assert message in visible_text(page(response))
    training = target_of(urumqi, TRAINING)
    assert any(message in error for error in response.context["form"][f"value_{training.pk}"].errors)
    assert not Actual.objects.exists()


def test_it_takes_the_same_figure_with_its_unit_as_written(urumqi, officer_urumqi, client_for):
    data = _mid_year(urumqi, **{TRAINING: {"value": "50000人次", "forecast": "12.5", "possibility": "certain"}})

    client_for(officer_urumqi).post(_url(urumqi), data)

    actual = Actual.objects.get()
    assert (actual.raw_value, actual.base_number, actual.verdict) == ("50000人次", 50000, "met")


def test_it_shows_the_computed_share_passed_on_in_time(officer_urumqi, client_for):
    # 乌鲁木齐市 has passed nothing on under the notice yet: 0% of its 小计 in time.
    from django.urls import reverse

    from tests.targets.review_helpers import table_of, target_of

    table = table_of("乌鲁木齐市")
    html = client_for(officer_urumqi).get(reverse("targets:monitoring", args=[table.pk])).content.decode()
    timely = target_of(table, "资金在规定时间内下达率")
    row = html.split(f'data-target="{timely.pk}"')[1].split("</tr>")[0]
    assert "按转下达记录计算：0%" in row
