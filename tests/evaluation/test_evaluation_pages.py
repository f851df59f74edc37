"""The evaluation pages: the queue, a prefecture's scores with their inputs, the reviewer's forms, scoping."""

from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from evaluation.building import build
from evaluation.models import Evaluation, EvaluationStatus, Method
from tests.allocations.pages import page, visible_text
from tests.evaluation.helpers import pay, prefecture, record_year_end, table_of

QUEUE = reverse("evaluation:queue")
REQUEST = ["session", "user", "user's role groups"]


@pytest.fixture
def urumqi(reference_data):
    table = table_of()
    record_year_end(table)
    pay(table)
    return build(table, 2023)


def _others(count):
    """count further evaluations: the notice's other prefectures' tables."""
    from targets.models import TargetTable

    tables = TargetTable.objects.filter(document__number="新财社〔2023〕74号", prefecture__isnull=False).exclude(
        prefecture__name="乌鲁木齐市"
    ).select_related("prefecture", "document")[:count]
    for table in tables:
        build(table, 2023)


@pytest.mark.parametrize("others", [0, 5])
@pytest.mark.parametrize(
    "role, queries",
    [
        ("hr_reviewer", REQUEST + [
            "the count, capped at the export limit + 1 (core.listing)",
            "prefectures for the filter",
            "the page of evaluations with their prefecture, document and the count awaiting a reviewer",
        ]),
        ("region_admin", REQUEST + [
            "the count, capped at the export limit + 1 (core.listing)",
            "documents with a settled prefecture table, for the build form",
            "prefectures for the filter",
            "the page of evaluations with their prefecture, document and the count awaiting a reviewer",
        ]),
        ("officer_urumqi", REQUEST + [
            "the count, capped at the export limit + 1 (core.listing)",
            "officer's prefecture for the header",
            "the page of evaluations with their prefecture, document and the count awaiting a reviewer",
        ]),
    ],
)
def test_it_lists_the_queue_in_constant_queries(urumqi, others, role, queries, request, client_for, django_assert_num_queries):
    _others(others)
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries)):
        response = client.get(QUEUE)

    assert response.status_code == 200
    assert response.context["table"].paginator.count == (1 if role == "officer_urumqi" else 1 + others)


def test_it_shows_every_score_with_its_inputs(urumqi, hr_reviewer, client_for):
    html = page(client_for(hr_reviewer).get(reverse("evaluation:detail", args=[urumqi.pk])))

    text = visible_text(html)
    assert "城镇新增就业人数" in text and "103000" in text and "103,000 人" in text
    assert "国库支付" in text
    assert "待评分" in text
    assert 'data-method="reviewer"' in html and f'action="{reverse("evaluation:score", args=[urumqi.pk, urumqi.scores.filter(method=Method.REVIEWER).first().pk])}"' in html


def test_it_shows_an_officer_their_own_prefecture_only(urumqi, officer_urumqi, officer_kashgar, client_for):
    detail = reverse("evaluation:detail", args=[urumqi.pk])
    assert client_for(officer_urumqi).get(detail).status_code == 200
    client = client_for(officer_kashgar)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("evaluation:export", args=[urumqi.pk])).status_code == 404
    assert client.get(QUEUE).context["table"].paginator.count == 0


def test_it_gives_the_auditor_no_forms_and_refuses_its_posts(urumqi, auditor, client_for):
    client = client_for(auditor)
    html = page(client.get(reverse("evaluation:detail", args=[urumqi.pk])))
    assert 'action="/evaluation/' not in html
    Evaluation.objects.filter(pk=urumqi.pk).update(status=EvaluationStatus.SUBMITTED)
    assert client.post(reverse("evaluation:approve", args=[urumqi.pk])).status_code == 403
    urumqi.refresh_from_db()
    assert urumqi.status == EvaluationStatus.SUBMITTED


def test_it_takes_a_reviewer_score_with_its_reason_and_refuses_one_without(urumqi, hr_reviewer, client_for):
    client = client_for(hr_reviewer)
    row = urumqi.scores.filter(method=Method.REVIEWER).order_by("position").first()
    url = reverse("evaluation:score", args=[urumqi.pk, row.pk])

    refused = client.post(url, {"score": "1", "reason": ""}, follow=True)
    assert f"“{row.wording}”须填写评分理由。" in visible_text(page(refused))
    row.refresh_from_db()
    assert row.score is None

    too_high = client.post(url, {"score": "99", "reason": "已完成"}, follow=True)
    assert f"“{row.wording}”的得分须在0到{row.weight}之间，填写的是99。" in visible_text(page(too_high))

    client.post(url, {"score": str(row.weight), "reason": "评审文件已下达，完成"})
    row.refresh_from_db()
    urumqi.refresh_from_db()
    assert row.score == row.weight and row.scored_by == hr_reviewer
    assert urumqi.score == build(table_of(), 2023).score  # a rebuild keeps the reviewer's score


def test_it_refuses_weights_that_do_not_total_100_naming_the_sum(urumqi, region_admin, client_for):
    client = client_for(region_admin)
    data = {"weight_output": "50", "weight_benefit": "30", "weight_satisfaction": "10", "weight_execution": "5"}

    response = client.post(reverse("evaluation:weights", args=[urumqi.pk]), data, follow=True)

    text = visible_text(page(response))
    assert "各项权重之和须为100，现为95。" in text
    assert "violated" not in text and "evaluation_weights_total_100" not in text  # the model's message, not the constraint's
    urumqi.refresh_from_db()
    assert urumqi.weight_execution == 10


def test_it_rescores_with_new_weights(urumqi, region_admin, client_for):
    data = {"weight_output": "40", "weight_benefit": "40", "weight_satisfaction": "10", "weight_execution": "10"}

    client_for(region_admin).post(reverse("evaluation:weights", args=[urumqi.pk]), data)

    urumqi.refresh_from_db()
    assert urumqi.weight_output == 40
    benefit = urumqi.scores.filter(group="benefit")
    assert sum(row.weight for row in benefit) == 40


def test_it_exports_the_self_evaluation_workbook(urumqi, auditor, client_for):
    response = client_for(auditor).get(reverse("evaluation:export", args=[urumqi.pk]))

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "乌鲁木齐市就业补助资金转移支付区域绩效自评表"
    flat = [cell for row in values for cell in row if cell is not None]
    assert "城镇新增就业人数" in flat and "待评分" in flat
    total_row = values[-1]
    assert total_row[0] == "总分"
    assert Decimal(str(total_row[6])) == urumqi.score and total_row[7] == f"等级：{urumqi.get_grade_display()}"


def test_it_lets_a_region_admin_build_a_document_year_from_the_queue(reference_data, region_admin, client_for):
    from allocations.models import AllocationDocument

    document = AllocationDocument.objects.get(number="新财社〔2023〕74号")
    response = client_for(region_admin).post(reverse("evaluation:build"), {"document": document.pk, "year": "2023"}, follow=True)

    assert "已计算14个地（州、市）的绩效自评" in visible_text(page(response))
    assert Evaluation.objects.filter(year=2023, prefecture=prefecture()).exists()


def test_it_puts_what_awaits_the_reviewer_first(urumqi, hr_reviewer, region_admin, client_for):
    from evaluation.workflow import submit

    _others(2)
    submit(Evaluation.objects.exclude(pk=urumqi.pk).order_by("pk").last(), region_admin)

    rows = client_for(hr_reviewer).get(QUEUE).context["table"].rows
    statuses = [row.record.status for row in rows]
    assert statuses == ["submitted", "draft", "draft"]
