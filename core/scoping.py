"""Rows that belong to a prefecture, and who may see them.

A scoped model names once, in `prefecture_paths`, the paths from a row to its
prefecture ("" is the prefecture itself). Its queryset's visible_to(user)
narrows by them, and the change log follows the same paths through the
history tables, so a deleted row is placed where the live one was.
"""

from django.db.models import Q, QuerySet

from core.permissions import scoped_prefecture_id


def _lookup(path):
    return f"{path}_id" if path else "pk"


class ScopedQuerySet(QuerySet):
    def visible_to(self, user):
        scope = scoped_prefecture_id(user)
        return self if scope is None else self.in_prefecture(scope)

    def in_prefecture(self, prefecture_id):
        query = Q()
        for path in self.model.prefecture_paths:
            query |= Q(**{_lookup(path): prefecture_id})
        return self.filter(query)
