from collections import Counter

from django.core.management import call_command

from targets.importing import TargetRow, check_targets
from targets.models import Indicator, Target, TargetTable


def test_it_loads_the_fifteen_tables_with_every_raw_value(reference_data):
    tables = TargetTable.objects.select_related("prefecture")
    assert tables.count() == 15
    assert Target.objects.count() == 386
    assert not Target.objects.filter(indicator__isnull=True).exists()
    region = tables.get(prefecture__isnull=True)
    assert (region.title, region.period_label, region.period, region.goal_heading) == (
        "自治区就业补助资金转移支付绩效目标表",
        "实施期",
        "2023年",
        "年度目标",
    )
    urumqi = tables.get(prefecture__name="乌鲁木齐市")
    assert (urumqi.finance_department, urumqi.local_department, urumqi.year_label) == (
        "乌鲁木齐市财政局",
        "乌鲁木齐市人社局",
        "(2023年度)",
    )
    assert urumqi.goal_text.startswith("目标1: 资金按规定用于职业培训补贴")


def test_it_does_not_invent_rows_a_prefecture_table_lacks(reference_data):
    rows = Counter(Target.objects.values_list("table__prefecture__name", flat=True))
    short = {name for name, count in rows.items() if count == 25}
    assert short == {"吐鲁番市", "阿克苏地区", "克州", "喀什地区"}
    lacking = TargetTable.objects.exclude(targets__indicator__code="JOB_SEEKING_SUBSIDY_ACCURACY")
    assert {t.prefecture.name for t in lacking} == short


def test_it_maps_different_wordings_to_one_indicator(reference_data):
    training = Indicator.objects.get(code="TRAINING_RECIPIENTS")
    assert Target.objects.get(table__prefecture__isnull=True, indicator=training).wording == "享受职业培训补贴人员数量"
    assert Target.objects.get(table__prefecture__name="乌鲁木齐市", indicator=training).wording == "享受职业技能培训补贴人员数量(万人次)"
    bases = Target.objects.get(table__prefecture__name="巴州", indicator__code="NATIONAL_TRAINING_BASES")
    assert bases.wording == "国家级高技能人才培养基地建设数量(个)"


def test_it_places_rows_by_the_catalogue_not_by_the_shifted_pdf_column(reference_data):
    # In 乌鲁木齐市's text this row sits beside the 时效指标 label.
    target = Target.objects.get(table__prefecture__name="乌鲁木齐市", indicator__code="JOB_SEEKING_SUBSIDY_ACCURACY")
    assert (target.indicator.level1, target.indicator.level2) == ("output", "quality")


def test_it_never_guesses_an_unknown_wording(reference_data):
    assert Indicator.objects.match("享受职业技能培训补贴人数(万人次)") is None
    checked = check_targets({"title": "t", "fund_name": "f", "authority": "a", "finance_department": "d", "goal_text": "g"}, [
        TargetRow(1, "享受职业技能培训补贴人数(万人次)", "12"),
        TargetRow(2, "城镇新增就业人数(人)", "100"),
    ])
    assert checked.ok
    assert checked.unmapped == ["享受职业技能培训补贴人数(万人次)"]


def test_it_reports_missing_values_and_duplicates_by_row(reference_data):
    checked = check_targets({"title": "t"}, [
        TargetRow(3, "城镇新增就业人数(人)", ""),
        TargetRow(4, "城镇新增就业人数(人)", "100"),
        TargetRow(5, "城镇新增就业人数", "200"),
    ])
    assert "第3行 城镇新增就业人数(人)：缺少指标值" in checked.errors
    assert "第5行 城镇新增就业人数：与第4行是同一指标" in checked.errors
    assert "表头：缺少资金名称" in checked.errors


def test_it_changes_nothing_on_a_second_run(reference_data, capsys):
    before = list(Target.objects.order_by("pk").values_list()), list(TargetTable.objects.order_by("pk").values_list())
    history = Target.history.count()
    call_command("load_reference_data")
    assert (list(Target.objects.order_by("pk").values_list()), list(TargetTable.objects.order_by("pk").values_list())) == before
    assert Target.history.count() == history
    assert "无变化 15 张" in capsys.readouterr().out
