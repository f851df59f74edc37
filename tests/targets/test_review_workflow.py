"""Review of a target table: submit, approve (lock), return with a reason, reopen with a reason, edit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from targets import review
from targets.models import TableStatus, TargetTable
from targets.monitoring import record_actual
from tests.targets.review_helpers import approved, table_of, target_of

# These tests follow a table from draft through review; the notice issues its tables (targets.reference).
pytestmark = pytest.mark.usefixtures("drafted_tables")

NEW_JOBS = "城镇新增就业人数"


@pytest.fixture
def urumqi(reference_data):
    return table_of("乌鲁木齐市")


def _fresh(table):
    return TargetTable.objects.get(pk=table.pk)


def _refusal(call, *args, **kwargs):
    with pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)
    return refused.value.messages


def test_it_submits_a_draft_and_notes_when(urumqi, region_admin):
    review.submit(urumqi, region_admin)

    stored = _fresh(urumqi)
    assert stored.status == TableStatus.SUBMITTED
    assert stored.submitted_at is not None
    assert stored.version == 2


def test_it_approves_a_submitted_table_and_locks_it(urumqi, region_admin, hr_reviewer):
    review.submit(urumqi, region_admin)

    review.approve(urumqi, hr_reviewer)

    stored = _fresh(urumqi)
    assert stored.status == TableStatus.APPROVED
    assert stored.is_locked
    assert stored.reviewed_by == hr_reviewer
    assert stored.reviewed_at is not None
    assert stored.version == 3


def test_it_returns_with_a_reason_and_takes_a_new_submission(urumqi, region_admin, hr_reviewer):
    review.submit(urumqi, region_admin)

    review.return_table(urumqi, hr_reviewer, "  城镇新增就业人数低于上年实际，请核实。 ")

    stored = _fresh(urumqi)
    assert stored.status == TableStatus.RETURNED
    assert stored.return_reason == "城镇新增就业人数低于上年实际，请核实。"
    assert stored.reviewed_by == hr_reviewer

    review.submit(urumqi, region_admin)
    assert _fresh(urumqi).status == TableStatus.SUBMITTED
    assert _fresh(urumqi).return_reason == ""


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_it_refuses_a_return_without_a_reason(urumqi, region_admin, hr_reviewer, reason):
    review.submit(urumqi, region_admin)

    assert _refusal(review.return_table, urumqi, hr_reviewer, reason) == ["退回必须填写原因。"]

    stored = _fresh(urumqi)
    assert stored.status == TableStatus.SUBMITTED
    assert stored.version == 2


def test_it_refuses_edits_to_an_approved_table(urumqi, region_admin, hr_reviewer):
    approved(urumqi, region_admin, hr_reviewer)
    target = target_of(urumqi, NEW_JOBS)

    messages = _refusal(review.edit_target, urumqi, target, "90000", region_admin, urumqi.version)

    assert messages == ["该表已审核通过并锁定，需由人社审核员重新打开后才能修改。"]
    assert target_of(urumqi, NEW_JOBS).raw_value == "103000"
    assert _fresh(urumqi).version == 3


def test_it_refuses_edits_while_the_table_is_under_review(urumqi, region_admin):
    review.submit(urumqi, region_admin)
    target = target_of(urumqi, NEW_JOBS)

    messages = _refusal(review.edit_target, urumqi, target, "90000", region_admin, urumqi.version)

    assert messages == ["该表已提交审核，审核期间不能修改；如需修改，请由人社审核员退回。"]
    assert target_of(urumqi, NEW_JOBS).raw_value == "103000"


def test_it_reopens_only_with_a_reason_and_then_takes_edits(urumqi, region_admin, hr_reviewer):
    approved(urumqi, region_admin, hr_reviewer)

    assert _refusal(review.reopen, urumqi, hr_reviewer, " ") == ["重新打开必须填写原因。"]
    assert _fresh(urumqi).status == TableStatus.APPROVED

    review.reopen(urumqi, hr_reviewer, "自治区调整城镇新增就业目标")

    stored = _fresh(urumqi)
    assert stored.status == TableStatus.DRAFT
    assert not stored.is_locked
    assert stored.reopen_reason == "自治区调整城镇新增就业目标"
    review.edit_target(stored, target_of(stored, NEW_JOBS), "105000", region_admin, stored.version)
    assert target_of(stored, NEW_JOBS).raw_value == "105000"


@pytest.mark.parametrize("who", ["region_admin", "auditor", "officer_urumqi"])
def test_it_lets_only_the_hr_reviewer_approve_return_and_reopen(request, urumqi, region_admin, hr_reviewer, who):
    user = request.getfixturevalue(who)
    review.submit(urumqi, region_admin)

    with pytest.raises(PermissionDenied):
        review.approve(urumqi, user)
    with pytest.raises(PermissionDenied):
        review.return_table(urumqi, user, "不同意")
    review.approve(urumqi, hr_reviewer)
    with pytest.raises(PermissionDenied):
        review.reopen(urumqi, user, "重新调整")

    assert _fresh(urumqi).status == TableStatus.APPROVED


@pytest.mark.parametrize("who", ["hr_reviewer", "auditor", "officer_urumqi"])
def test_it_lets_only_the_region_admin_edit_and_submit(request, urumqi, who):
    user = request.getfixturevalue(who)
    target = target_of(urumqi, NEW_JOBS)

    with pytest.raises(PermissionDenied):
        review.edit_target(urumqi, target, "90000", user, urumqi.version)
    with pytest.raises(PermissionDenied):
        review.submit(urumqi, user)

    stored = _fresh(urumqi)
    assert (stored.status, stored.version) == (TableStatus.DRAFT, 1)
    assert target_of(urumqi, NEW_JOBS).raw_value == "103000"


def test_it_lets_the_region_admin_edit_a_target_and_rereads_its_value(urumqi, region_admin):
    target = target_of(urumqi, "享受职业技能培训补贴人员数量")

    review.edit_target(urumqi, target, " 13 ", region_admin, expected_version=1)

    stored = target_of(urumqi, "享受职业技能培训补贴人员数量")
    assert stored.raw_value == "13"
    assert (stored.operator, stored.unit, stored.base_number) == (">=", "万人次", Decimal("130000"))
    assert _fresh(urumqi).version == 2


def test_it_refuses_a_stale_save_and_overwrites_nothing(urumqi, region_admin):
    first_page, second_page = _fresh(urumqi), _fresh(urumqi)  # two people opened version 1
    review.edit_target(first_page, target_of(urumqi, NEW_JOBS), "104000", region_admin, expected_version=1)

    messages = _refusal(
        review.edit_target, second_page, target_of(urumqi, NEW_JOBS), "99000", region_admin, expected_version=1
    )

    assert messages == ["该表已被他人修改，请刷新后重试。"]
    assert target_of(urumqi, NEW_JOBS).raw_value == "104000"
    assert _fresh(urumqi).version == 2


def test_it_refuses_a_transition_taken_from_a_stale_page(urumqi, region_admin, hr_reviewer):
    review.submit(urumqi, region_admin)
    seen = _fresh(urumqi).version
    review.return_table(urumqi, hr_reviewer, "请补充说明")
    review.submit(urumqi, region_admin)

    assert _refusal(review.approve, _fresh(urumqi), hr_reviewer, expected_version=seen) == ["该表已被他人修改，请刷新后重试。"]
    assert _fresh(urumqi).status == TableStatus.SUBMITTED


def test_it_refuses_edits_all_or_nothing(urumqi, region_admin):
    jobs, reemployed = target_of(urumqi, NEW_JOBS), target_of(urumqi, "失业人员再就业人数")

    messages = _refusal(review.edit_targets, urumqi, {jobs: "104000", reemployed: "  "}, region_admin, 1)

    assert messages == ["失业人员再就业人数：指标值不能为空。"]
    assert target_of(urumqi, NEW_JOBS).raw_value == "103000"
    assert _fresh(urumqi).version == 1


@pytest.mark.parametrize(
    "step, status, fragment",
    [
        ("approve", TableStatus.DRAFT, "当前状态为“草稿”，不能审核通过"),
        ("return", TableStatus.APPROVED, "当前状态为“已审核通过”，不能退回"),
        ("reopen", TableStatus.SUBMITTED, "当前状态为“已提交”，不能重新打开"),
        ("submit", TableStatus.APPROVED, "当前状态为“已审核通过”，不能提交审核"),
        ("submit", TableStatus.SUBMITTED, "当前状态为“已提交”，不能提交审核"),
    ],
)
def test_it_refuses_a_step_from_the_wrong_status_and_names_it(
    urumqi, region_admin, hr_reviewer, step, status, fragment
):
    if status != TableStatus.DRAFT:
        review.submit(urumqi, region_admin)
    if status == TableStatus.APPROVED:
        review.approve(urumqi, hr_reviewer)
    calls = {
        "approve": lambda: review.approve(urumqi, hr_reviewer),
        "return": lambda: review.return_table(urumqi, hr_reviewer, "原因"),
        "reopen": lambda: review.reopen(urumqi, hr_reviewer, "原因"),
        "submit": lambda: review.submit(urumqi, region_admin),
    }
    version = _fresh(urumqi).version

    [message] = _refusal(calls[step])

    assert fragment in message
    assert (_fresh(urumqi).status, _fresh(urumqi).version) == (status, version)


def test_it_keeps_who_and_why_in_the_history(urumqi, region_admin, hr_reviewer):
    review.submit(urumqi, region_admin)
    review.return_table(urumqi, hr_reviewer, "失业率目标需与自治区一致")
    review.submit(urumqi, region_admin)
    review.approve(urumqi, hr_reviewer)
    review.reopen(urumqi, hr_reviewer, "年中调整")

    records = list(urumqi.history.order_by("history_date", "history_id"))
    steps = [(r.status, r.history_user.username if r.history_user else None, r.history_change_reason) for r in records]
    assert steps[1:] == [
        ("submitted", "region_admin", None),
        ("returned", "hr_reviewer", "失业率目标需与自治区一致"),
        ("submitted", "region_admin", None),
        ("approved", "hr_reviewer", None),
        ("draft", "hr_reviewer", "年中调整"),
    ]
    assert [r.version for r in records] == [1, 2, 3, 4, 5, 6]


def test_it_refuses_a_changed_target_that_leaves_a_recorded_figure_unexplained(urumqi, region_admin, hr_reviewer):
    approved(urumqi, region_admin, hr_reviewer)
    target = target_of(urumqi, NEW_JOBS)
    record_actual(target, "06", "103500", region_admin)
    review.reopen(urumqi, hr_reviewer, "调整目标")
    table = _fresh(urumqi)

    messages = _refusal(review.edit_target, table, target_of(table, NEW_JOBS), "110000", region_admin, table.version)

    assert messages == [
        "城镇新增就业人数：改为“110000”后，6月（年中）实际完成值“103500”未完成目标，请先在监控页补填偏差原因和改进措施。"
    ]
    assert target_of(table, NEW_JOBS).raw_value == "103000"
    assert target.actuals.get().verdict == "met"
