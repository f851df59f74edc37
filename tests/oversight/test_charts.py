"""The server-drawn SVG charts (oversight.charts): geometry follows the numbers, text is escaped, edge cases draw."""

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from oversight.charts import bar_chart, heatmap, line_chart
from oversight.charts.heatmap import marks
from core.safe_export import safe_table_export

NS = {"svg": "http://www.w3.org/2000/svg"}
MONTHS = [f"{number}月" for number in range(1, 13)]
LEGEND = [
    ("missing", "未填报", "dash-status-missing"),
    ("not_due", "未到期", "dash-status-not_due"),
    ("accepted", "已审核通过", "dash-status-accepted"),
]


def notice_subtotals():
    path = Path(settings.BASE_DIR) / "fixtures" / "allocation_xincaishe_2023_74.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(row["prefecture"], Decimal(row["amount"])) for row in data["subtotals"]]


def parse(chart):
    return ET.fromstring(str(chart.svg))


def classes(element):
    return element.get("class", "").split()


def own_text(node):
    # A <text> may hold a <title> tooltip first; the drawn text is what is around it.
    return (node.text or "") + "".join(child.tail or "" for child in node)


def texts(root):
    return [own_text(node) for node in root.iter(f"{{{NS['svg']}}}text")]


def bars(root):
    return [rect for rect in root.iter(f"{{{NS['svg']}}}rect") if "chart-bar" in classes(rect)]


def test_it_draws_bar_lengths_proportional_to_the_values():
    items = notice_subtotals()
    root = parse(bar_chart(items, title="分配", unit="万元"))

    drawn = bars(root)
    assert len(drawn) == len(items) == 14
    widths = [Decimal(rect.get("width")) for rect in drawn]
    kashgar = dict(items)["喀什地区"]
    kashgar_width = widths[[label for label, _value in items].index("喀什地区")]
    for (label, value), width in zip(items, widths):
        # Widths are rounded to 0.01 user units in the markup.
        assert abs(width - value / kashgar * kashgar_width) < Decimal("0.05"), label
    # Bars start on the same axis.
    assert len({rect.get("x") for rect in drawn}) == 1


def test_it_prints_values_with_thousands_separators_at_the_bar_ends():
    root = parse(bar_chart(notice_subtotals(), title="分配", unit="万元"))

    printed = texts(root)
    assert "13,342" in printed and "8,294" in printed
    assert "13342" not in printed
    assert "单位：万元" in printed


def test_it_uses_the_given_value_format_and_fixes_the_scale_with_max_value():
    items = [("甲", Decimal("50")), ("乙", Decimal("25.5"))]
    root = parse(bar_chart(items, title="完成率", unit="%", value_format=lambda v: f"{v:.2f}%", max_value=Decimal("100")))

    assert "50.00%" in texts(root) and "25.50%" in texts(root)
    assert "100" in texts(root)  # the scale reaches 100 though no value does
    grid = [line for line in root.iter(f"{{{NS['svg']}}}line") if "chart-grid" in classes(line)]
    span = Decimal(grid[-1].get("x1")) - Decimal(grid[0].get("x1"))
    assert abs(Decimal(bars(root)[0].get("width")) - span / 2) < Decimal("0.05")


def test_it_marks_the_highlighted_bar():
    root = parse(bar_chart(notice_subtotals(), title="分配", highlight="喀什地区"))

    highlighted = [rect for rect in bars(root) if "chart-highlight" in classes(rect)]
    assert len(highlighted) == 1
    assert "喀什地区" in "".join(highlighted[0].itertext())


def test_it_escapes_labels_and_titles_from_the_data():
    evil = "<script>"
    chart = bar_chart([(evil, Decimal("1")), ('"&', Decimal("2"))], title='<b>"&</b>')
    svg = str(chart.svg)

    assert evil not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&quot;&amp;" in svg
    root = parse(chart)  # and still well-formed
    assert evil in texts(root) and '"&' in texts(root)
    assert root.find("svg:title", NS).text == '<b>"&</b>'

    grid = heatmap([evil], ['"&'], [["<x>"]], title="t", legend=[("<x>", "<y>", "c")])
    assert "<y>" not in str(grid.svg) and evil not in str(grid.svg)
    parse(grid)
    lines = line_chart(['"&'], [(evil, [Decimal("1")])], title="t", reference=("<r>", [Decimal("2")]))
    assert evil not in str(lines.svg) and "<r>" not in str(lines.svg)
    parse(lines)


