"""The notice's target tables as the review and 双监控 tests use them."""

from targets import review
from targets.models import REGION_SCOPE, TableStatus, Target, TargetTable

DOCUMENT = "新财社〔2023〕74号"


def table_of(scope):
    if scope == REGION_SCOPE:
        return TargetTable.objects.get(document__number=DOCUMENT, prefecture__isnull=True)
    return TargetTable.objects.get(document__number=DOCUMENT, prefecture__name=scope)


def target_of(table, name):
    """A row by its catalogue name, as the pages and messages name it."""
    return Target.objects.select_related("indicator", "table").get(table=table, indicator__name=name)


def approved(table, region_admin, hr_reviewer):
    if table.status == TableStatus.ISSUED:
        # The notice issues its tables (targets.reference); these tests want one a reviewer approved.
        TargetTable.objects.filter(pk=table.pk).update(status=TableStatus.DRAFT)
        table.refresh_from_db()
    review.submit(table, region_admin)
    review.approve(table, hr_reviewer)
    return table
