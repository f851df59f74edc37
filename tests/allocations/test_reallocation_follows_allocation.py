"""转下达 follows 附件1: the county amounts of the regional document are the region's decision.

新财社〔2023〕74号 gives 乌鲁木齐市 8294, split among its eight counties
(URUMQI_SPLIT). A re-allocation copies that split, county by county; it may
pass the counties on in several documents, each county once and in full.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from allocations.issuing import issue
from allocations.models import AllocationDocument, AllocationLine, County, CountyKind, DocumentStatus, Prefecture
from allocations.reallocation import ProposedLine, create_reallocation, passed_on_by_prefecture
from tests.allocations.pages import page, visible_text
from tests.allocations.reallocation_helpers import IN_TIME, NOTICE_ISSUED_ON, lump_sum_document
from tests.allocations.test_reallocation_pages import URUMQI_SPLIT, _form, _url

NUMBER = "乌财社〔2023〕12号"
SECOND = "乌财社〔2023〕13号"
GUIDE = (
    "新财社〔2023〕74号 分配给 乌鲁木齐市 各县（市、区）的金额由自治区确定，转下达须逐县照抄，不能在县（市、区）之间调剂，"
    "也不能填 0：尚待转下达的有 {listed}（万元）。可分几个文件转下达，但每个县（市、区）须一次全额转下达。"
)
ALL_EIGHT = "天山区 1200、沙依巴克区 1834、高新区（新市区） 400、水磨沟区 2100、经开区（头屯河区） 1200、米东区 1500、达坂城区 50、乌鲁木齐县 10"


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


def _lines(split, prefecture="乌鲁木齐市"):
    return [ProposedLine(County.objects.get(prefecture__name=prefecture, name=name), D(amount)) for name, amount in split.items()]


def _pass_on(parent, issuer, split, number=NUMBER, issued_on=IN_TIME):
    return create_reallocation(parent, issuer, number, "关于转下达就业补助资金的通知", _lines(split), issued_on)


def _refusal(parent, issuer, split, **kwargs):
    with pytest.raises(ValidationError) as error:
        _pass_on(parent, issuer, split, **kwargs)
    assert not AllocationDocument.objects.filter(number=kwargs.get("number", NUMBER)).exists()
    return error.value.messages


def test_it_refuses_a_split_that_moves_money_between_counties_naming_each(notice_document, urumqi):
    messages = _refusal(notice_document, urumqi, {"天山区": "8000", "米东区": "294"})

    assert messages == [
        "天山区：上级文件分配 1200 万元，转下达 8000 万元。",
        "米东区：上级文件分配 1500 万元，转下达 294 万元。",
        GUIDE.format(listed=ALL_EIGHT),
    ]


def test_it_accepts_the_parents_eight_county_amounts(notice_document, urumqi):
    document = _pass_on(notice_document, urumqi, URUMQI_SPLIT)

    copied = {line.county.name: line.amount for line in document.lines.select_related("county")}
    assert copied == {name: D(amount) for name, amount in URUMQI_SPLIT.items()}
    assert document.declared_total == D("8294")
    issue(document)  # and the last gate, at 下达, lets it through
    assert AllocationDocument.objects.get(pk=document.pk).status == DocumentStatus.ISSUED


def test_it_refuses_a_county_line_of_zero(notice_document, urumqi):
    messages = _refusal(notice_document, urumqi, dict(URUMQI_SPLIT, 达坂城区="0"))

    assert messages[0] == "达坂城区：上级文件分配 50 万元，转下达 0 万元。"
    assert "也不能填 0" in messages[-1]


def test_it_refuses_a_county_the_parent_did_not_fund(notice_document, urumqi):
    County.objects.create(prefecture=urumqi, name="测试新区", kind=CountyKind.ZONE, position=99)

    messages = _refusal(notice_document, urumqi, {"天山区": "1200", "测试新区": "100"})

    assert messages[:-1] == ["测试新区：上级文件未分配，转下达 100 万元。"]


def test_it_lets_a_prefecture_pass_its_counties_on_in_several_documents(notice_document, urumqi):
    first = dict(list(URUMQI_SPLIT.items())[:2])
    rest = dict(list(URUMQI_SPLIT.items())[2:])

    _pass_on(notice_document, urumqi, first)
    _pass_on(notice_document, urumqi, rest, number=SECOND)

    assert passed_on_by_prefecture(notice_document) == {urumqi.pk: D("8294")}


def test_it_refuses_a_county_already_passed_on_in_an_earlier_document(notice_document, urumqi):
    _pass_on(notice_document, urumqi, {"天山区": "1200", "沙依巴克区": "1834"})

    messages = _refusal(notice_document, urumqi, {"天山区": "1200", "米东区": "1000"}, number=SECOND)

    # The guide lists only what is still due: 天山区 and 沙依巴克区 are done.
    assert messages == [
        "天山区：已在 乌财社〔2023〕12号 中转下达，每个县（市、区）只能转下达一次。",
        "米东区：上级文件分配 1500 万元，转下达 1000 万元。",
        GUIDE.format(listed="高新区（新市区） 400、水磨沟区 2100、经开区（头屯河区） 1200、米东区 1500、达坂城区 50、乌鲁木齐县 10"),
    ]


def test_it_lets_a_prefecture_funded_as_a_whole_distribute_freely(notice_document, urumqi):
    parent = lump_sum_document(notice_document.fund, urumqi, "8294")

    document = _pass_on(parent, urumqi, {"天山区": "8000", "米东区": "294"})

    assert document.declared_total == D("8294")


def test_it_refuses_a_reallocation_without_a_date(notice_document, urumqi):
    messages = _refusal(notice_document, urumqi, URUMQI_SPLIT, issued_on=None)

    assert messages == ["请填写发文日期：转下达文件须注明发文日期，是否按时转下达以此计算。"]


def test_it_refuses_a_date_before_the_parents(notice_document, urumqi):
    messages = _refusal(notice_document, urumqi, URUMQI_SPLIT, issued_on=date(2023, 6, 4))

    assert messages == ["发文日期 2023-06-04 早于上级文件 新财社〔2023〕74号 的发文日期 2023-06-05，转下达文件不能早于上级文件。"]


def test_it_accepts_the_parents_own_date(notice_document, urumqi):
    assert _pass_on(notice_document, urumqi, URUMQI_SPLIT, issued_on=NOTICE_ISSUED_ON).issued_on == NOTICE_ISSUED_ON


def test_it_refuses_to_issue_a_draft_changed_away_from_the_parent(notice_document, urumqi):
    # The admin edits drafts line by line; 下达 checks the whole document again.
    document = _pass_on(notice_document, urumqi, URUMQI_SPLIT)
    AllocationLine.objects.filter(document=document, county__name="天山区").update(amount=D("1300"))
    document.subtotals.update(declared_amount=D("8394"))
    AllocationDocument.objects.filter(pk=document.pk).update(declared_total=D("8394"))
    document.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        issue(document)

    assert error.value.messages[0] == "乌财社〔2023〕12号 不能下达：天山区：上级文件分配 1200 万元，转下达 1300 万元。"
    assert AllocationDocument.objects.get(pk=document.pk).status == DocumentStatus.DRAFT


def test_it_refuses_to_issue_a_draft_whose_date_was_removed(notice_document, urumqi):
    document = _pass_on(notice_document, urumqi, URUMQI_SPLIT)
    document.issued_on = None
    document.save()

    with pytest.raises(ValidationError) as error:
        issue(document)

    assert error.value.messages == ["乌财社〔2023〕12号 不能下达：请填写发文日期：转下达文件须注明发文日期，是否按时转下达以此计算。"]


def test_it_offers_the_parents_amounts_in_the_form(officer_urumqi, notice_document, urumqi, client_for):
    client = client_for(officer_urumqi)
    _pass_on(notice_document, urumqi, {"天山区": "1200"})

    form = client.get(_url(notice_document)).context["form"]

    initial = {county.name: form[f"amount_{county.pk}"].value() for county in form.counties}
    # 天山区 is passed on already: its input starts empty, and the page says where it went.
    assert initial == dict(URUMQI_SPLIT, 天山区=None)
    assert "已在 乌财社〔2023〕12号 中转下达" in visible_text(page(client.get(_url(notice_document))))


def test_it_refuses_the_done_when_split_in_the_form_naming_the_counties(officer_urumqi, notice_document, client_for):
    response = client_for(officer_urumqi).post(_url(notice_document), _form({"天山区": "8000", "米东区": "294"}))

    text = visible_text(page(response))
    assert response.status_code == 200
    assert "天山区：上级文件分配 1200 万元，转下达 8000 万元。" in text
    assert "米东区：上级文件分配 1500 万元，转下达 294 万元。" in text
    assert not AllocationDocument.objects.filter(parent=notice_document).exists()


def test_it_accepts_the_copied_split_from_the_form(officer_urumqi, notice_document, client_for):
    response = client_for(officer_urumqi).post(_url(notice_document), _form(URUMQI_SPLIT))

    assert response.status_code == 302
    assert AllocationDocument.objects.get(number=NUMBER).lines.count() == 8


@pytest.mark.parametrize(
    "issued_on, message",
    [("", "请填写发文日期。"), ("2023-06-01", "发文日期 2023-06-01 早于上级文件 新财社〔2023〕74号 的发文日期 2023-06-05")],
)
def test_it_refuses_the_form_without_a_date_or_dated_before_the_parent(issued_on, message, officer_urumqi, notice_document, client_for):
    response = client_for(officer_urumqi).post(_url(notice_document), dict(_form(URUMQI_SPLIT), issued_on=issued_on))

    assert response.status_code == 200
    assert message in visible_text(page(response))
    assert not AllocationDocument.objects.filter(parent=notice_document).exists()


def test_it_shows_the_reallocation_form_in_english(officer_urumqi, notice_document, client_for):
    from tests.core.test_language import data_strings, untranslated, visible_parts

    officer_urumqi.language = "en"
    officer_urumqi.save(update_fields=["language"])
    client = client_for(officer_urumqi)
    client.post(_url(notice_document), _form({"天山区": "1200"}))

    html = client.get(_url(notice_document)).content.decode()
    refused = client.post(_url(notice_document), _form({"米东区": "294"}, number=SECOND)).content.decode()

    data = data_strings()
    assert untranslated(visible_parts(html), data) == []
    assert untranslated(visible_parts(refused), data) == []
