"""Every domain row, history included: what a refused input must leave exactly as it was."""

from django.apps import apps

DOMAIN_APPS = ("core", "allocations", "targets", "feedback", "treasury", "evaluation")


def domain_dump():
    """{model label: [row tuples in pk order]} for every model of the domain apps."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
    }


def changed_models(before, after):
    """The labels whose rows differ: an assertion message that says where the write went."""
    return sorted(label for label in before if before[label] != after.get(label))
