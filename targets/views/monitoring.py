"""双监控 pages: one table's targets with their 6月/12月 actuals and the form to record
them, and the region's attainment grid of one document.

The rules are in targets.monitoring; a refused save comes back with every
row's message next to its input and nothing written.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_safe

from allocations.models import AllocationDocument
from allocations.money import plain
from allocations.timeliness import passed_on_in_time
from core.access import app_user_required, form_methods, region_wide_required
from core.permissions import can_record_actuals
from targets.forms import ActualsForm
from targets.models import Checkpoint, TargetTable, Verdict
from targets.monitoring import COUNT_KEYS, NO_ACTUAL, attainment, record_actuals
from targets.values import UNIT_LABELS

COUNT_LABELS = {**{v.value: v.label for v in Verdict}, NO_ACTUAL: gettext_lazy("未填报")}


def _checkpoint_url(table, checkpoint):
    return f"{reverse('targets:monitoring', args=[table.pk])}?checkpoint={checkpoint}"


def _counts(targets, actuals):
    counts = dict.fromkeys(COUNT_KEYS, 0)
    for target in targets:
        latest = actuals.get((target.pk, Checkpoint.YEAR_END)) or actuals.get((target.pk, Checkpoint.MID_YEAR))
        counts[latest.verdict if latest else NO_ACTUAL] += 1
    return [(COUNT_LABELS[key], key, n) for key, n in counts.items()]


@form_methods
@app_user_required
def monitoring_page(request, pk):
    user = request.user
    table = get_object_or_404(TargetTable.objects.visible_to(user).for_table(), pk=pk)
    can_record = can_record_actuals(user, table)
    posted = request.method == "POST"
    if posted and not can_record:
        raise PermissionDenied
    checkpoint = (request.POST if posted else request.GET).get("checkpoint") or Checkpoint.MID_YEAR
    if checkpoint not in Checkpoint.values:
        messages.error(request, _("监控时点只能是6月（年中）或12月（年末）。"))
        return redirect(_checkpoint_url(table, Checkpoint.MID_YEAR))
    if posted and not table.accepts_actuals:
        messages.error(request, _("该表当前状态为“%(get_status_display)s”，审核通过后才能填报实际完成值。") % {
            "get_status_display": table.get_status_display(),
        })
        return redirect(_checkpoint_url(table, checkpoint))

    targets = list(table.targets.select_related("indicator").prefetch_related("actuals").order_by("position"))
    actuals = {(a.target_id, a.checkpoint): a for target in targets for a in target.actuals.all()}
    form = None
    if can_record and table.accepts_actuals:
        existing = {t.pk: actuals[(t.pk, checkpoint)] for t in targets if (t.pk, checkpoint) in actuals}
        form = ActualsForm(request.POST if posted else None, targets=targets, checkpoint=checkpoint, existing=existing)
    if posted and form.is_valid():
        try:
            saved = record_actuals(table, checkpoint, form.entries(), user)
        except ValidationError as refused:
            form.add_refusals(refused)
        else:
            label = Checkpoint(checkpoint).label
            if saved:
                messages.success(request, _("已保存%(len)s项%(label)s实际完成值。") % {"len": len(saved), "label": label})
            else:
                messages.info(request, _("%(label)s实际完成值没有改动。") % {"label": label})
            return redirect(_checkpoint_url(table, checkpoint))

    computed = _computed_actuals(table, targets)
    rows = [
        {
            "target": target,
            "mid": actuals.get((target.pk, Checkpoint.MID_YEAR)),
            "end": actuals.get((target.pk, Checkpoint.YEAR_END)),
            "inputs": form.row(target) if form else None,
            # A figure typed without a unit is read in this one.
            "unit": UNIT_LABELS.get(target.unit, target.unit),
            "computed": computed.get(target.pk),
        }
        for target in targets
    ]
    context = {
        "table": table,
        "rows": rows,
        "form": form,
        "checkpoint": checkpoint,
        "checkpoint_label": Checkpoint(checkpoint).label,
        "mid_year": checkpoint == Checkpoint.MID_YEAR,
        "checkpoints": [(c.value, c.label, _checkpoint_url(table, c.value)) for c in Checkpoint],
        "counts": _counts(targets, actuals),
        "can_record": can_record,
        "errors": form.all_errors() if form is not None and form.is_bound else [],
    }
    return render(request, "targets/monitoring.html", context)


# Indicators the app can measure itself: the figure is shown beside the input as the reference.
FUNDS_ISSUED_ON_TIME = "FUNDS_ISSUED_ON_TIME"  # 资金在规定时间内下达率


def _computed_actuals(table, targets):
    """{target pk: "98.50%"}: 资金在规定时间内下达率 from the 转下达 records (allocations.timeliness)."""
    timely = [t for t in targets if t.indicator_id and t.indicator.code == FUNDS_ISSUED_ON_TIME]
    if not timely or table.prefecture_id is None:
        return {}
    share = passed_on_in_time(table.document).get(table.prefecture_id)
    return {} if share is None else {t.pk: f"{plain(share)}%" for t in timely}


@require_safe
@region_wide_required
def attainment_page(request, document_pk):
    document = get_object_or_404(AllocationDocument.objects.visible_to(request.user), pk=document_pk)
    summary = attainment(document)
    grid = [
        (name, [row.cells[i] for row in summary.rows]) for i, (_pk, name) in enumerate(summary.indicators)
    ]
    counts = [
        (COUNT_LABELS[key], key, [row.counts[key] for row in summary.rows], summary.totals[key]) for key in COUNT_KEYS
    ]
    context = {"document": document, "summary": summary, "grid": grid, "counts": counts}
    return render(request, "targets/monitoring_attainment.html", context)


urlpatterns = [
    path("tables/<int:pk>/monitoring/", monitoring_page, name="monitoring"),
    path("<int:document_pk>/attainment/", attainment_page, name="attainment"),
]
