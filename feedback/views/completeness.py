"""The completeness grid (prefectures × months) and the overdue list.

The states and the overdue rule are feedback.completeness's; these views add
only the links a user may follow: the report if it exists, otherwise the
"open" address for those who may create it, and nothing for readers.
"""

from collections import Counter
from datetime import date

from django.contrib import messages
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from allocations.models import Prefecture
from core import clock
from core.access import app_user_required
from core.listing import bad_format_message, export_table, listing_context, pagination, wanted_format
from core.permissions import can_review_feedback
from feedback import completeness
from feedback.filters import OverdueFilter
from feedback.tables import OverdueTable
from feedback.views.reports import may_create, report_open_url

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _link(prefecture, month, report, status, current_month, creatable):
    if report is not None:
        return reverse("feedback:report_detail", args=[report.pk])
    if status == completeness.NOT_REQUIRED or month > current_month or not creatable[prefecture.pk]:
        return ""
    return report_open_url(prefecture, month)


def _year(request, today):
    text = (request.GET.get("year") or "").strip()
    if not text:
        return today.year
    if text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    messages.error(request, gettext("年份“%(text_20)s”无效，已显示%(year)s年。") % {"text_20": text[:20], "year": today.year})
    return today.year


@require_safe
@app_user_required
def completeness_grid(request):
    user = request.user
    today = clock.today()
    current_month = completeness.first_of_month(today)
    year = _year(request, today)
    rows = completeness.grid(year, today, Prefecture.objects.visible_to(user))
    creatable = {prefecture.pk: may_create(user, prefecture) for prefecture, _ in rows}
    grid = [
        (
            prefecture,
            [
                {
                    "cell": cell,
                    "url": _link(prefecture, cell.month, cell.report, cell.status, current_month, creatable),
                }
                for cell in cells
            ],
        )
        for prefecture, cells in rows
    ]
    context = {
        "year": year,
        "today": today,
        "grid": grid,
        "months": range(1, 13),
        "legend": [(status, gettext(completeness.LABELS[status])) for status in completeness.LEGEND],
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "can_review": can_review_feedback(user),
        # Region-wide 附件3 downloads: months that have begun.
        "export_months": [f"{year}-{m:02d}" for m in range(1, 13) if date(year, m, 1) <= current_month],
    }
    return render(request, "feedback/completeness.html", context)


@require_safe
@app_user_required
def overdue_list(request):
    user = request.user
    today = clock.today()
    current_month = completeness.first_of_month(today)
    wanted = wanted_format(request)
    chosen = OverdueFilter(request.GET, queryset=Prefecture.objects.visible_to(user), request=request, today=today)
    prefectures = chosen.qs
    found = completeness.overdue(today, prefectures, chosen.chosen_year) if chosen.is_valid() else []
    counts = Counter(item.prefecture.pk for item in found)
    rows = [
        {
            "prefecture": item.prefecture,
            "prefecture_order": (item.prefecture.position, item.prefecture.name),
            "prefecture_count": counts[item.prefecture.pk],
            "month": item.month,
            "status": item.status,
            "label": item.label,
            "report": item.report,
            "due_date": item.due_date,
            "days_overdue": item.days_overdue,
            "url": "",
        }
        for item in found
    ]
    table = OverdueTable(rows)
    RequestConfig(request, paginate=False if wanted else pagination()).configure(table)
    if wanted:
        return export_table(table, wanted, gettext("逾期未报反馈表"), gettext("逾期未报"))
    # Links for the rows shown only: reversing one per overdue month took a second at 300 prefectures × 5 years.
    creatable = {}
    for row in table.page.object_list:
        record = row.record
        if record["prefecture"].pk not in creatable:
            creatable[record["prefecture"].pk] = may_create(user, record["prefecture"])
        record["url"] = _link(record["prefecture"], record["month"], record["report"], record["status"], current_month, creatable)
    context = {"table": table, "today": today, "filter": chosen}
    context.update(listing_context(table))
    if wanted is None:
        context["export_error"] = bad_format_message(request)
        return render(request, "feedback/overdue.html", context, status=400)
    return render(request, "feedback/overdue.html", context)


urlpatterns = [
    path("completeness/", completeness_grid, name="completeness"),
    path("overdue/", overdue_list, name="overdue"),
]
