"""The admin's list actions: none for the read-only auditor, and none that fails for everyone."""

from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse

ATTEMPTS = reverse("admin:axes_accessattempt_changelist")


def _attempts():
    # One lockout as django-axes records it, and one long expired. Made after signing in: django-axes
    # cleans expired attempts away at every login.
    common = {"ip_address": "10.0.0.1", "user_agent": "test", "http_accept": "*/*", "path_info": "/accounts/login/"}
    locked = AccessAttempt.objects.create(username="officer1", get_data="", post_data="", failures_since_start=5, **common)
    old = AccessAttempt.objects.create(username="officer2", get_data="", post_data="", failures_since_start=1, **common)
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time="2020-01-01T00:00:00Z")
    return locked, old


def _changelists():
    return [
        (model._meta.label, reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        for model in admin.site._registry
    ]


def test_it_offers_the_auditor_no_action_on_any_admin_list(auditor, client_for):
    client = client_for(auditor)
    _attempts()

    offered = {}
    for label, url in _changelists():
        response = client.get(url)
        assert response.status_code == 200, label
        if response.context["action_form"] is not None:
            offered[label] = [name for name, _ in response.context["action_form"].fields["action"].choices if name]

    assert offered == {}


def test_it_runs_no_action_the_auditor_posts(auditor, client_for):
    client = client_for(auditor)
    attempts = _attempts()

    for action in ("cleanup_expired_attempts", "delete_selected"):
        client.post(ATTEMPTS, {"action": action, "_selected_action": [a.pk for a in attempts], "index": "0", "post": "yes"})

    assert AccessAttempt.objects.count() == 2


def test_it_lets_the_region_admin_lift_a_lockout_without_the_broken_cleanup(region_admin, client_for):
    client = client_for(region_admin)
    locked, old = _attempts()

    choices = [name for name, _ in client.get(ATTEMPTS).context["action_form"].fields["action"].choices]
    cleanup = client.post(ATTEMPTS, {"action": "cleanup_expired_attempts", "_selected_action": [old.pk], "index": "0"})
    lifted = client.post(ATTEMPTS, {"action": "delete_selected", "_selected_action": [locked.pk], "post": "yes"})

    assert "cleanup_expired_attempts" not in choices and "delete_selected" in choices
    assert cleanup.status_code in (200, 302)
    assert lifted.status_code == 302
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["officer2"]
