"""转下达 by the service: what it inherits, the 小计 it stays within, and whose counties it may name.

Where the parent names counties the amounts follow it (test_reallocation_follows_allocation.py);
the 小计 rules are tried on a parent that funds 乌鲁木齐市 as a whole.
"""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from allocations.models import AllocationDocument, County, Fund, Prefecture
from allocations.reallocation import ProposedLine, create_reallocation, passed_on_by_prefecture
from tests.allocations.reallocation_helpers import IN_TIME, lump_sum_document

URUMQI_NUMBER = "乌财社〔2023〕12号"
LUMP_SUM = "测试〔2023〕50号"


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


def _county(prefecture_name, name):
    return County.objects.get(prefecture__name=prefecture_name, name=name)


@pytest.fixture
def lump_sum(notice_document, urumqi):
    """乌鲁木齐市's 8294 given as a 小计 only: the prefecture splits it among its counties."""
    return lump_sum_document(notice_document.fund, urumqi, "8294", number=LUMP_SUM)


def _pass_on(parent, issuer, *lines, number=URUMQI_NUMBER):
    proposed = [ProposedLine(_county(p, c), D(a)) for p, c, a in lines]
    return create_reallocation(parent, issuer, number, "关于转下达就业补助资金的通知", proposed, IN_TIME)


def test_it_passes_a_share_on_and_inherits_fund_and_mark(notice_document, urumqi):
    document = _pass_on(notice_document, urumqi, ("乌鲁木齐市", "天山区", "1200"), ("乌鲁木齐市", "米东区", "1500"))

    assert document.parent == notice_document
    assert document.issuer == urumqi
    assert document.fund == notice_document.fund
    assert document.direct_mark == "01 中央直达资金"
    assert document.declared_total == D("2700")
    assert document.reconciliation() == []
    assert passed_on_by_prefecture(notice_document) == {urumqi.pk: D("2700")}


def test_it_refuses_more_than_the_prefecture_subtotal(lump_sum, urumqi):
    with pytest.raises(ValidationError) as error:
        _pass_on(lump_sum, urumqi, ("乌鲁木齐市", "天山区", "8000"), ("乌鲁木齐市", "米东区", "295"))

    assert error.value.messages == [f"乌鲁木齐市 转下达合计 8295 超过 {LUMP_SUM} 中的小计 8294。"]
    assert not AllocationDocument.objects.filter(number=URUMQI_NUMBER).exists()


def test_it_counts_earlier_reallocations_against_the_share(lump_sum, urumqi):
    _pass_on(lump_sum, urumqi, ("乌鲁木齐市", "天山区", "8000"))

    with pytest.raises(ValidationError) as error:
        _pass_on(lump_sum, urumqi, ("乌鲁木齐市", "米东区", "300"), number="乌财社〔2023〕13号")

    assert error.value.messages == [f"乌鲁木齐市 转下达合计 8300（其中已转下达 8000） 超过 {LUMP_SUM} 中的小计 8294。"]
    assert AllocationDocument.objects.filter(parent=lump_sum).count() == 1


def test_it_allows_exactly_the_subtotal(lump_sum, urumqi):
    _pass_on(lump_sum, urumqi, ("乌鲁木齐市", "天山区", "8294"))
    assert passed_on_by_prefecture(lump_sum)[urumqi.pk] == D("8294")


def test_it_refuses_a_county_of_another_prefecture(notice_document, urumqi):
    with pytest.raises(ValidationError) as error:
        _pass_on(notice_document, urumqi, ("乌鲁木齐市", "天山区", "1200"), ("昌吉州", "高新区", "50"))

    assert error.value.messages == ["第2行：昌吉州 高新区 不属于 乌鲁木齐市，只能分配给本地（州、市）的县（市、区）。"]
    assert not AllocationDocument.objects.filter(number=URUMQI_NUMBER).exists()


def test_it_refuses_a_parent_that_is_not_issued(notice_document, urumqi):
    notice_document.status = "draft"
    notice_document.save()
    with pytest.raises(ValidationError, match="尚未下达"):
        _pass_on(notice_document, urumqi, ("乌鲁木齐市", "天山区", "1200"))


def test_it_keeps_the_mark_and_fund_of_the_parent_whatever_is_set(notice_document, urumqi):
    document = _pass_on(notice_document, urumqi, ("乌鲁木齐市", "天山区", "1200"))
    other_fund = Fund.objects.create(
        name="其他资金", income_code="1", income_subject="x", expenditure_code="2", expenditure_subject="y",
        economic_code="3", economic_subject="z",
    )

    document.fund = other_fund
    with pytest.raises(ValidationError, match="转下达文件的资金必须与上级文件 新财社〔2023〕74号 相同"):
        document.full_clean()

    document.direct_mark = "02 其他"
    document.save()
    document.refresh_from_db()
    assert (document.fund, document.direct_mark) == (notice_document.fund, "01 中央直达资金")


def test_it_refuses_a_line_added_later_for_another_prefecture(notice_document, urumqi):
    from allocations.models import AllocationLine

    document = _pass_on(notice_document, urumqi, ("乌鲁木齐市", "天山区", "1200"))
    line = AllocationLine(document=document, county=_county("喀什地区", "经开区"), amount=D("1"))

    with pytest.raises(ValidationError, match="喀什地区 经开区 不属于 乌鲁木齐市"):
        line.full_clean()
