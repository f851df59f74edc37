"""History rows are evidence: once written, nobody edits or deletes them.

django-simple-history writes a row per change; this refuses any later save
or delete of such a row through the ORM, admins included. (Its admin
"revert" is switched off in settings for the same reason.)
"""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges


def refuse_history_update(sender, instance, **kwargs):
    if isinstance(instance, HistoricalChanges) and not instance._state.adding:
        raise PermissionDenied(_("历史记录不能修改。"))


def fit_change_reason(sender, instance, **kwargs):
    """Shorten a reason to what the history column holds (100 characters).

    A return or reopen reason may run to 2,000 characters; PostgreSQL would
    refuse the longer one and the whole review would fail. The full text is
    kept in the object's own return_reason / reopen_reason, whose change the
    same history row records.
    """
    if not isinstance(instance, HistoricalChanges) or not instance._state.adding:
        return
    reason = instance.history_change_reason
    limit = sender._meta.get_field("history_change_reason").max_length
    if reason and limit and len(reason) > limit:
        instance.history_change_reason = reason[: limit - 1] + "…"


def refuse_history_delete(sender, instance, **kwargs):
    if isinstance(instance, HistoricalChanges):
        raise PermissionDenied(_("历史记录不能删除。"))


def connect():
    pre_save.connect(refuse_history_update, dispatch_uid="core.refuse_history_update")
    pre_save.connect(fit_change_reason, dispatch_uid="core.fit_change_reason")
    pre_delete.connect(refuse_history_delete, dispatch_uid="core.refuse_history_delete")