def test_it_cuts_a_long_label_but_keeps_it_whole_in_the_tooltip():
    long_label = "中央财政就业补助资金（第二批）新财社〔2023〕74号<附件>"
    root = parse(bar_chart([(long_label, Decimal("66.67"))], title="t", unit="%"))

    (label,) = [node for node in root.iter(f"{{{NS['svg']}}}text") if "chart-label" in classes(node)]
    assert own_text(label).endswith("…") and len(own_text(label)) < len(long_label)
    assert label.find("svg:title", NS).text == long_label


def test_it_draws_a_readable_no_data_chart_for_empty_input():
    for chart in (
        bar_chart([], title="空"),
        bar_chart([("甲", None)], title="空"),
        line_chart([], [], title="空"),
        line_chart(MONTHS, [("全区", [None] * 12)], title="空"),
        heatmap([], MONTHS, [], title="空", legend=LEGEND),
    ):
        root = parse(chart)
        assert "无数据" in texts(root)
        assert root.get("role") == "img"


def test_it_leaves_a_none_value_without_a_bar_but_keeps_its_row():
    items = [("甲", Decimal("10")), ("乙", None), ("丙", Decimal("5"))]
    root = parse(bar_chart(items, title="t"))

    assert len(bars(root)) == 2
    assert "乙" in texts(root) and "—" in texts(root)


def test_it_breaks_the_line_at_gaps_and_draws_the_reference_dashed():
    values = [Decimal("5"), Decimal("10"), None, Decimal("30"), Decimal("40"), None]
    schedule = [Decimal(n) * 100 / 6 for n in range(1, 7)]
    root = parse(line_chart(MONTHS[:6], [("全区", values)], title="支出进度", unit="%", reference=("时间进度", schedule)))

    polylines = list(root.iter(f"{{{NS['svg']}}}polyline"))
    series = [p for p in polylines if "chart-line-1" in classes(p)]
    assert [len(p.get("points").split()) for p in series] == [2, 2]
    reference = [p for p in polylines if "chart-reference" in classes(p)]
    assert len(reference) == 1 and len(reference[0].get("points").split()) == 6
    assert reference[0].get("stroke-dasharray")
    assert not any(p.get("stroke-dasharray") for p in series)
    # The legend names both, the axis has 4–6 ticks.
    assert {"全区", "时间进度", "单位：%"} <= set(texts(root))
    ticks = [line for line in root.iter(f"{{{NS['svg']}}}line") if {"chart-grid", "chart-axis"} & set(classes(line))]
    assert 4 <= len(ticks) <= 6


def test_it_places_higher_values_higher_on_the_line_chart():
    root = parse(line_chart(MONTHS[:3], [("全区", [Decimal("10"), Decimal("50"), Decimal("30")])], title="t"))

    (points,) = [p.get("points").split() for p in root.iter(f"{{{NS['svg']}}}polyline")]
    ys = [Decimal(point.split(",")[1]) for point in points]
    assert ys[1] < ys[2] < ys[0]  # SVG's y grows downwards


def test_it_draws_one_heatmap_cell_per_row_and_column_with_its_class_and_title():
    rows = ["乌鲁木齐市", "喀什地区"]
    cells = [["accepted", "missing", None], ["not_due", "accepted", "missing"]]
    root = parse(heatmap(rows, MONTHS[:3], cells, title="填报情况", legend=LEGEND))

    groups = [g for g in root.iter(f"{{{NS['svg']}}}g") if "heat-cell" in classes(g)]
    assert len(groups) == 6
    css = {key: css_class for key, _label, css_class in LEGEND}
    labels = {key: label for key, label, _css in LEGEND}
    for index, group in enumerate(groups):
        row, column = divmod(index, 3)
        key = cells[row][column]
        title = group.find("svg:title", NS).text
        assert title.startswith(f"{rows[row]} · {MONTHS[column]}：")
        mark = "".join(group.find("svg:text", NS).itertext())
        assert mark  # not colour only
        if key is None:
            assert "heat-none" in classes(group) and title.endswith("无数据")
        else:
            assert f"heat-{key}" in classes(group)
            assert css[key] in classes(group.find("svg:rect", NS))
            assert title.endswith(labels[key])
    # Each status has its own mark, and the legend shows the marks beside the labels.
    marks = {}
    for group in groups:
        key = [c for c in classes(group) if c.startswith("heat-") and c != "heat-cell"][0]
        marks.setdefault(key, set()).add("".join(group.find("svg:text", NS).itertext()))
    assert all(len(found) == 1 for found in marks.values())
    assert len({next(iter(found)) for found in marks.values()}) == len(marks)
    assert {"未填报", "未到期", "已审核通过"} <= set(texts(root))


