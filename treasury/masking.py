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
