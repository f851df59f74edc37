"""The auditors' change log: every history row of the domain models, newest first.

django-simple-history keeps one history table per model. The log is one
list across them all, so the merge happens in the database: each table
contributes the same three columns (which table, history_id, history_date)
to a UNION ALL, which the database orders and slices. That works the same
on SQLite and PostgreSQL and costs one query per page whatever the number
of tables; merging per-model querysets in Python would have to read a
page's worth of rows from every table for every page.

Only the rows of the page are then read in full (one query per model on the
page, one more for their previous versions) and diffed with simple-history's
diff_against: the number of queries grows with the models on the page,
never with its rows.

Prefecture paths run through the history tables, not the live ones, so a
deleted line (or the lines of a deleted report) still belongs to its
prefecture. A document belongs to the prefecture that issued it (转下达) and
to every prefecture it gives money to, as AllocationDocument.visible_to has
it; funds and expenditure items belong to none and drop out of a
prefecture-filtered log.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from allocations.models import PermittedUse
from allocations.money import plain
from core import formats
from core.permissions import sees_total
from core.roles import DOMAIN_APPS
from targets.reference import LOADED as TABLE_LOADED_WITH_NOTICE

APP_REASONS = frozenset({TABLE_LOADED_WITH_NOTICE})
# List fields stored as codes, shown by their labels: an auditor reads 职业培训补贴, not vocational_training.
LIST_LABELS = {("feedback.feedbackline", "uses"): dict(PermittedUse.choices)}

LOG_APPS = ("core",) + DOMAIN_APPS
SHANGHAI = ZoneInfo("Asia/Shanghai")
ACTIONS = {"+": gettext_noop("新增"), "~": gettext_noop("修改"), "-": gettext_noop("删除")}
ORDER = ("-history_date", "-source", "-history_id")

# An object's history page lists its own rows and those of its parts.
PARTS = {
    "allocations.allocationdocument": (("allocations.allocationline", "document"), ("allocations.prefecturesubtotal", "document")),
    "allocations.fund": (("allocations.expenditureitem", "fund"),),
    "targets.targettable": (("targets.target", "table"), ("targets.actual", "target__table")),
    "feedback.feedbackreport": (("feedback.feedbackline", "report"),),
}

# What each model's __str__ reads through its relations: selected with the
# rows so that naming an object (or a changed foreign key) costs no query.
LABEL_RELATED = {
    "allocations.county": ("prefecture",),
    "allocations.prefecturesubtotal": ("document", "prefecture"),
    "allocations.allocationline": ("document", "county__prefecture"),
    "targets.targettable": ("document", "prefecture"),
    "targets.actual": ("target",),
    "feedback.feedbackreport": ("prefecture",),
    "feedback.feedbackline": ("report__prefecture",),
}

# Officers must not read the region's 合计 of a regional document in its history either.
REGION_ONLY_FIELDS = {"allocations.allocationdocument": frozenset({"declared_total"})}


def shown_reason(reason):
    # A reason the app wrote itself has a translation; one a user typed is shown exactly as typed.
    return gettext(reason) if reason in APP_REASONS else reason or ""


def label_of(model):
    return model._meta.label_lower


def history_of(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model


def historied_models():
    """Every model of the log's apps that keeps a history, in app order."""
    found = []
    for app_label in LOG_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if hasattr(model._meta, "simple_history_manager_attribute"):
                found.append(model)
    return found


def model_by_label(label):
    return {label_of(model): model for model in historied_models()}.get(label)


def path_q(model, path, value):
    """Q over model's history rows whose `path` (through history tables) reaches `value`."""
    head, _, rest = path.partition("__")
    if not head:
        return Q(id=value)
    relation = model._meta.get_field(head)
    if relation.one_to_many:
        part = relation.related_model
        return Q(id__in=history_of(part).objects.filter(path_q(part, rest, value)).values(relation.field.attname))
    if not rest:
        return Q(**{relation.attname: value})
    target = relation.related_model
    return Q(**{f"{relation.attname}__in": history_of(target).objects.filter(path_q(target, rest, value)).values("id")})


