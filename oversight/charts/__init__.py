"""Server-drawn SVG charts (issue 6): no JavaScript, no chart library.

Each function returns a Chart: .svg (safe markup, styled by static/css/charts.css),
.title, and .table = (headers, rows) with the same numbers, so a page can show
the data beside the chart and export it with core.safe_export.safe_table_export.
"""

from oversight.charts.bar import bar_chart
from oversight.charts.heatmap import heatmap
from oversight.charts.line import line_chart
from oversight.charts.svg import Chart

__all__ = ["Chart", "bar_chart", "heatmap", "line_chart"]
