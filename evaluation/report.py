"""The one-line summary of each prefecture's evaluation: the command's rows and the queue's figures.

unscored names the indicators still waiting for a reviewer's score, joined by ";".
"""

import csv

from evaluation.building import build
from evaluation.models import EDITABLE, Evaluation, Method
from targets.models import SETTLED, TargetTable

COLUMNS = ["prefecture", "score", "grade", "execution_rate", "unscored"]


class NothingToEvaluate(Exception):
    pass


def evaluate_document(document, year, user=None):
    """Build (or rebuild, while still editable) each settled prefecture table's evaluation; [Evaluation] in notice order.

    An evaluation under review or approved is read as it stands: its figures are the ones reviewed.
    """
    tables = list(
        TargetTable.objects.filter(document=document, prefecture__isnull=False, status__in=SETTLED)
        .select_related("prefecture", "document")
        .order_by("prefecture__position")
    )
    if not tables:
        raise NothingToEvaluate(f"{document.number} 没有审核通过的地（州、市）绩效目标表，无法评价。")
    existing = {
        row.table_id: row for row in Evaluation.objects.filter(table__in=tables, year=year)
    }
    evaluations = []
    for table in tables:
        current = existing.get(table.pk)
        if current is None or current.status in EDITABLE:
            current = build(table, year, user)
        evaluations.append(current)
    return evaluations


def unscored(evaluation):
    return [row.wording for row in evaluation.scores.filter(method=Method.REVIEWER, score__isnull=True).order_by("position")]


def summary_row(evaluation):
    rate = evaluation.execution_rate
    return {
        "prefecture": evaluation.prefecture.name,
        "score": f"{evaluation.score:.2f}",
        "grade": evaluation.get_grade_display(),
        "execution_rate": "" if rate is None else f"{rate:.2f}",
        "unscored": ";".join(unscored(evaluation)),
    }


def write_csv(evaluations, stream):
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for evaluation in evaluations:
        writer.writerow(summary_row(evaluation))
