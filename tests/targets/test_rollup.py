"""The roll-up check on the notice's 15 tables: do the prefectures add up to the region?"""

from decimal import Decimal

import pytest

from targets.models import Target, TargetTable
from allocations.money import plain
from targets.rollup import NoRegionalTable, RollupVerdict, Unmapped, rollup

TRAINING = "享受职业技能培训补贴人员数量"
NEW_JOBS = "城镇新增就业人数"
SOCIAL_INSURANCE = "享受社会保险补贴人员数量"
TRAINING_ACCURACY = "职业培训补贴发放准确率"
UNEMPLOYMENT = "城镇调查失业率"
TRAINING_BASES = "国家级高技能人才培训基地建设数量"
JOB_SEEKING_ACCURACY = "求职创业补贴发放准确率"
NOTICE_MISSING_JOB_SEEKING = ["吐鲁番市", "阿克苏地区", "克州", "喀什地区"]


def _line(document, name):
    return next(line for line in rollup(document).lines if line.indicator.name == name)


def _target(document, scope, name):
    tables = {"table__prefecture__isnull": True} if scope == "自治区" else {"table__prefecture__name": scope}
    return Target.objects.get(table__document=document, indicator__name=name, **tables)


def _set(document, scope, name, raw_value):
    target = _target(document, scope, name)
    target.raw_value = raw_value
    target.save()


def test_it_finds_the_training_targets_add_up_to_more_than_the_region(notice_document):
    line = _line(notice_document, TRAINING)

    assert line.region_target == "超过80万人次"
    assert line.region_base == Decimal(800000)
    assert line.prefecture_sum == Decimal(1500000)
    assert (line.prefecture_sum_text, line.unit) == ("1500000", "人次")
    assert line.verdict == RollupVerdict.CONSISTENT
    assert line.shortfall is None


def test_it_counts_a_sum_exactly_at_the_region_target_as_reached(notice_document):
    # 超过38万 is split into prefecture targets adding up to exactly 380,000.
    line = _line(notice_document, NEW_JOBS)

    assert (line.prefecture_sum_text, line.unit, line.region_target) == ("380000", "人", "超过38万人")
    assert line.verdict == RollupVerdict.CONSISTENT


def test_it_sums_social_insurance_recipients(notice_document):
    line = _line(notice_document, SOCIAL_INSURANCE)

    assert (line.prefecture_sum, line.region_base) == (Decimal(227750), Decimal(220000))
    assert line.verdict == RollupVerdict.CONSISTENT


def test_it_reports_a_sum_shortfall_with_the_amount_short(notice_document):
    _set(notice_document, "乌鲁木齐市", NEW_JOBS, "100000")

    line = _line(notice_document, NEW_JOBS)

    assert line.prefecture_sum == Decimal(377000)
    assert line.verdict == RollupVerdict.SHORTFALL
    assert line.shortfall_text == "3000"


def test_it_sums_decimal_ten_thousands_without_rounding(notice_document):
    _set(notice_document, "喀什地区", TRAINING, "0.05")  # was 34.3 万人次

    line = _line(notice_document, TRAINING)

    assert line.prefecture_sum_text == "1157500"
    assert line.verdict == RollupVerdict.CONSISTENT


def test_it_names_a_prefecture_promising_a_lower_rate_than_the_region(notice_document):
    _set(notice_document, "乌鲁木齐市", TRAINING_ACCURACY, "≥97%")
    _set(notice_document, "伊犁州", TRAINING_ACCURACY, "≥99%")  # stricter than the region: fine

    line = _line(notice_document, TRAINING_ACCURACY)

    assert line.verdict == RollupVerdict.SHORTFALL
    assert [(item.prefecture, item.raw_value) for item in line.weaker] == [("乌鲁木齐市", "≥97%")]
    assert line.prefecture_sum is None


@pytest.mark.parametrize(
    "raw_value, verdict, weaker",
    [
        ("6%以内", RollupVerdict.SHORTFALL, ["喀什地区"]),
        ("5%以内", RollupVerdict.CONSISTENT, []),
        ("5.5%以内", RollupVerdict.CONSISTENT, []),
    ],
)
def test_it_reads_a_lower_is_better_rate_from_its_side(notice_document, raw_value, verdict, weaker):
    _set(notice_document, "喀什地区", UNEMPLOYMENT, raw_value)

    line = _line(notice_document, UNEMPLOYMENT)

    assert line.region_base_text == "5.5"
    assert line.verdict == verdict
    assert [item.prefecture for item in line.weaker] == weaker


def test_it_cannot_check_a_sum_when_every_prefecture_wrote_text(notice_document):
    line = _line(notice_document, TRAINING_BASES)

    assert line.region_target == "5个"
    assert line.verdict == RollupVerdict.NOT_CHECKABLE
    assert line.prefecture_sum is None
    assert "以自治区最终评审文件为准" in line.note


