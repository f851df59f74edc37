import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from targets.management.commands.rollup_targets import Command
from targets.models import Target, TargetTable

NUMBER = "新财社〔2023〕74号"


def _run(*args):
    out = io.StringIO()
    call_command("rollup_targets", *args, stdout=out)
    return out.getvalue()


def _csv(*args):
    return list(csv.reader(io.StringIO(_run(NUMBER, "--format", "csv", *args))))


def _region_target(document, name):
    return Target.objects.get(table__document=document, table__prefecture__isnull=True, indicator__name=name)


def test_it_writes_the_csv_header_and_one_row_per_regional_indicator(notice_document):
    rows = _csv()

    assert rows[0] == ["indicator", "region_target", "prefecture_sum", "unit", "verdict", "missing_in"]
    assert len(rows) == 1 + 26
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["享受职业技能培训补贴人员数量"] == ["享受职业技能培训补贴人员数量", "超过80万人次", "1500000", "人次", "consistent", ""]
    assert by_name["城镇新增就业人数"] == ["城镇新增就业人数", "超过38万人", "380000", "人", "consistent", ""]
    assert by_name["享受社会保险补贴人员数量"][2:5] == ["227750", "人", "consistent"]
    assert by_name["城镇调查失业率"] == ["城镇调查失业率", "5.5%以内", "", "%", "consistent", ""]
    assert by_name["国家级高技能人才培训基地建设数量"][1:5] == ["5个", "", "个", "not_checkable"]
    assert by_name["求职创业补贴发放准确率"][5] == "吐鲁番市;阿克苏地区;克州;喀什地区"


def test_it_writes_a_shortfall_into_the_csv(notice_document):
    target = Target.objects.get(table__prefecture__name="乌鲁木齐市", indicator__name="城镇新增就业人数")
    target.raw_value = "100000"
    target.save()

    row = next(row for row in _csv() if row[0] == "城镇新增就业人数")

    assert row[2:5] == ["377000", "人", "shortfall"]


def test_it_neutralises_a_formula_in_a_csv_cell(notice_document):
    target = _region_target(notice_document, "年末高校毕业生总体就业率")
    target.raw_value = "=HYPERLINK(\"http://x\")"
    target.save()

    row = next(row for row in _csv() if row[0] == "年末高校毕业生总体就业率")

    assert row[1] == "'=HYPERLINK(\"http://x\")"


def test_it_prints_a_readable_chinese_table_by_default(notice_document):
    target = Target.objects.get(table__prefecture__name="乌鲁木齐市", indicator__name="城镇新增就业人数")
    target.raw_value = "100000"
    target.save()

    text = _run(NUMBER)
    lines = text.splitlines()

    assert lines[0] == f"{NUMBER} 绩效目标汇总核对（自治区目标表与各地（州、市）目标表）"
    assert lines[1] == "一致 19 项　不足 1 项　不完整 1 项　不可核对 5 项"
    assert lines[3].split() == ["序号", "结论", "各地合计", "单位", "自治区目标", "三级指标"]
    training = next(line for line in lines if line.endswith("享受职业技能培训补贴人员数量"))
    assert training.split() == ["1", "一致", "1500000", "人次", "超过80万人次", "享受职业技能培训补贴人员数量"]
    assert "缺口：3000 人" in text
    assert "缺少此指标：吐鲁番市、阿克苏地区、克州、喀什地区" in text


def test_it_lists_unmapped_wordings_and_prefectures_without_a_table_in_text(notice_document):
    TargetTable.objects.get(document=notice_document, prefecture__name="和田地区").delete()
    target = Target.objects.get(table__prefecture__name="喀什地区", indicator__name="城镇新增就业人数")
    target.indicator = None
    target.wording = "新增城镇就业(人)"
    target.save()

    text = _run(NUMBER)

    assert "没有绩效目标表的地（州、市）：和田地区" in text
    assert "喀什地区：新增城镇就业(人)＝80000" in text


def test_it_refuses_an_unknown_document_number(reference_data):
    with pytest.raises(CommandError, match="找不到文号为 新财社〔2099〕1号 的分配文件。"):
        _run("新财社〔2099〕1号")


def test_it_exits_non_zero_without_a_traceback(reference_data, capsys):
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "rollup_targets", "新财社〔2099〕1号"])

    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert "找不到文号为 新财社〔2099〕1号 的分配文件。" in err
    assert "Traceback" not in err


def test_it_refuses_a_document_without_a_regional_table(notice_document):
    TargetTable.objects.get(document=notice_document, prefecture__isnull=True).delete()

    with pytest.raises(CommandError, match="没有自治区绩效目标表"):
        _run(NUMBER, "--format", "csv")


def test_it_refuses_an_unknown_format(notice_document):
    with pytest.raises(CommandError, match="不支持的输出格式“xlsx”，只能是 text 或 csv。"):
        _run(NUMBER, "--format", "xlsx")


def test_it_says_incomplete_where_some_prefecture_tables_lack_the_indicator(reference_data, capsys):
    call_command("rollup_targets", "新财社〔2023〕74号", "--format", "csv")
    rows = {row["indicator"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    wanted = rows["求职创业补贴发放准确率"]
    assert wanted["verdict"] == "incomplete"
    assert wanted["missing_in"].split(";") == ["吐鲁番市", "阿克苏地区", "克州", "喀什地区"]
    # A row every prefecture has stays consistent.
    assert rows["就业见习补贴发放准确率"]["verdict"] == "consistent"
