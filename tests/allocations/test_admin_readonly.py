"""The auditor browses every admin page and changes nothing; importing is for the region admin."""

from django.contrib import admin
from django.urls import reverse

from tests.allocations.pages import page

LINE_IMPORT = reverse("admin:allocations_allocationline_import")


def _registered():
    """(label, changelist, change, add, delete) for every model in the admin.

    change and delete are None for a model with no stored row yet (login
    attempts, say): its changelist and add pages are still checked.
    """
    pages = []
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        instance = model._default_manager.order_by("pk").first()
        pages.append(
            (
                model._meta.label,
                reverse(f"{name}_changelist"),
                reverse(f"{name}_change", args=[instance.pk]) if instance else None,
                reverse(f"{name}_add"),
                reverse(f"{name}_delete", args=[instance.pk]) if instance else None,
            )
        )
    return pages


def test_it_covers_every_model_of_the_apps_in_the_admin(db):
    labels = {model._meta.label for model in admin.site._registry}

    assert {
        "allocations.Prefecture",
        "allocations.County",
        "allocations.Fund",
        "allocations.ExpenditureItem",
        "allocations.AllocationDocument",
        "allocations.PrefectureSubtotal",
        "allocations.AllocationLine",
        "core.User",
        "auth.Group",
    } <= labels


def test_it_lets_the_auditor_view_every_admin_page(auditor, client_for):
    client = client_for(auditor)

    for label, changelist, change, _add, _delete in _registered():
        assert client.get(changelist).status_code == 200, label
        if change:
            assert client.get(change).status_code == 200, label


def test_it_refuses_every_change_add_and_delete_by_the_auditor(auditor, client_for):
    client = client_for(auditor)
    before = {label: admin_count(label) for label, *_ in _registered()}

    for label, _changelist, change, add, delete in _registered():
        assert client.get(add).status_code == 403, label
        assert client.post(add, {}).status_code == 403, label
        if change:
            assert client.post(change, {}).status_code == 403, label
            assert client.post(delete, {"post": "yes"}).status_code == 403, label

    assert {label: admin_count(label) for label, *_ in _registered()} == before


def admin_count(label):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    return model._default_manager.count()


def test_it_keeps_the_line_import_from_the_auditor(auditor, client_for):
    client = client_for(auditor)

    assert client.get(LINE_IMPORT).status_code == 403
    assert client.post(LINE_IMPORT, {"format": "1", "resource": "0"}).status_code == 403
    changelist = page(client.get(reverse("admin:allocations_allocationline_changelist")))
    assert LINE_IMPORT not in changelist
    document_changelist = page(client.get(reverse("admin:allocations_allocationdocument_changelist")))
    assert "导入分配表（官方格式）" not in document_changelist


def test_it_gives_the_region_admin_the_import_pages(region_admin, client_for):
    client = client_for(region_admin)

    assert client.get(LINE_IMPORT).status_code == 200
    document_changelist = page(client.get(reverse("admin:allocations_allocationdocument_changelist")))
    assert "导入分配表（官方格式）" in document_changelist
    assert reverse("allocations:import_upload") in document_changelist


def test_it_shows_the_direct_mark_read_only_on_the_document_page(region_admin, notice_document, client_for):
    response = client_for(region_admin).get(
        reverse("admin:allocations_allocationdocument_change", args=[notice_document.pk])
    )

    assert response.status_code == 200
    assert "direct_mark" not in response.context["adminform"].form.fields
    assert "01 中央直达资金" in page(response)
