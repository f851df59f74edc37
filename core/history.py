"""History rows are evidence: once written, nobody edits or deletes them.

django-simple-history writes a row per change; this refuses any later save
or delete of such a row through the ORM, admins included. (Its admin
"revert" is switched off in settings for the same reason.)
"""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from simple_history.models import HistoricalChanges


def refuse_history_update(sender, instance, **kwargs):
    if isinstance(instance, HistoricalChanges) and not instance._state.adding:
        raise PermissionDenied("历史记录不能修改。")


def refuse_history_delete(sender, instance, **kwargs):
    if isinstance(instance, HistoricalChanges):
        raise PermissionDenied("历史记录不能删除。")


def connect():
    pre_save.connect(refuse_history_update, dispatch_uid="core.refuse_history_update")
    pre_delete.connect(refuse_history_delete, dispatch_uid="core.refuse_history_delete")
