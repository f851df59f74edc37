"""What is issued, approved or accepted is read-only in the admin, to a superuser as well.

新财社〔2023〕74号's lines and 小计, 喀什地区's approved target table with its 双监控 figures, an accepted
July report: their change pages are shown read-only, a POST answers 403, nothing is added to them
and nothing of them deleted. Drafts stay editable. Changing a locked object is the app's business.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from allocations.models import (
    AllocationDocument,
    AllocationLine,
    County,
    DocumentStatus,
    Prefecture,
    PrefectureSubtotal,
)
from allocations.reallocation import ProposedLine, create_reallocation
from core.models import User
from feedback import workflow
from feedback.models import FeedbackLine, FeedbackReport
from targets import review
from targets.models import Actual, Checkpoint, TargetTable
from targets.monitoring import Entry, record_actuals

JULY = date(2023, 7, 1)


@pytest.fixture
def superuser(reference_data):
    return User.objects.create_superuser("root", password="x-test-only-9")


@pytest.fixture(params=["region_admin", "superuser"])
def editor(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def line_1200(notice_document):
    return notice_document.lines.filter(amount=Decimal("1200")).order_by("pk").first()


@pytest.fixture
def subtotal_8294(notice_document, urumqi):
    subtotal = notice_document.subtotals.get(prefecture=urumqi)
    assert subtotal.declared_amount == Decimal("8294")
    return subtotal


@pytest.fixture
def draft_reallocation(notice_document, urumqi):
    county = County.objects.get(prefecture=urumqi, name="天山区")
    return create_reallocation(
        notice_document, urumqi, "乌财社〔2023〕12号", "关于转下达就业补助资金的通知", [ProposedLine(county, Decimal("1200"))],
        date(2023, 6, 20),
    )


def _url(obj, view):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def _add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def _line_data(line, **changes):
    data = {"document": line.document_id, "county": line.county_id, "amount": line.amount, "note": line.note, "position": line.position}
    return {**data, **changes}


def _subtotal_data(subtotal, **changes):
    data = {"document": subtotal.document_id, "prefecture": subtotal.prefecture_id, "declared_amount": subtotal.declared_amount}
    return {**data, **changes}


def _page_data(response):
    """The POST an editable change page would send as it stands, its inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def _refused(client, obj, data):
    """(GET status, page editable, POST status, delete status, still there after "delete selected") for one object."""
    page = client.get(_url(obj, "change"))
    changed = client.post(_url(obj, "change"), data)
    deleted = client.post(_url(obj, "delete"), {"post": "yes"})
    changelist = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
    # Refused with a 403, or, for the notice, earlier: its target tables protect it.
    client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    exists = type(obj)._default_manager.filter(pk=obj.pk).exists()
    return page.status_code, page.context["has_change_permission"], changed.status_code, deleted.status_code, exists


def test_it_keeps_a_line_of_the_issued_notice_at_1200(editor, line_1200, client_for):
    answers = _refused(client_for(editor), line_1200, _line_data(line_1200, amount="999999"))

    assert answers == (200, False, 403, 403, True)
    assert AllocationLine.objects.get(pk=line_1200.pk).amount == Decimal("1200")


def test_it_keeps_a_subtotal_of_the_issued_notice_at_8294(editor, subtotal_8294, client_for):
    answers = _refused(client_for(editor), subtotal_8294, _subtotal_data(subtotal_8294, declared_amount="1"))

    assert answers == (200, False, 403, 403, True)
    assert PrefectureSubtotal.objects.get(pk=subtotal_8294.pk).declared_amount == Decimal("8294")


def test_it_keeps_the_issued_notice_and_its_subtotal_inline(editor, notice_document, subtotal_8294, client_for):
    client = client_for(editor)
    subtotals = list(notice_document.subtotals.order_by("prefecture__position"))
    data = {
        "number": notice_document.number, "title": notice_document.title, "year": notice_document.year,
        "fund": notice_document.fund_id, "declared_total": notice_document.declared_total, "status": DocumentStatus.DRAFT,
        "subtotals-TOTAL_FORMS": len(subtotals), "subtotals-INITIAL_FORMS": len(subtotals),
        "subtotals-MIN_NUM_FORMS": 0, "subtotals-MAX_NUM_FORMS": 1000,
    }
    for i, subtotal in enumerate(subtotals):
        amount = "1" if subtotal.pk == subtotal_8294.pk else subtotal.declared_amount
        data.update({
            f"subtotals-{i}-id": subtotal.pk, f"subtotals-{i}-document": notice_document.pk,
            f"subtotals-{i}-prefecture": subtotal.prefecture_id, f"subtotals-{i}-declared_amount": amount,
        })

    page = client.get(_url(notice_document, "change"))
    answers = _refused(client, notice_document, data)

    assert not page.context["inline_admin_formsets"][0].has_change_permission
    assert answers == (200, False, 403, 403, True)
    notice = AllocationDocument.objects.get(pk=notice_document.pk)
    assert notice.status == DocumentStatus.ISSUED
    assert notice.subtotals.get(pk=subtotal_8294.pk).declared_amount == Decimal("8294")


