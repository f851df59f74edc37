"""The planning page: factor sheet in → preview with a chart against the last batch → a draft 附件1.

Region admins upload and confirm; auditors see the page and its rules, read
only; everyone else is refused (403). The preview carries the inputs back
signed (the files themselves, compressed), so the confirmation neither
trusts the browser nor keeps anything on the server between the two steps:
the plan is computed again from the same inputs, which gives the same
result, and only then written.
"""

import base64
import io
from decimal import Decimal

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.access import app_user_required, form_methods
from core.permissions import can_read_plans, is_region_admin
from core.refusals import ImportRefused
from core.safe_export import attachment_header
from planning import chart, explanation
from planning.adjustments import DEFAULT_GRADE_RATES, DEFAULT_UNSPENT_CUT, DEFAULT_UNSPENT_THRESHOLD
from planning.forms import PlanConfirmForm, PlanUploadForm
from planning.saving import default_title, save_plan
from planning.service import run

TEMPLATE = "planning/plan.html"
SALT = "planning.preview"
MAX_AGE = 60 * 60
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_reader(user):
    if not can_read_plans(user):
        raise PermissionDenied


def _require_planner(user):
    if not is_region_admin(user):
        raise PermissionDenied


def _rules_context():
    return {
        "grade_rates": "，".join(
            f"{_(grade)} {f'{(rate * 100).normalize():+f}%' if rate else '0'}" for grade, rate in DEFAULT_GRADE_RATES.items()
        ),
        "unspent_threshold": f"{(DEFAULT_UNSPENT_THRESHOLD * 100).normalize():f}%",
        "unspent_cut": f"{(DEFAULT_UNSPENT_CUT * 100).normalize():f}%",
    }


def _page(request, **context):
    return render(request, TEMPLATE, {"can_plan": is_region_admin(request.user), **_rules_context(), **context})


def _encode(data):
    return base64.b64encode(data).decode("ascii") if data is not None else None


def _payload(inputs):
    return signing.dumps(inputs, salt=SALT, compress=True)


def _inputs_from(payload):
    try:
        return signing.loads(payload, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ImportRefused(["预览已过期（超过1小时），请重新上传因素表。"]) from None
    except signing.BadSignature:
        raise ImportRefused(["预览数据无效，请重新上传因素表。"]) from None


def _run(inputs):
    factors = io.BytesIO(base64.b64decode(inputs["factors"]))
    deductions = io.BytesIO(base64.b64decode(inputs["deductions"])) if inputs.get("deductions") else None
    result = run(inputs["total"], factors, deductions, evaluation_year=inputs.get("year"))
    year = inputs["year"] + 1 if inputs.get("year") else clock.today().year
    title = inputs.get("title") or default_title(year, result.previous)
    return result, title


def _preview_rows(result):
    rows = []
    for p in result.plan.prefectures:
        last = result.previous_subtotals.get(p.name)
        rows.append({
            "plan": p,
            "percent": (p.share.share * 100).quantize(Decimal("0.0001")),
            "adjustment_total": sum((a.amount for a in p.adjusted.adjustments), Decimal(0)),
            "last": last,
            "change": None if last is None else Decimal(p.amount) - last,
        })
    return rows


@form_methods
@app_user_required
def plan_page(request):
    _require_reader(request.user)
    if request.method != "POST":
        return _page(request, form=PlanUploadForm() if is_region_admin(request.user) else None)
    _require_planner(request.user)
    form = PlanUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form)
    data = form.cleaned_data
    inputs = {
        "total": data["total"],
        "factors": _encode(data["factors"].read()),
        "deductions": _encode(data["deductions"].read()) if data["deductions"] else None,
        "year": data["evaluation_year"],
        "number": data["number"].strip(),
        "title": data["title"].strip(),
    }
    try:
        result, title = _run(inputs)
        # The same check the confirmation makes (an existing 文号, the 附件1 rules), rolled back.
        with transaction.atomic():
            save_plan(result.plan, inputs["number"], title)
            transaction.set_rollback(True)
    except ImportRefused as refused:
        return _page(request, form=form, errors=refused.errors)
    rows = _preview_rows(result)
    last_label = _("上批（%(number)s）") % {"number": result.previous.number} if result.previous else _("上批")
    return _page(
        request,
        form=form,
        result=result,
        rows=rows,
        number=inputs["number"],
        title=title,
        chart=chart.comparison([(r["plan"].name, r["plan"].amount, r["last"]) for r in rows], last_label),
        confirm_form=PlanConfirmForm(initial={"payload": _payload(inputs)}),
    )


def _confirmed_inputs(request):
    confirm = PlanConfirmForm(request.POST)
    if not confirm.is_valid():
        raise ImportRefused(["确认数据不完整，请重新上传因素表。"])
    return _inputs_from(confirm.cleaned_data["payload"])


def _confirmed(request, then):
    """Both confirmations: the signed inputs computed again and handed to then(request, inputs, result, title).

    A refusal, from the inputs or from then, sends the planner back to the upload form.
    """
    _require_planner(request.user)
    try:
        inputs = _confirmed_inputs(request)
        result, title = _run(inputs)
        return then(request, inputs, result, title)
    except ImportRefused as refused:
        return _page(request, form=PlanUploadForm(), errors=refused.errors, refused=True)


@require_POST
@app_user_required
def plan_confirm(request):
    return _confirmed(request, _saved)


def _saved(request, inputs, result, title):
    document = save_plan(result.plan, inputs["number"], title)
    messages.success(request, _("已生成草稿 %(number)s：%(count)s 个地（州、市），合计 %(total)s 万元。核对无误后在文件页下达。") % {
        "number": document.number, "count": len(result.plan.prefectures), "total": result.plan.total,
    })
    return redirect("allocations:document_detail", pk=document.pk)


@require_POST
@app_user_required
def plan_explanation(request):
    return _confirmed(request, _explanation)


def _explanation(_request, inputs, result, title):
    buffer = io.BytesIO()
    explanation.build(result.plan, inputs["number"], title).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(f"测算说明_{inputs['number']}.xlsx")
    return response
