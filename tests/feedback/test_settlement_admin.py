"""清算 in the admin: a region admin closes a share with a reason and is recorded as who closed it; an auditor only reads."""

from datetime import date

from django.urls import reverse

from allocations.models import AllocationDocument, Prefecture
from feedback.models import Settlement
from tests.allocations.pages import page, visible_text

NOTICE = "新财社〔2023〕74号"


def _form(**changes):
    data = {
        "document": AllocationDocument.objects.get(number=NOTICE).pk,
        "prefecture": Prefecture.objects.get(name="乌鲁木齐市").pk,
        "closed_on": "2023-12-31",
        "reason": "项目已完成，结余资金收回",
    }
    data.update(changes)
    return data


def test_it_records_the_region_admin_who_settles_a_share(region_admin, client_for):
    response = client_for(region_admin).post(reverse("admin:feedback_settlement_add"), _form())

    assert response.status_code == 302
    settlement = Settlement.objects.get()
    assert (settlement.closed_by, settlement.closed_on, settlement.reason) == (
        region_admin, date(2023, 12, 31), "项目已完成，结余资金收回"
    )
    assert settlement.history.get().history_user == region_admin


def test_it_refuses_a_settlement_without_a_reason_and_names_the_field(region_admin, client_for):
    response = client_for(region_admin).post(reverse("admin:feedback_settlement_add"), _form(reason=""))

    assert response.status_code == 200
    assert "这个字段是必填项。" in visible_text(page(response))
    assert not Settlement.objects.exists()


def test_it_lets_an_auditor_read_settlements_but_not_add_one(auditor, region_admin, client_for):
    client_for(region_admin).post(reverse("admin:feedback_settlement_add"), _form())
    client = client_for(auditor)

    listing = client.get(reverse("admin:feedback_settlement_changelist"))
    assert listing.status_code == 200
    assert "项目已完成，结余资金收回" in visible_text(page(listing))
    assert client.get(reverse("admin:feedback_settlement_add")).status_code == 403
    assert client.post(reverse("admin:feedback_settlement_add"), _form(closed_on="2024-01-31")).status_code == 403
    assert Settlement.objects.count() == 1


def test_it_lists_settlements_in_constant_queries(auditor, region_admin, client_for, django_assert_num_queries):
    notice = AllocationDocument.objects.get(number=NOTICE)
    Settlement.objects.bulk_create(
        Settlement(document=notice, prefecture=p, closed_on=date(2023, 12, 31), reason="清算", closed_by=region_admin)
        for p in Prefecture.objects.all()
    )
    client = client_for(auditor)
    # The session and the user; the user's own and their groups' permissions; the prefecture filter's choices;
    # the count of the list and of the whole table (settlements are few: the admin's "共 n 条" stays exact); the page of settlements with their document, prefecture and who closed them (list_select_related);
    # the user's role groups for the header.
    queries = ["session", "user", "user permissions", "group permissions", "prefecture filter", "count", "full count", "page",
               "role groups"]
    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("admin:feedback_settlement_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 14
