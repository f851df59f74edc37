"""A bare figure is read in its target's unit; one a hundredfold off the target is refused with both readings."""

import pytest
from django.urls import reverse

from targets.magnitude import implausible
from targets.models import REGION_SCOPE, Actual, Target
from tests.targets.review_helpers import table_of, target_of

NEW_JOBS = "城镇新增就业人数"  # 自治区: 超过38万人; 乌鲁木齐市: 103000 under (人)
TRAINING = "享受职业技能培训补贴人员数量"  # 乌鲁木齐市: 12.3 under (万人次)
GRADUATES = "符合政策规定的毕业年度高校毕业生享受求职创业补贴比例"  # ≥95%
INCIDENTS = "因就业问题发生重大群体性事件数量"  # 0起


def _region(name):
    return target_of(table_of(REGION_SCOPE), name)


def _urumqi(name):
    return target_of(table_of("乌鲁木齐市"), name)


def test_it_refuses_a_head_count_typed_against_a_target_in_wan(reference_data):
    assert implausible(_region(NEW_JOBS), "300000") == (
        "“300000”按“万人”理解为300000万人，是否应为30万人？请在数字后写明单位（如“300000人”或“30万人”）。"
    )


def test_it_refuses_a_bare_figure_against_a_unit_from_the_wording(reference_data):
    assert implausible(_urumqi(TRAINING), "50000") == (
        "“50000”按“万人次”理解为50000万人次，是否应为5万人次？请在数字后写明单位（如“50000人次”或“5万人次”）。"
    )


def test_it_reads_thousands_separators_before_comparing(reference_data):
    assert "是否应为30万人" in implausible(_region(NEW_JOBS), "300,000")


@pytest.mark.parametrize("raw", ["30", "38", "0.5", "3800", "1", "38.5万"])
def test_it_lets_a_bare_figure_within_a_hundredfold_through(reference_data, raw):
    # 38.5万 names no unit the parser knows as a whole and is text: judged as text, not refused here.
    assert implausible(_region(NEW_JOBS), raw) is None


@pytest.mark.parametrize("raw", ["300000人", "30万人", "3000万人", "96%"])
def test_it_takes_a_figure_that_names_its_unit_as_written(reference_data, raw):
    assert implausible(_region(NEW_JOBS), raw) is None


def test_it_asks_whether_a_figure_in_wan_was_meant_against_a_target_in_persons(reference_data):
    # 乌鲁木齐市: 城镇新增就业人数(人) 103000
    assert implausible(_urumqi(NEW_JOBS), "10.4") == (
        "“10.4”按“人”理解为10.4人，是否应为10.4万人？请在数字后写明单位（如“104000人”或“10.4万人”）。"
    )


def test_it_refuses_without_a_guess_where_no_other_reading_fits(reference_data):
    # A head count a thousandfold over a target in persons has no plausible other unit.
    assert implausible(_urumqi(NEW_JOBS), "103000000") == (
        "“103000000”按“人”理解为103000000人，与目标“103000”相差百倍以上。请核对，并在数字后写明单位（如“103000000人”）。"
    )


def test_it_asks_whether_a_rate_typed_as_a_fraction_meant_a_percentage(reference_data):
    assert implausible(_region(GRADUATES), "0.96") == (
        "“0.96”按“%”理解为0.96%，是否应为96%？请在数字后写明单位（如“0.96%”或“96%”）。"
    )
    assert "是否应为100%" in implausible(_region(GRADUATES), "1")


@pytest.mark.parametrize("raw", ["96", "96%", "0.96%", "1.5"])
def test_it_lets_a_rate_above_one_or_with_its_sign_through(reference_data, raw):
    assert implausible(_region(GRADUATES), raw) is None


def test_it_asks_about_a_fraction_against_a_ceiling_rate_too(reference_data):
    # 城镇调查失业率 5.5%以内
    assert "是否应为4%" in implausible(_region("城镇调查失业率"), "0.04")


@pytest.mark.parametrize("raw", ["0", "3", "300000"])
def test_it_leaves_a_zero_target_alone(reference_data, raw):
    assert implausible(_urumqi(INCIDENTS), raw) is None


def test_it_takes_zero_as_zero_in_any_unit(reference_data):
    assert implausible(_region(NEW_JOBS), "0") is None


def test_it_leaves_a_text_target_and_a_text_figure_alone(reference_data):
    assert implausible(_urumqi("年末高校毕业生总体就业率"), "0.96") is None
    assert implausible(_region(NEW_JOBS), "基本完成") is None


def test_it_names_the_field_it_was_given(reference_data):
    assert implausible(_region(NEW_JOBS), "300000", "全年预计完成值").startswith("全年预计完成值“300000”按“万人”")


def test_it_refuses_a_far_figure_against_a_target_without_a_unit(reference_data):
    target = Target(table=table_of("乌鲁木齐市"), wording="测试指标", raw_value="5").derive()

    assert implausible(target, "5000") == "“5000”与目标“5”相差百倍以上，请核对。"
    assert implausible(target, "50") is None


def test_it_refuses_alike_in_the_admin(drafted_tables, region_admin, client_for):
    # A draft table is not locked, so the admin's own Actual form is open; it is held to the same rule.
    target = _region(NEW_JOBS)
    data = {"target": target.pk, "checkpoint": "12", "raw_value": "300000", "forecast": "", "possibility": "",
            "deviation_category": "", "deviation_reason": "", "improvement_measure": ""}

    response = client_for(region_admin).post(reverse("admin:targets_actual_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["raw_value"] == [
        "“300000”按“万人”理解为300000万人，是否应为30万人？请在数字后写明单位（如“300000人”或“30万人”）。"
    ]
    assert not Actual.objects.exists()
