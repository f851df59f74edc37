"""收款人 is personal data: region admins and auditors read it whole, everyone else 王某 → 王*."""

from core.permissions import sees_payee_in_full

# A long name (an organisation's) keeps its first character and three stars:
# the stars say "hidden", not how long the name was.
MAX_STARS = 3


def mask_payee(name):
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    return name[0] + "*" * min(len(name) - 1, MAX_STARS)


def payee_for(user, name):
    return name if sees_payee_in_full(user) else mask_payee(name)


def masked_payee_sql(field="payee"):
    """mask_payee as a database expression, for the admin's list and view pages."""
    from django.db.models import Case, CharField, F, Value, When
    from django.db.models.functions import Concat, Length, Substr
    from django.db.models.lookups import Exact

    first = Substr(F(field), 1, 1)
    length = Length(F(field))
    return Case(
        When(**{field: ""}, then=Value("")),
        When(Exact(length, 1), then=Value("*")),
        *[
            When(Exact(length, size + 1), then=Concat(first, Value("*" * size), output_field=CharField()))
            for size in range(1, MAX_STARS)
        ],
        default=Concat(first, Value("*" * MAX_STARS), output_field=CharField()),
        output_field=CharField(),
    )
