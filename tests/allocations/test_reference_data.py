from decimal import Decimal

from django.core.management import call_command

from allocations.models import AllocationDocument, AllocationLine, County, Fund, Prefecture, PrefectureSubtotal

NOTICE = "新财社〔2023〕74号"


def _snapshot():
    return (
        list(Prefecture.objects.values_list("pk", "name", "position")),
        list(County.objects.values_list("pk", "prefecture_id", "name", "kind", "position")),
        list(Fund.objects.values_list()),
        list(AllocationDocument.objects.values_list()),
        list(AllocationLine.objects.order_by("pk").values_list()),
        list(PrefectureSubtotal.objects.order_by("pk").values_list()),
    )


def test_it_loads_the_regions_the_fund_and_the_notice(notice_document):
    assert Prefecture.objects.count() == 14
    assert County.objects.count() == 100
    assert notice_document.lines.count() == 100
    assert notice_document.declared_total == Decimal("72988")
    assert notice_document.lines_total() == Decimal("72988")
    assert notice_document.status == "issued"
    assert notice_document.basis == "财社〔2023〕42号"
    fund = notice_document.fund
    assert (fund.name, fund.income_code, fund.expenditure_code, fund.economic_code) == (
        "就业补助资金",
        "1100248",
        "20807",
        "51301",
    )
    assert notice_document.direct_mark == "01 中央直达资金"
    items = dict(fund.expenditure_items.values_list("code", "name"))
    assert items["2080702"] == "职业培训补贴"
    assert all(code.startswith("20807") for code in items)


def test_it_keeps_the_fourteen_subtotals_in_the_notice_order(notice_document):
    subtotals = [(s.prefecture.name, s.declared_amount) for s in notice_document.subtotals.select_related("prefecture")]
    assert subtotals[0] == ("乌鲁木齐市", Decimal("8294"))
    assert subtotals[-1] == ("和田地区", Decimal("7908"))
    assert len(subtotals) == 14
    assert dict(subtotals)["喀什地区"] == Decimal("13342")


def test_it_keeps_counties_with_the_same_name_apart(notice_document):
    lines = {(line.county.prefecture.name, line.county.name): line.amount for line in notice_document.lines.select_related("county__prefecture")}
    assert lines[("昌吉州", "高新区")] == Decimal("50")
    assert lines[("喀什地区", "经开区")] == Decimal("400")
    assert lines[("乌鲁木齐市", "高新区（新市区）")] == Decimal("400")
    assert lines[("乌鲁木齐市", "经开区（头屯河区）")] == Decimal("1200")
    assert ("乌鲁木齐市", "高新区") not in lines


def test_it_sorts_counties_into_kinds(reference_data):
    kinds = {c.name: c.kind for c in County.objects.filter(prefecture__name__in=["伊犁州", "塔城地区", "阿克苏地区", "哈密市", "和田地区"])}
    assert kinds["州本级"] == "own_level"
    assert kinds["塔城地区本级"] == "own_level"
    assert kinds["阿克苏纺织工业城"] == "zone"
    assert kinds["伊州区"] == "district"
    assert kinds["墨玉县"] == "county"
    assert kinds["和田市"] == "city"


def test_it_changes_nothing_on_a_second_run(reference_data, capsys):
    before = _snapshot()
    call_command("load_reference_data")
    assert _snapshot() == before
    assert "无变化" in capsys.readouterr().out
