"""The indicator catalogue and the notice's 15 target tables, from fixtures/.

The tables came with the notice: they are loaded as issued with it (随文下达),
locked as an approved table is, so actuals can be recorded at once, and their
history says where they came from. A table imported by hand starts as a draft.
A second run changes nothing; a table someone has worked on since (reopened,
reviewed) is never rewritten behind their back.
"""

import json

from django.db import transaction
from django.utils.translation import gettext_noop

from core.refusals import ImportRefused
from allocations.models import AllocationDocument, Prefecture
from allocations.reference import _upsert, fixtures_dir
from targets.importing import HEADER_FIELDS, TargetRow, check_targets, save_targets
from targets.models import REGION_SCOPE, Actual, Indicator, IndicatorAlias, TableStatus, TargetTable


# Stored as written (the history is the record); pages translate it where shown.
LOADED = gettext_noop("随通知下达：载入通知附件2的绩效目标表")


# The header labels of 附件2's tables as the notice prints them: stored as read,
# translated where shown ({% translate table.authority_label %}).
HEADER_LABELS = (
    gettext_noop("自治区主管部门"),
    gettext_noop("省级主管部门"),
    gettext_noop("各地财政部门"),
    gettext_noop("各地主管部门"),
    gettext_noop("地(州、市)级财政部门"),
    gettext_noop("地(州、市)级主管部门"),
    gettext_noop("实施期"),
    gettext_noop("年度目标"),
    gettext_noop("年度及实施期目标"),
)


def _read(name):
    with open(fixtures_dir() / name, encoding="utf-8") as handle:
        return json.load(handle)


def load_catalogue():
    written = 0
    for position, item in enumerate(_read("indicators.json")["indicators"], start=1):
        values = {name: item[name] for name in ("name", "level1", "level2", "unit", "kind", "direction", "rollup")}
        written += _upsert(Indicator, {"code": item["code"]}, {**values, "position": position})
        indicator = Indicator.objects.get(code=item["code"])
        for wording in item["aliases"]:
            written += _upsert(IndicatorAlias, {"wording": wording}, {"indicator": indicator})
    return written


def _same_as_stored(table, checked):
    stored = list(table.targets.order_by("position").values_list("wording", "raw_value", "indicator_id", "position"))
    wanted = [(t.wording, t.raw_value, t.indicator.pk if t.indicator else None, t.position) for t in checked.targets]
    return stored == wanted and all(getattr(table, name) == checked.header[name] for name in HEADER_FIELDS)


def load_table(document, item):
    prefecture = None if item["scope"] == REGION_SCOPE else Prefecture.objects.get(name=item["scope"])
    rows = [TargetRow(i, row["wording"], row["value"]) for i, row in enumerate(item["rows"], start=1)]
    checked = check_targets(item, rows)
    if not checked.ok:
        raise ImportRefused([f"{item['scope']}：{error}" for error in checked.errors])
    existing = TargetTable.objects.filter(document=document, prefecture=prefecture).first()
    if existing and existing.status == TableStatus.ISSUED and _same_as_stored(existing, checked):
        return "unchanged"
    if existing and (not _as_loaded(existing) or Actual.objects.filter(target__table=existing).exists()):
        # Replacing the rows would take the recorded actuals with them.
        return "kept"
    save_targets(checked, document, prefecture, replace=existing is not None, status=TableStatus.ISSUED, reason=LOADED)
    return "replaced" if existing else "created"


def _as_loaded(table):
    # Issued, or a draft nobody has touched: earlier versions loaded the notice's tables as drafts.
    untouched_draft = table.status == TableStatus.DRAFT and table.submitted_at is None and not table.reopen_reason
    return table.status == TableStatus.ISSUED or untouched_draft


@transaction.atomic
def load_all():
    report = {"indicators": load_catalogue(), "tables": []}
    for path in sorted(fixtures_dir().glob("targets_*.json")):
        data = _read(path.name)
        document = AllocationDocument.objects.get(number=data["document"])
        outcomes = [load_table(document, item) for item in data["tables"]]
        report["tables"].append((data["document"], outcomes))
    return report
