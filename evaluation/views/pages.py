"""The evaluation queue, a prefecture's evaluation with every score and its inputs, the review's actions, the 自评表.

The rules are in evaluation.workflow; these views gather the input, show the
refusals as messages and go back to the evaluation's page. Every query is
narrowed to what the user may see: another prefecture's evaluation is a 404
from the query itself. Auditors read everything and change nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.access import AppUserRequiredMixin, app_user_required
from core.listing import ExportableListMixin
from core.safe_export import XLSX_TYPE, attachment_header
from core.steps import form_errors, post_step, refusals, status_history
from evaluation import workflow
from evaluation.filters import EvaluationFilter
from evaluation.forms import BuildForm, EmptyForm, ReasonForm, ScoreForm, WeightsForm
from evaluation.models import EDITABLE, WEIGHT_FIELDS, Evaluation, EvaluationStatus, Group, IndicatorScore, Method
from evaluation.report import NothingToEvaluate, evaluate_document
from evaluation.tables import EvaluationTable
from evaluation.workbook import workbook_bytes


def _evaluation(request, pk):
    rows = Evaluation.objects.visible_to(request.user).for_table().select_related("reviewed_by")
    return get_object_or_404(rows, pk=pk)


def _waiting_count():
    waiting = (
        IndicatorScore.objects.filter(evaluation=OuterRef("pk"), method=Method.REVIEWER, score__isnull=True)
        .order_by().values("evaluation").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(waiting), 0)


# The reviewer's work first, then what waits for the region admin, then the settled.
QUEUE_ORDER = [EvaluationStatus.SUBMITTED, EvaluationStatus.RETURNED, EvaluationStatus.DRAFT, EvaluationStatus.APPROVED]


def _status_rank():
    return Case(*(When(status=s, then=Value(i)) for i, s in enumerate(QUEUE_ORDER)), output_field=IntegerField())


class EvaluationQueueView(AppUserRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    table_class = EvaluationTable
    filterset_class = EvaluationFilter
    template_name = "evaluation/queue.html"
    export_filename = gettext_lazy("绩效自评")

    def get_queryset(self):
        return (
            Evaluation.objects.visible_to(self.request.user)
            .for_table()
            .annotate(waiting=_waiting_count(), status_rank=_status_rank())
            .order_by("status_rank", "-year", "table__document__number", "prefecture__position")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_build"] = workflow.can_manage(self.request.user)
        if context["can_build"]:
            context["build_form"] = BuildForm()
        return context


queue = EvaluationQueueView.as_view()


def transitions(evaluation):
    return status_history(evaluation, EvaluationStatus)


def _groups(evaluation, rows):
    """[(group label, group weight, its rows, its score so far)] in the template's order."""
    found = []
    for group in Group:
        members = [row for row in rows if row.group == group]
        if members:
            earned = sum((row.score for row in members if row.score is not None), 0)
            found.append((group.label, evaluation.group_weight(group), members, earned))
    return found


@require_safe
@app_user_required
def detail(request, pk):
    evaluation = _evaluation(request, pk)
    user = request.user
    rows = list(evaluation.scores.select_related("target__indicator", "scored_by").order_by("position"))
    can_score = workflow.can_review(user) and evaluation.status != EvaluationStatus.APPROVED
    context = {
        "evaluation": evaluation,
        "groups": _groups(evaluation, rows),
        "waiting": [row for row in rows if row.awaits_reviewer],
        "transitions": transitions(evaluation),
        "can_edit_weights": workflow.can_manage(user) and evaluation.status in EDITABLE,
        "can_submit": workflow.can_manage(user) and evaluation.status in EDITABLE,
        "can_decide": workflow.can_review(user) and evaluation.status == EvaluationStatus.SUBMITTED,
        "can_score": can_score,
        "weights_form": WeightsForm(initial={name: getattr(evaluation, name) for name in WEIGHT_FIELDS}),
    }
    return render(request, "evaluation/detail.html", context)


def _action(allowed, form_class, step, done):
    """A POST endpoint: 404 outside the user's scope, 403 without the role, refusals as messages."""

    def success(evaluation):
        return _("%(prefecture)s %(year)s年绩效自评%(done)s。") % {
            "prefecture": evaluation.prefecture.name, "year": evaluation.year, "done": done(),
        }

    return post_step(_evaluation, allowed, form_class, step, success, "evaluation:detail")


weights = _action(workflow.can_manage, WeightsForm, lambda e, u, d: workflow.set_weights(e, u, d), lambda: _("权重已保存并重新计分"))
rebuild = _action(workflow.can_manage, EmptyForm, lambda e, u, d: workflow.rebuild(e, u), lambda: _("已按最新数据重新计算"))
submit = _action(workflow.can_manage, EmptyForm, lambda e, u, d: workflow.submit(e, u), lambda: _("已提交审核"))
approve = _action(workflow.can_review, EmptyForm, lambda e, u, d: workflow.approve(e, u), lambda: _("已审核通过"))
return_ = _action(workflow.can_review, ReasonForm, lambda e, u, d: workflow.return_evaluation(e, u, d["reason"]), lambda: _("已退回"))


@require_POST
@app_user_required
def score(request, pk, row_pk):
    evaluation = _evaluation(request, pk)
    row = get_object_or_404(IndicatorScore, evaluation=evaluation, pk=row_pk)
    if not workflow.can_review(request.user):
        raise PermissionDenied
    form = ScoreForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("evaluation:detail", pk=evaluation.pk)
    try:
        workflow.score_by_reviewer(row, request.user, form.cleaned_data["score"], form.cleaned_data["reason"])
    except ValidationError as refused:
        refusals(request, refused)
    else:
        messages.success(request, _("“%(wording)s”已评分。") % {"wording": row.wording})
    return redirect("evaluation:detail", pk=evaluation.pk)


@require_POST
@app_user_required
def build(request):
    if not workflow.can_manage(request.user):
        raise PermissionDenied
    form = BuildForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("evaluation:queue")
    document, year = form.cleaned_data["document"], form.cleaned_data["year"]
    try:
        evaluations = evaluate_document(document, year, request.user)
    except NothingToEvaluate as refused:
        messages.error(request, str(refused))
    except ValidationError as refused:
        refusals(request, refused)
    else:
        messages.success(request, _("%(number)s %(year)s年：已计算%(count)s个地（州、市）的绩效自评。") % {
            "number": document.number, "year": year, "count": len(evaluations),
        })
    return redirect(f"{reverse('evaluation:queue')}?year={year}")


@require_safe
@app_user_required
def export(request, pk):
    evaluation = _evaluation(request, pk)
    response = HttpResponse(workbook_bytes(evaluation), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(
        f"{evaluation.prefecture.name}{evaluation.year}年度绩效自评表.xlsx"
    )
    return response


urlpatterns = [
    path("", queue, name="queue"),
    path("build/", build, name="build"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/export.xlsx", export, name="export"),
    path("<int:pk>/weights/", weights, name="weights"),
    path("<int:pk>/rebuild/", rebuild, name="rebuild"),
    path("<int:pk>/submit/", submit, name="submit"),
    path("<int:pk>/approve/", approve, name="approve"),
    path("<int:pk>/return/", return_, name="return"),
    path("<int:pk>/scores/<int:row_pk>/", score, name="score"),
]