def test_it_adds_no_line_or_subtotal_to_an_issued_document(editor, notice_document, client_for):
    client = client_for(editor)
    issued = AllocationDocument.objects.create(
        number="测试〔2023〕9号", title="已下达的测试文件", year=2023, fund=notice_document.fund,
        declared_total=Decimal("0"), status=DocumentStatus.ISSUED,
    )
    county = County.objects.get(prefecture__name="昌吉州", name="昌吉市")

    line = client.post(_add_url(AllocationLine), {"document": issued.pk, "county": county.pk, "amount": "10", "position": 1})
    subtotal = client.post(
        _add_url(PrefectureSubtotal), {"document": issued.pk, "prefecture": county.prefecture_id, "declared_amount": "10"}
    )

    for response in (line, subtotal):
        assert response.status_code == 200
        assert "测试〔2023〕9号 已下达" in str(response.context["adminform"].form.errors["document"])
    assert not issued.lines.exists() and not issued.subtotals.exists()


def test_it_keeps_a_draft_reallocation_editable_only_as_the_parent_allocates(region_admin, draft_reallocation, client_for):
    # 天山区 gets 1,200 in 新财社〔2023〕74号: the draft's line may be edited (its note here), not its amount changed.
    client = client_for(region_admin)
    line = draft_reallocation.lines.get()

    over = client.post(_url(line, "change"), _line_data(line, amount="99999"))
    under = client.post(_url(line, "change"), _line_data(line, amount="1100"))
    same = client.post(_url(line, "change"), _line_data(line, amount="1200", note="按通知金额"))

    assert over.status_code == 200
    assert "天山区：上级文件分配 1200 万元，转下达 99999 万元。" in str(over.context["adminform"].form.errors["amount"])
    assert under.status_code == 200
    assert "天山区：上级文件分配 1200 万元，转下达 1100 万元。" in str(under.context["adminform"].form.errors["amount"])
    assert same.status_code == 302
    assert AllocationLine.objects.values_list("amount", "note").get(pk=line.pk) == (Decimal("1200"), "按通知金额")


def test_it_issues_no_document_from_its_admin_page(region_admin, draft_reallocation, client_for):
    # 下达 reconciles the lines with the 小计 and checks the share first: the document page does it, not the admin.
    client = client_for(region_admin)
    data = _page_data(client.get(_url(draft_reallocation, "change")))
    data.update(status=DocumentStatus.ISSUED, title="改过的标题")

    response = client.post(_url(draft_reallocation, "change"), data)

    assert response.status_code == 302
    document = AllocationDocument.objects.get(pk=draft_reallocation.pk)
    assert document.title == "改过的标题"
    assert document.status == DocumentStatus.DRAFT


@pytest.fixture
def approved_actual(notice_document, drafted_tables, urumqi, region_admin, hr_reviewer, officer_urumqi):
    table = TargetTable.objects.get(document=notice_document, prefecture=urumqi)
    table = review.approve(review.submit(table, region_admin), hr_reviewer)
    target = table.targets.filter(indicator__isnull=False).order_by("position").first()
    record_actuals(table, Checkpoint.MID_YEAR, [Entry(target, "27345人次", "上半年培训班次少", "下半年增开班次")], officer_urumqi)
    return Actual.objects.get(target=target)


def test_it_keeps_the_actuals_of_an_approved_table(editor, approved_actual, client_for):
    client = client_for(editor)
    data = {
        "target": approved_actual.target_id, "checkpoint": approved_actual.checkpoint, "raw_value": "1",
        "deviation_reason": "改小", "improvement_measure": "改小", "recorded_by": approved_actual.recorded_by_id,
    }

    answers = _refused(client, approved_actual, data)
    added = client.post(_add_url(Actual), {**data, "checkpoint": Checkpoint.YEAR_END})

    assert answers == (200, False, 403, 403, True)
    assert Actual.objects.get(pk=approved_actual.pk).raw_value == "27345人次"
    assert added.status_code == 200
    assert "双监控页面" in str(added.context["adminform"].form.errors["target"])
    assert not Actual.objects.filter(checkpoint=Checkpoint.YEAR_END).exists()


@pytest.fixture
def accepted_july(officer_urumqi, region_admin):
    report = workflow.open_report(officer_urumqi.prefecture, JULY)
    line = report.lines.order_by("position").first()
    workflow.save_lines(
        report, {line.pk: {"spent": Decimal("5000"), "uses": ["vocational_training"]}}, officer_urumqi, report.version
    )
    return workflow.accept(workflow.submit(report, officer_urumqi), region_admin)


def test_it_keeps_an_accepted_report_even_from_a_superuser(superuser, accepted_july, client_for):
    client = client_for(superuser)
    line = accepted_july.lines.order_by("position").first()

    for obj in (accepted_july, line):
        deleted = client.post(_url(obj, "delete"), {"post": "yes"})
        changelist = reverse(f"admin:feedback_{obj._meta.model_name}_changelist")
        selected = client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
        assert (deleted.status_code, selected.status_code) == (403, 403), obj._meta.label

    assert FeedbackReport.objects.filter(pk=accepted_july.pk).exists()
    assert FeedbackLine.objects.filter(pk=line.pk).exists()