def test_it_cannot_check_a_text_regional_target(notice_document):
    _set(notice_document, "自治区", TRAINING, "以实际培训人数为准")

    line = _line(notice_document, TRAINING)

    assert line.verdict == RollupVerdict.NOT_CHECKABLE
    assert line.prefecture_sum is None
    assert line.note == "自治区指标值为文字，无法核对"


def test_it_cannot_check_an_indicator_whose_rule_says_so(notice_document):
    line = _line(notice_document, "年末高校毕业生总体就业率")

    assert line.verdict == RollupVerdict.NOT_CHECKABLE
    assert line.region_target == "保持稳定"


def test_it_leaves_out_text_prefecture_values_and_names_them(notice_document):
    _set(notice_document, "乌鲁木齐市", TRAINING, "按实际完成")
    _set(notice_document, "伊犁州", TRAINING_ACCURACY, "按规定发放")

    training = _line(notice_document, TRAINING)
    accuracy = _line(notice_document, TRAINING_ACCURACY)

    assert training.prefecture_sum == Decimal(1377000)
    assert training.verdict == RollupVerdict.CONSISTENT
    assert "乌鲁木齐市" in training.note
    assert accuracy.verdict == RollupVerdict.CONSISTENT
    assert "伊犁州" in accuracy.note


def test_it_leaves_out_a_value_in_another_unit(notice_document):
    _set(notice_document, "乌鲁木齐市", NEW_JOBS, "10万人次")

    line = _line(notice_document, NEW_JOBS)

    assert line.prefecture_sum == Decimal(277000)
    assert line.verdict == RollupVerdict.SHORTFALL
    assert "乌鲁木齐市（10万人次）" in line.note


def test_it_finds_the_prefectures_missing_the_job_seeking_accuracy_row(notice_document):
    line = _line(notice_document, JOB_SEEKING_ACCURACY)

    assert line.missing_in == NOTICE_MISSING_JOB_SEEKING
    # Four tables lack the row: the rest agreeing does not make the total settled (issue 13.5).
    assert line.verdict == RollupVerdict.INCOMPLETE
    assert "缺少此指标：吐鲁番市、阿克苏地区、克州、喀什地区" in line.note
    others = [line for line in rollup(notice_document).lines if line.indicator.name != JOB_SEEKING_ACCURACY]
    assert all(line.missing_in == [] for line in others)


def test_it_derives_the_missing_prefectures_from_the_tables(notice_document):
    _target(notice_document, "和田地区", JOB_SEEKING_ACCURACY).delete()
    _target(notice_document, "伊犁州", NEW_JOBS).delete()

    assert _line(notice_document, JOB_SEEKING_ACCURACY).missing_in == NOTICE_MISSING_JOB_SEEKING + ["和田地区"]
    new_jobs = _line(notice_document, NEW_JOBS)
    assert new_jobs.missing_in == ["伊犁州"]
    assert new_jobs.prefecture_sum == Decimal(345000)
    assert new_jobs.shortfall == Decimal(35000)


def test_it_reports_a_prefecture_without_a_table_apart_from_missing_rows(notice_document):
    TargetTable.objects.get(document=notice_document, prefecture__name="和田地区").delete()

    result = rollup(notice_document)

    assert result.without_table == ["和田地区"]
    assert all("和田地区" not in line.missing_in for line in result.lines)
    assert _line(notice_document, TRAINING).prefecture_sum == Decimal(1305000)


def test_it_lists_an_unmapped_wording_and_does_not_count_it(notice_document):
    target = _target(notice_document, "喀什地区", TRAINING)
    target.indicator = None
    target.wording = "技能培训人次(万人次)"
    target.save()

    result = rollup(notice_document)
    training = next(line for line in result.lines if line.indicator.name == TRAINING)

    assert result.unmapped == [Unmapped("喀什地区", "技能培训人次(万人次)", "34.3")]
    assert training.prefecture_sum == Decimal(1157000)
    assert training.missing_in == ["喀什地区"]


def test_it_lists_an_indicator_the_region_table_lacks(notice_document):
    _target(notice_document, "自治区", NEW_JOBS).delete()

    result = rollup(notice_document)

    assert NEW_JOBS not in [line.indicator.name for line in result.lines]
    assert result.not_in_region[0][0] == NEW_JOBS
    assert len(result.not_in_region[0][1]) == 14


def test_it_refuses_a_document_without_a_regional_table(notice_document):
    TargetTable.objects.get(document=notice_document, prefecture__isnull=True).delete()

    with pytest.raises(NoRegionalTable, match="没有自治区绩效目标表"):
        rollup(notice_document)


def test_it_reads_everything_in_two_queries(notice_document, django_assert_num_queries):
    # The document's targets with indicator and table; the prefectures with a has-table flag.
    with django_assert_num_queries(2):
        result = rollup(notice_document)

    assert len(result.lines) == 26


@pytest.mark.parametrize(
    "number, text",
    [("1500000.0000", "1500000"), ("5.5000", "5.5"), ("1E+6", "1000000"), ("0.0500", "0.05"), ("0", "0")],
)
def test_it_writes_base_numbers_plainly(number, text):
    assert plain(Decimal(number)) == text
