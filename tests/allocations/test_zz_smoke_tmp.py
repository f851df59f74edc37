import pytest
from django.urls import reverse

@pytest.mark.django_db
def test_it_smoke(region_admin, officer_urumqi, notice_document, client_for):
    c = client_for(region_admin)
    for name, args in [("allocations:document_list", []), ("allocations:document_detail", [notice_document.pk]),
                       ("allocations:prefecture_list", []), ("allocations:import_upload", [])]:
        r = c.get(reverse(name, args=args))
        open(f"/tmp/smoke/{name.split(':')[1]}.html", "w").write(r.content.decode())
        assert r.status_code == 200, name
    from allocations.models import Prefecture
    p = Prefecture.objects.get(name="乌鲁木齐市")
    r = c.get(reverse("allocations:prefecture_detail", args=[p.pk]))
    open("/tmp/smoke/prefecture_detail.html", "w").write(r.content.decode())
    r = c.get(reverse("allocations:reallocation_create", args=[notice_document.pk]) + f"?prefecture={p.pk}")
    open("/tmp/smoke/realloc.html", "w").write(r.content.decode())
    assert r.status_code == 200
    r = c.get(reverse("allocations:document_export", args=[notice_document.pk]))
    assert r.status_code == 200, r.content[:300]
    c = client_for(officer_urumqi)
    r = c.get(reverse("allocations:document_detail", args=[notice_document.pk]))
    open("/tmp/smoke/detail_officer.html", "w").write(r.content.decode())
    r = c.get(reverse("allocations:document_list"))
    open("/tmp/smoke/list_officer.html", "w").write(r.content.decode())
    assert r.status_code == 200
