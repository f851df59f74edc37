"""转下达 through the web form."""

import pytest
from django.urls import reverse

from allocations.models import AllocationDocument, AllocationLine, County, Prefecture
from tests.allocations.pages import page, table_rows, visible_text
from tests.allocations.reallocation_helpers import lump_sum_document

NUMBER = "乌财社〔2023〕12号"
# The notice's own split of 乌鲁木齐市's 8294 among its counties.
URUMQI_SPLIT = {
    "天山区": "1200",
    "沙依巴克区": "1834",
    "高新区（新市区）": "400",
    "水磨沟区": "2100",
    "经开区（头屯河区）": "1200",
    "米东区": "1500",
    "达坂城区": "50",
    "乌鲁木齐县": "10",
}


def _url(document, prefecture=None):
    url = reverse("allocations:reallocation_create", args=[document.pk])
    return f"{url}?prefecture={prefecture.pk}" if prefecture else url


def _form(split, prefecture="乌鲁木齐市", number=NUMBER):
    data = {"number": number, "title": "关于转下达2023年中央财政就业补助资金的通知", "issued_on": "2023-06-20"}
    for name, amount in split.items():
        county = County.objects.get(prefecture__name=prefecture, name=name)
        data[f"amount_{county.pk}"] = amount
        data[f"note_{county.pk}"] = ""
    return data


def _nothing_written():
    assert not AllocationDocument.objects.filter(parent__isnull=False).exists()
    assert AllocationLine.objects.count() == 100


def test_it_passes_the_whole_share_on_from_the_officers_form(officer_urumqi, notice_document, client_for):
    client = client_for(officer_urumqi)

    response = client.post(_url(notice_document), _form(URUMQI_SPLIT))

    document = AllocationDocument.objects.get(number=NUMBER)
    assert response.status_code == 302
    assert response["Location"] == reverse("allocations:document_detail", args=[document.pk])
    assert document.parent == notice_document
    assert document.issuer.name == "乌鲁木齐市"
    assert document.direct_mark == "01 中央直达资金"
    assert document.lines.count() == 8
    assert "01 中央直达资金" in visible_text(page(client.get(response["Location"])))

    parent_page = page(client.get(reverse("allocations:document_detail", args=[notice_document.pk])))
    [urumqi_row] = [row for row in table_rows(parent_page) if row.cells[0] == "乌鲁木齐市" and len(row.cells) == 5]
    assert urumqi_row.cells[1:4] == ["8,294.00", "8,294.00", "0.00"]
    assert NUMBER in urumqi_row.cells[4]


def test_it_refuses_a_county_given_more_than_the_notice_gives_it_and_writes_nothing(officer_urumqi, notice_document, client_for):
    split = dict(URUMQI_SPLIT, 天山区="1206")  # 8300 in all

    response = client_for(officer_urumqi).post(_url(notice_document), _form(split))

    assert response.status_code == 200
    assert "天山区：上级文件分配 1200 万元，转下达 1206 万元。" in visible_text(page(response))
    _nothing_written()


def test_it_refuses_more_than_the_subtotal_of_a_prefecture_funded_as_a_whole(region_admin, notice_document, client_for):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    parent = lump_sum_document(notice_document.fund, urumqi, "8294")

    response = client_for(region_admin).post(_url(parent, urumqi), _form(dict(URUMQI_SPLIT, 天山区="1206")))

    assert response.status_code == 200
    assert f"乌鲁木齐市 转下达合计 8300 超过 {parent.number} 中的小计 8294。" in visible_text(page(response))
    _nothing_written()


def test_it_refuses_a_second_document_past_what_is_left(officer_urumqi, notice_document, client_for):
    client = client_for(officer_urumqi)
    client.post(_url(notice_document), _form(URUMQI_SPLIT))

    response = client.post(_url(notice_document), _form({"天山区": "1200"}, number="乌财社〔2023〕13号"))

    assert response.status_code == 200
    assert "天山区：已在 乌财社〔2023〕12号 中转下达，每个县（市、区）只能转下达一次。" in visible_text(page(response))
    assert not AllocationDocument.objects.filter(number="乌财社〔2023〕13号").exists()


