"""双监控 through the web: one table's figures form, and the region's attainment grid."""

import pytest
from django.urls import reverse

from targets.models import Actual, Target
from targets.monitoring import record_actual
from tests.allocations.pages import page, table_rows, visible_text
from tests.targets.review_helpers import approved, table_of, target_of

NEW_JOBS = "城镇新增就业人数"
REEMPLOYED = "失业人员再就业人数"
# Every page: the session, the user, and the user's groups (core.permissions asks once per request).
REQUEST = ["session", "user", "user's role groups"]
OFFICER = ["officer's prefecture for the header"]


@pytest.fixture
def urumqi(reference_data, region_admin, hr_reviewer):
    return approved(table_of("乌鲁木齐市"), region_admin, hr_reviewer)


def _url(table, checkpoint=None):
    url = reverse("targets:monitoring", args=[table.pk])
    return f"{url}?checkpoint={checkpoint}" if checkpoint else url


def _form(table, checkpoint, **rows):
    """rows: {catalogue name: (value, reason, measure)}; every other row left blank."""
    data = {"checkpoint": checkpoint}
    for target in Target.objects.filter(table=table).select_related("indicator"):
        value, reason, measure = rows.get(target.indicator.name if target.indicator else "", ("", "", ""))
        data.update({f"value_{target.pk}": value, f"reason_{target.pk}": reason, f"measure_{target.pk}": measure})
    return data


def _row(html, wording):
    [row] = [row for row in table_rows(html) if len(row.cells) > 2 and row.cells[1] == wording]
    return row


def test_it_saves_the_officers_figures_and_shows_the_verdicts(urumqi, officer_urumqi, client_for):
    client = client_for(officer_urumqi)
    data = _form(
        urumqi,
        "06",
        **{NEW_JOBS: ("104000", "", ""), REEMPLOYED: ("50000", "上半年季节性因素", "下半年加大援助力度")},
    )

    response = client.post(_url(urumqi), data, follow=True)

    assert response.redirect_chain == [(_url(urumqi, "06"), 302)]
    html = page(response)
    assert "已保存2项6月（年中）实际完成值。" in visible_text(html)
    assert _row(html, "城镇新增就业人数(人)").cells[3].startswith("104000")
    assert "✓ 已完成" in _row(html, "城镇新增就业人数(人)").cells[3]
    assert "✗ 未完成" in _row(html, "失业人员再就业人数(人)").cells[3]
    assert "上半年季节性因素" in _row(html, "失业人员再就业人数(人)").cells[3]
    assert Actual.objects.filter(target__table=urumqi, checkpoint="06").count() == 2


def test_it_refuses_the_whole_form_and_names_the_row_of_a_shortfall(urumqi, region_admin, client_for):
    data = _form(urumqi, "12", **{REEMPLOYED: ("56000", "", ""), NEW_JOBS: ("90000", "", "加大岗位开发")})

    response = client_for(region_admin).post(_url(urumqi), data)

    assert response.status_code == 200
    text = visible_text(page(response))
    assert "城镇新增就业人数：未完成目标，必须填写偏差原因。" in text
    assert "城镇新增就业人数：未完成目标，必须填写改进措施。" not in text
    assert "没有保存任何数据" in text
    assert not Actual.objects.exists()
    # The typed figures come back for correction.
    assert 'value="90000"' in page(response) and 'value="56000"' in page(response)


def test_it_keeps_the_unchanged_rows_and_the_other_checkpoint(urumqi, officer_urumqi, client_for):
    target = target_of(urumqi, NEW_JOBS)
    record_actual(target, "06", "60000", officer_urumqi, deviation_reason="年中", improvement_measure="加力")
    client = client_for(officer_urumqi)

    html = page(client.get(_url(urumqi, "06")))
    assert 'value="60000"' in html

    client.post(_url(urumqi), _form(urumqi, "12", **{NEW_JOBS: ("103000", "", "")}))

    figures = dict(Actual.objects.filter(target=target).values_list("checkpoint", "verdict"))
    assert figures == {"06": "not_met", "12": "met"}


def test_it_shows_the_hr_reviewer_and_auditor_figures_without_a_form(
    urumqi, officer_urumqi, hr_reviewer, auditor, client_for
):
    record_actual(target_of(urumqi, NEW_JOBS), "06", "104000", officer_urumqi)

    for user in (hr_reviewer, auditor):
        client = client_for(user)
        html = page(client.get(_url(urumqi)))
        assert "✓ 已完成" in _row(html, "城镇新增就业人数(人)").cells[3]
        assert "value_" not in html
        assert client.post(_url(urumqi), _form(urumqi, "06", **{NEW_JOBS: ("1", "a", "b")})).status_code == 403
    assert Actual.objects.get().raw_value == "104000"


