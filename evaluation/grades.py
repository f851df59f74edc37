"""The public reading of evaluation results, for the next batch's allocation (planning).

    grades_for(document, year) -> {prefecture_id: Grade}

document: the AllocationDocument whose target tables were evaluated, or its 文号.
year: the evaluated year. Grade is a str TextChoices ("excellent" 优, "good" 良,
"fair" 中, "poor" 差), so it compares equal to those values.

Only approved evaluations count by default: a grade still under review is not a
result the region has reached (approved_only=False includes every status).
A prefecture without an evaluation is absent from the mapping.
"""

from evaluation.models import Evaluation, EvaluationStatus, Grade


def grades_for(document, year, approved_only=True):
    rows = Evaluation.objects.filter(year=year, table__prefecture__isnull=False)
    if isinstance(document, str):
        rows = rows.filter(table__document__number=document)
    else:
        rows = rows.filter(table__document=document)
    if approved_only:
        rows = rows.filter(status=EvaluationStatus.APPROVED)
    return {prefecture_id: Grade(grade) for prefecture_id, grade in rows.values_list("prefecture_id", "grade")}