def test_it_returns_the_drawn_numbers_as_the_table():
    items = notice_subtotals()
    chart = bar_chart(items, title="分配", unit="万元")
    headers, rows = chart.table
    assert len(headers) == 2 and "万元" in headers[1]
    assert rows == [[label, value] for label, value in items]

    values = [Decimal("5"), None, Decimal("30")]
    schedule = [Decimal("8.33"), Decimal("16.67"), Decimal("25.00")]
    headers, rows = line_chart(MONTHS[:3], [("全区", values)], title="t", reference=("时间进度", schedule)).table
    assert headers[1:] == MONTHS[:3]
    assert rows == [["时间进度"] + schedule, ["全区"] + values]

    headers, rows = heatmap(["甲"], MONTHS[:2], [["missing", None]], title="t", legend=LEGEND).table
    assert headers[1:] == MONTHS[:2]
    assert rows == [["甲", "未填报", ""]]


def test_it_exports_the_table_with_safe_table_export():
    headers, rows = bar_chart(notice_subtotals(), title="分配", unit="万元").table
    response = safe_table_export(headers, rows, "csv", "allocation")

    body = response.content.decode("utf-8-sig")
    assert "喀什地区,13342" in body


def test_it_makes_well_formed_scalable_svg_with_an_accessible_name():
    charts = [
        bar_chart(notice_subtotals(), title="分配", unit="万元"),
        line_chart(MONTHS, [("全区", [Decimal(n) for n in range(12)])], title="进度", unit="%"),
        heatmap(["甲", "乙"], MONTHS, [["missing"] * 12, ["accepted"] * 12], title="填报", legend=LEGEND),
    ]
    for chart in charts:
        root = parse(chart)
        assert root.tag == f"{{{NS['svg']}}}svg"
        assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 ")
        assert root.get("role") == "img"
        title_id, desc_id = root.get("aria-labelledby").split()
        assert root.find("svg:title", NS).get("id") == title_id and root.find("svg:title", NS).text == chart.title
        assert root.find("svg:desc", NS).get("id") == desc_id and root.find("svg:desc", NS).text
        assert "<script" not in str(chart.svg) and " style=" not in str(chart.svg)
    # More bars, a taller chart.
    short = parse(bar_chart(notice_subtotals()[:3], title="分配"))
    tall = parse(bar_chart(notice_subtotals(), title="分配"))
    assert Decimal(tall.get("viewBox").split()[3]) > Decimal(short.get("viewBox").split()[3])


def test_it_prints_no_float_artefacts():
    items = [("甲", Decimal("0.1") + Decimal("0.2")), ("乙", Decimal("1234567.891"))]
    printed = texts(parse(bar_chart(items, title="t")))

    assert "0.3" in printed and "1,234,567.891" in printed
    assert not any("e-" in text or "000000" in text for text in printed)


def test_it_gives_labels_that_share_initials_distinct_marks():
    # English: "Not required" and "Not reported" both read "NR" before (issue 14.9).
    english = ["Not required", "Not due", "Not reported", "Draft", "Returned", "Submitted late", "Submitted on time", "Accepted"]
    found = marks(english)
    assert len(set(found)) == len(english)
    assert found[0] != found[2] and all(mark.startswith("NR") for mark in (found[0], found[2]))
    chinese = ["无需填报", "未到期", "未填报", "草稿未提交", "已退回", "逾期提交", "按时提交", "已审核通过"]
    assert len(set(marks(chinese))) == len(chinese)
