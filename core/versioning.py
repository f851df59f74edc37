"""Optimistic locking: a write made from a stale page is refused, not applied over someone else's.

A model with a `version` field is claimed by bumping the version in one
UPDATE that only matches the version the user saw; no match means someone
else saved first. Feedback reports and target tables both work this way.
"""

from django.core.exceptions import ValidationError
from django.db.models import F


def claim_version(instance, expected_version, stale_message):
    claimed = type(instance)._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise ValidationError(stale_message, code="stale")
    instance.refresh_from_db()