def test_it_hides_another_prefectures_table_from_an_officer(urumqi, officer_kashgar, client_for):
    client = client_for(officer_kashgar)

    assert client.get(_url(urumqi)).status_code == 404
    assert client.post(_url(urumqi), _form(urumqi, "06", **{NEW_JOBS: ("104000", "", "")})).status_code == 404
    assert not Actual.objects.exists()


def test_it_offers_no_form_before_approval_and_refuses_a_post(drafted_tables, officer_urumqi, client_for):
    table = table_of("乌鲁木齐市")
    client = client_for(officer_urumqi)

    html = page(client.get(_url(table)))
    assert "审核通过后才能填报实际完成值" in visible_text(html)
    assert "value_" not in html

    response = client.post(_url(table), _form(table, "06", **{NEW_JOBS: ("104000", "", "")}), follow=True)
    assert "该表当前状态为“草稿”，审核通过后才能填报实际完成值。" in visible_text(page(response))
    assert not Actual.objects.exists()


def test_it_turns_away_an_unknown_checkpoint_with_a_message(urumqi, region_admin, client_for):
    response = client_for(region_admin).get(_url(urumqi, "09"), follow=True)

    assert response.status_code == 200
    assert "监控时点只能是6月（年中）或12月（年末）。" in visible_text(page(response))


def _extra_targets(table, count, with_actuals):
    targets = Target.objects.bulk_create(
        Target(table=table, wording=f"测试指标{i}(人)", raw_value="100", position=100 + i).derive() for i in range(count)
    )
    if with_actuals:
        Actual.objects.bulk_create(
            Actual(target=target, checkpoint=checkpoint, raw_value="120", verdict="met")
            for target in targets
            for checkpoint in ("06", "12")
        )


MONITORING = [
    "the table with document and prefecture",
    "its targets with their indicators",
    "their actuals",
    "资金在规定时间内下达率: the document's 小计",
    "资金在规定时间内下达率: the issued 转下达 lines under it",
]


@pytest.mark.parametrize("extra, with_actuals", [(0, False), (150, True)])
@pytest.mark.parametrize(
    "role, queries",
    [
        ("region_admin", REQUEST + MONITORING),
        ("officer_urumqi", REQUEST + MONITORING + OFFICER),
        ("auditor", REQUEST + MONITORING),
    ],
)
def test_it_shows_a_tables_figures_in_constant_queries(
    request, urumqi, client_for, django_assert_num_queries, extra, with_actuals, role, queries
):
    _extra_targets(urumqi, extra, with_actuals)
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries)):
        response = client.get(_url(urumqi, "12"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 26 + extra


def _attainment(client, document):
    return client.get(reverse("targets:attainment", args=[document.pk]))


def test_it_grids_the_latest_verdict_of_each_prefecture(
    urumqi, notice_document, officer_urumqi, hr_reviewer, client_for
):
    jobs = target_of(urumqi, NEW_JOBS)
    record_actual(jobs, "06", "50000", officer_urumqi, deviation_reason="年中", improvement_measure="加力")
    record_actual(jobs, "12", "103000", officer_urumqi)
    record_actual(
        target_of(urumqi, REEMPLOYED), "12", "50000", officer_urumqi, deviation_reason="减员", improvement_measure="援助"
    )
    record_actual(target_of(urumqi, "年末高校毕业生总体就业率"), "12", "96%", officer_urumqi)

    html = page(_attainment(client_for(hr_reviewer), notice_document))

    rows = {row.cells[0]: row.cells[1:] for row in table_rows(html)}
    assert rows[NEW_JOBS][1] == "✓"  # column 0 is 自治区, 1 is 乌鲁木齐市
    assert rows[REEMPLOYED][1] == "✗"
    assert rows["年末高校毕业生总体就业率"][1] == "–"
    assert rows["城镇调查失业率"][1] == ""
    assert rows[NEW_JOBS][0] == ""
    assert rows["已完成"][1] == "1" and rows["未完成"][1] == "1" and rows["不可判断"][1] == "1"
    assert rows["未填报"][1] == "23"
    all_targets = Target.objects.filter(table__document=notice_document).count()
    assert rows["未填报"][0] == "26" and rows["未填报"][-1] == str(all_targets - 3)


def test_it_forbids_the_attainment_grid_to_officers(notice_document, officer_urumqi, client_for):
    assert _attainment(client_for(officer_urumqi), notice_document).status_code == 403


ATTAINMENT = ["the document", "its tables with their prefectures", "targets left-joined to their actuals"]


@pytest.mark.parametrize("extra", [0, 150])
def test_it_shows_the_attainment_grid_in_constant_queries(
    urumqi, notice_document, auditor, client_for, django_assert_num_queries, extra
):
    _extra_targets(urumqi, extra, with_actuals=True)
    client = client_for(auditor)

    with django_assert_num_queries(len(REQUEST + ATTAINMENT)):
        response = _attainment(client, notice_document)

    assert response.status_code == 200
    assert sum(row.counts["met"] for row in response.context["summary"].rows) == extra