def prefecture_q(model, prefecture_id):
    """The rows of model belonging to the prefecture, or None if the model belongs to none."""
    # The model's own paths (core.scoping), followed through the history tables.
    paths = getattr(model, "prefecture_paths", None)
    if not paths:
        return None
    query = Q()
    for path in paths:
        query |= path_q(model, path, prefecture_id)
    return query


@dataclass(frozen=True)
class Source:
    """One history table's share of a log: the model, the rows wanted, the fields not shown."""

    model: type
    where: Q = field(default_factory=Q)
    hidden: frozenset = frozenset()


def log_sources(*, user=None, model=None, prefecture=None, date_from=None, date_to=None):
    """The sources of the change log under its filters (each None for "all")."""
    where = Q()
    if user is not None:
        where &= Q(history_user_id=user.pk)
    if date_from is not None:
        where &= Q(history_date__gte=local_midnight(date_from))
    if date_to is not None:
        where &= Q(history_date__lt=local_midnight(date_to + timedelta(days=1)))
    sources = []
    for candidate in historied_models():
        if model is not None and candidate is not model:
            continue
        scoped = where
        if prefecture is not None:
            in_prefecture = prefecture_q(candidate, prefecture.pk)
            if in_prefecture is None:
                continue
            scoped &= in_prefecture
        sources.append(Source(candidate, scoped))
    return sources


def object_sources(model, pk, scope=None, hidden=frozenset()):
    """An object's own history and its parts', limited to prefecture `scope` if given."""
    label = label_of(model)
    sources = [Source(model, Q(id=pk), hidden)]
    for part_label, path in PARTS.get(label, ()):
        part = apps.get_model(part_label)
        where = path_q(part, path, pk)
        if scope is not None:
            where &= prefecture_q(part, scope)
        sources.append(Source(part, where))
    return sources


def latest_record(model, pk):
    """The object's newest history row (with what naming it needs), or None."""
    history = history_of(model)
    return history.objects.filter(id=pk).select_related(*_related(model)).order_by("-history_date", "-history_id").first()


def hidden_fields(model, latest, scope):
    """Fields an officer of prefecture `scope` may not read in this object's history.

    As on the document page: a document's 合计 only on one their bureau issued.
    """
    hidden = REGION_ONLY_FIELDS.get(label_of(model), frozenset())
    if not hidden or sees_total(scope, getattr(latest, "issuer_id", None)):
        return frozenset()
    return hidden


def local_midnight(day: date):
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def merged(sources):
    """The rows of all sources as (source index, history_id, history_date), newest first.

    A queryset (a UNION ALL when there is more than one source), so a
    paginator counts and slices it in the database.
    """
    parts = [
        history_of(source.model)
        .objects.filter(source.where)
        .order_by()  # the history tables' default ordering is not allowed inside a UNION on SQLite
        .annotate(source=Value(index, output_field=IntegerField()))
        .values_list("source", "history_id", "history_date")
        for index, source in enumerate(sources)
    ]
    if not parts:
        return []
    if len(parts) == 1:
        return parts[0].order_by(*ORDER)
    return parts[0].union(*parts[1:], all=True).order_by(*ORDER)


@dataclass
class Change:
    when: datetime
    user: object
    model: type
    object_id: int
    object_label: str
    action: str
    changes: list  # [(field label, old text, new text)]
    reason: str

    @property
    def model_name(self):
        return self.model._meta.verbose_name

    @property
    def model_label(self):
        return label_of(self.model)

    @property
    def user_label(self):
        if self.user is None:
            return gettext("系统")
        return self.user.get_full_name() or self.user.username

    @property
    def local_time(self):
        return self.when.astimezone(SHANGHAI)

    @property
    def history_url(self):
        meta = self.model._meta
        return reverse("oversight:object_history", args=[meta.app_label, meta.model_name, self.object_id])

    def changes_text(self):
        return "；".join(f"{name}：{old} → {new}" for name, old, new in self.changes)


def resolve(rows, sources):
    """The Changes for rows from merged(sources), in the same order, with their diffs."""
    by_source = {}
    for index, history_id, _when in rows:
        by_source.setdefault(index, []).append(history_id)
    resolved = {}
    for index, ids in by_source.items():
        source = sources[index]
        for record, previous in _records_with_previous(source.model, ids):
            resolved[(index, record.history_id)] = _change(source, record, previous)
    return [resolved[(index, history_id)] for index, history_id, _when in rows]


