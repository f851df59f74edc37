"""下达: a draft document becomes issued only when it reconciles and, for 转下达, stays within its share.

Kept out of the model: the share rule lives in reallocation.py, which reads
the models, so the model calling it back would tie the two in a loop.
"""

from django.core.exceptions import ValidationError

from allocations.models import DocumentStatus
from allocations.reallocation import check_within_parent_share
from allocations.reconcile import reconcile_document


def issue(document):
    mismatches = reconcile_document(document)
    if mismatches:
        raise ValidationError([f"{document.number} 不能下达：{m}" for m in mismatches])
    if document.is_reallocation:
        check_within_parent_share(document)
    document.status = DocumentStatus.ISSUED
    document.save(update_fields=["status", "updated_at"])