def test_it_refuses_a_second_document_past_what_is_left_of_a_subtotal(region_admin, notice_document, client_for):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    parent = lump_sum_document(notice_document.fund, urumqi, "8294")
    client = client_for(region_admin)
    client.post(_url(parent, urumqi), _form(URUMQI_SPLIT))

    response = client.post(_url(parent, urumqi), _form({"天山区": "1"}, number="乌财社〔2023〕13号"))

    assert response.status_code == 200
    assert f"乌鲁木齐市 转下达合计 8295（其中已转下达 8294） 超过 {parent.number} 中的小计 8294。" in visible_text(page(response))
    assert not AllocationDocument.objects.filter(number="乌财社〔2023〕13号").exists()


def test_it_refuses_a_county_of_another_prefecture_posted_by_hand(officer_urumqi, notice_document, client_for):
    data = _form({"天山区": "1200"})
    data.update({f"amount_{pk}": "100" for pk in [County.objects.get(prefecture__name="喀什地区", name="莎车县").pk]})

    response = client_for(officer_urumqi).post(_url(notice_document), data)

    assert response.status_code == 200
    assert "喀什地区 莎车县 不属于 乌鲁木齐市" in visible_text(page(response))
    _nothing_written()


def test_it_refuses_an_unknown_county_id_posted_by_hand(officer_urumqi, notice_document, client_for):
    data = dict(_form({"天山区": "1200"}), amount_99999999="5")

    response = client_for(officer_urumqi).post(_url(notice_document), data)

    assert response.status_code == 200
    assert "未知的县（市、区）（编号 99999999）" in visible_text(page(response))
    _nothing_written()


def test_it_names_the_county_of_a_bad_amount(officer_urumqi, notice_document, client_for):
    response = client_for(officer_urumqi).post(_url(notice_document), _form({"天山区": "-5", "米东区": "abc"}))

    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {
        f"amount_{County.objects.get(name='天山区').pk}",
        f"amount_{County.objects.get(name='米东区').pk}",
    }
    _nothing_written()


def test_it_keeps_an_officer_to_their_own_prefecture(officer_kashgar, notice_document, client_for):
    client = client_for(officer_kashgar)
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")

    assert client.get(_url(notice_document, urumqi)).status_code == 404
    assert client.post(_url(notice_document, urumqi), _form(URUMQI_SPLIT)).status_code == 404
    # Their own form offers Kashgar's counties only.
    html = page(client.get(_url(notice_document)))
    assert "莎车县" in html and "天山区" not in html and "8,294" not in html
    _nothing_written()


def test_it_refuses_the_form_to_roles_that_do_not_reallocate(hr_reviewer, auditor, notice_document, client_for):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")

    for user in (hr_reviewer, auditor):
        client = client_for(user)
        assert client.get(_url(notice_document, urumqi)).status_code == 403
        assert client.post(_url(notice_document, urumqi), _form(URUMQI_SPLIT)).status_code == 403
    _nothing_written()


def test_it_lets_the_region_admin_pass_on_for_a_named_prefecture(region_admin, notice_document, client_for):
    kashgar = Prefecture.objects.get(name="喀什地区")
    client = client_for(region_admin)

    assert client.get(_url(notice_document)).status_code == 404  # which prefecture? none named
    response = client.post(_url(notice_document, kashgar), _form({"莎车县": "2169"}, prefecture="喀什地区", number="喀地财社〔2023〕5号"))

    assert response.status_code == 302
    assert AllocationDocument.objects.get(number="喀地财社〔2023〕5号").issuer == kashgar


@pytest.mark.parametrize("query", ["?prefecture=abc", "?prefecture=99999999999999999999999"])
def test_it_answers_a_mangled_prefecture_with_404(query, region_admin, notice_document, client_for):
    url = reverse("allocations:reallocation_create", args=[notice_document.pk]) + query

    assert client_for(region_admin).get(url).status_code == 404