def _related(model):
    """select_related for a model's history rows: its own label and every foreign key's."""
    related = list(LABEL_RELATED.get(label_of(model), ()))
    for field_ in _tracked(model):
        if field_.many_to_one:
            related.append(field_.name)
            related += [f"{field_.name}__{deeper}" for deeper in LABEL_RELATED.get(label_of(field_.related_model), ())]
    return sorted(set(related))


def _records_with_previous(model, history_ids):
    history = history_of(model)
    # The previous version is the one written before, by history_id: bulk
    # writes give many rows the same history_date, and a clock may be set back.
    earlier = (
        history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    related = _related(model)
    records = list(
        history.objects.filter(history_id__in=history_ids)
        .select_related("history_user", *related)
        .annotate(previous_id=Subquery(earlier))
    )
    previous_ids = [record.previous_id for record in records if record.previous_id]
    previous = history.objects.select_related(*related).in_bulk(previous_ids) if previous_ids else {}
    return [(record, previous.get(record.previous_id)) for record in records]


def _tracked(model):
    # The id is shown as the object; auto timestamps change on every save
    # and repeat the history time: noise.
    return [
        field_
        for field_ in history_of(model).tracked_fields
        if not field_.primary_key and not getattr(field_, "auto_now", False) and not getattr(field_, "auto_now_add", False)
    ]


def field_changes(record, previous, hidden=frozenset()):
    """[(field label, old, new)] between two history rows of one object (previous None: created)."""
    fields = [field_ for field_ in _tracked(record.instance_type) if field_.name not in hidden]
    if previous is None:
        return [
            (str(field_.verbose_name), "—", _text(record, field_))
            for field_ in fields
            if getattr(record, field_.attname) not in (None, "", [])
        ]
    # diff_against reads values with model_to_dict, which skips fields that
    # are not editable (a feedback line's 资金金额, an actual's 判断, the direct
    # mark): those an auditor needs too, so they are compared here directly.
    editable = {field_.name for field_ in fields if field_.editable}
    delta = record.diff_against(previous, included_fields=editable)
    changed = set(delta.changed_fields)
    changed |= {
        field_.name
        for field_ in fields
        if not field_.editable and getattr(record, field_.attname) != getattr(previous, field_.attname)
    }
    return [
        (str(field_.verbose_name), _text(previous, field_), _text(record, field_))
        for field_ in fields
        if field_.name in changed
    ]


def _text(record, field_):
    value = getattr(record, field_.attname)
    if value is None or value == "":
        return "—"
    if field_.many_to_one:
        related = field_.get_cached_value(record, default=None)
        return str(related) if related is not None else gettext("#%(value)s（已删除）") % {"value": value}
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    if formats.is_day(value):
        # A report's month is stored as its first day: read it as the month.
        return formats.month(value) if field_.name == "month" else formats.day(value)
    if isinstance(value, Decimal):
        # 万元 are stored with two decimals; other figures (a target's base number) as written.
        return formats.money(value) if field_.decimal_places == 2 else plain(value)
    if isinstance(value, list):
        labels = LIST_LABELS.get((label_of(field_.model), field_.name), {})
        return "、".join(str(labels.get(item, item)) for item in value) or "—"
    return str(value)


def object_label(record):
    instance = record.instance
    # The related rows selected with the history row name the object without a query.
    instance._state.fields_cache.update(record._state.fields_cache)
    try:
        return str(instance)
    except (ObjectDoesNotExist, AttributeError):  # a related row deleted since: the id still names it
        return f"#{record.id}"


def _change(source, record, previous):
    return Change(
        when=record.history_date,
        user=record.history_user,
        model=source.model,
        object_id=record.id,
        object_label=object_label(record),
        action=gettext(ACTIONS.get(record.history_type, record.history_type)),
        changes=field_changes(record, previous, source.hidden),
        reason=shown_reason(record.history_change_reason),
    )


def iter_changes(sources, limit, batch=500):
    """The newest `limit` Changes of the sources, read and diffed `batch` rows at a time."""
    rows = list(merged(sources)[:limit])
    for start in range(0, len(rows), batch):
        yield from resolve(rows[start : start + batch], sources)
