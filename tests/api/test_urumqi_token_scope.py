"""Issue 17 done-when: a 乌鲁木齐市 token sees what officer1 sees, no more."""

from allocations.models import AllocationDocument, AllocationLine, County, Prefecture
from tests.conftest import NOTICE


def _all(client, url):
    rows = []
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        rows += body["results"] if isinstance(body, dict) else body
        url = body.get("next") if isinstance(body, dict) else None
    return rows


def test_it_lists_the_notice_with_only_urumqi_counties_in_its_lines(urumqi_api, notice_document):
    documents = _all(urumqi_api, "/api/v1/documents/")
    assert NOTICE in [d["number"] for d in documents]
    notice = next(d for d in documents if d["number"] == NOTICE)
    detail = urumqi_api.get(f"/api/v1/documents/{notice['id']}/").json()
    urumqi_counties = set(County.objects.filter(prefecture__name="乌鲁木齐市").values_list("name", flat=True))
    assert detail["lines"], "no lines"
    assert {line["prefecture_name"] for line in detail["lines"]} == {"乌鲁木齐市"}
    assert {line["county_name"] for line in detail["lines"]} == urumqi_counties & set(
        AllocationLine.objects.filter(document=notice_document).values_list("county__name", flat=True)
    )
    assert [s["prefecture_name"] for s in detail["subtotals"]] == ["乌鲁木齐市"]
    # The 合计 is the region's figure: the officer reads their 小计 in its place, as on the pages.
    assert detail["total"] == str(detail["subtotals"][0]["declared_amount"])


def test_it_answers_404_for_every_kashgar_object(urumqi_api, notice_document):
    kashgar = Prefecture.objects.get(name="喀什地区")
    county = County.objects.filter(prefecture=kashgar).first()
    line = AllocationLine.objects.filter(document=notice_document, county__prefecture=kashgar).first()
    for url in (
        f"/api/v1/prefectures/{kashgar.pk}/",
        f"/api/v1/counties/{county.pk}/",
        f"/api/v1/allocation-lines/{line.pk}/",
    ):
        answer = urumqi_api.get(url)
        assert answer.status_code == 404, url
        assert answer.json()["code"] == "not_found"
    assert all(row["prefecture_name"] == "乌鲁木齐市" for row in _all(urumqi_api, "/api/v1/counties/"))
    assert all(row["prefecture_name"] == "乌鲁木齐市" for row in _all(urumqi_api, "/api/v1/allocation-lines/"))


def test_it_refuses_a_payment_batch_from_an_officer_token_with_403(urumqi_api):
    answer = urumqi_api.post("/api/v1/payments/", {"payments": []}, format="json")
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
