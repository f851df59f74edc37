"""The notice's own data, from fixtures/, loaded so that a second run changes nothing.

Documents go through the same checks and writer as any imported workbook:
the notice's table is one more input to the importer, not a special case.
"""

import json
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from allocations.importing import ImportRefused, check_rows, save_checked
from allocations.models import AllocationDocument, County, DocumentStatus, ExpenditureItem, Fund, Prefecture
from allocations.workbook.reader import LINE, SUBTOTAL, TOTAL, SheetRow

FUND_FIELDS = (
    "income_code",
    "income_subject",
    "expenditure_code",
    "expenditure_subject",
    "expenditure_note",
    "economic_code",
    "economic_subject",
    "direct_mark",
)


def fixtures_dir():
    return settings.BASE_DIR / "fixtures"


def _read(name):
    with open(fixtures_dir() / name, encoding="utf-8") as handle:
        return json.load(handle)


def _upsert(model, lookup, values):
    """get_or_create, then save only the fields that differ. Returns 1 if anything was written."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if created:
        return 1
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return 1 if changed else 0


def load_regions():
    written = 0
    for p_index, item in enumerate(_read("regions.json")["prefectures"], start=1):
        written += _upsert(Prefecture, {"name": item["name"]}, {"position": p_index})
        prefecture = Prefecture.objects.get(name=item["name"])
        for c_index, county in enumerate(item["counties"], start=1):
            written += _upsert(
                County,
                {"prefecture": prefecture, "name": county["name"]},
                {"kind": county["kind"], "position": c_index},
            )
    return written


def load_funds():
    written = 0
    for item in _read("funds.json")["funds"]:
        written += _upsert(Fund, {"name": item["name"]}, {name: item[name] for name in FUND_FIELDS})
        fund = Fund.objects.get(name=item["name"])
        for subject in item.get("expenditure_items", []):
            written += _upsert(ExpenditureItem, {"fund": fund, "code": subject["code"]}, {"name": subject["name"]})
    return written


def document_rows(data):
    """The fixture's lines as the rows a workbook reader would produce."""
    rows = [SheetRow(1, TOTAL, amount=Decimal(data["declared_total"]))]
    subtotals = {item["prefecture"]: Decimal(item["amount"]) for item in data["subtotals"]}
    number = 1
    previous = None
    for line in data["lines"]:
        if previous and line["prefecture"] != previous:
            number += 1
            rows.append(SheetRow(number, SUBTOTAL, prefecture=previous, amount=subtotals[previous]))
        number += 1
        rows.append(SheetRow(number, LINE, line["prefecture"], line["county"], Decimal(line["amount"]), line["note"]))
        previous = line["prefecture"]
    rows.append(SheetRow(number + 1, SUBTOTAL, prefecture=previous, amount=subtotals[previous]))
    return rows


def _same_as_stored(document, table, data):
    stored_lines = set(document.lines.values_list("county_id", "amount", "note", "position"))
    wanted_lines = {(line.county.pk, line.amount, line.note, line.position) for line in table.lines}
    stored_subtotals = set(document.subtotals.values_list("prefecture_id", "declared_amount"))
    wanted_subtotals = {(prefecture.pk, amount) for prefecture, amount in table.subtotals}
    return (
        stored_lines == wanted_lines
        and stored_subtotals == wanted_subtotals
        and document.declared_total == table.total
        and document.title == data["title"]
        and document.status == data["status"]
    )


def load_document(filename):
    """Returns (number, outcome) where outcome is created / unchanged / replaced / kept."""
    data = _read(filename)
    table = check_rows(document_rows(data), title=data["table_title"])
    if not table.ok:
        raise ImportRefused([f"{filename}: {error}" for error in table.errors])
    existing = AllocationDocument.objects.filter(number=data["number"]).first()
    if existing and _same_as_stored(existing, table, data):
        return data["number"], "unchanged"
    if existing and existing.status != DocumentStatus.DRAFT:
        # Never rewrite an issued document behind people's backs.
        return data["number"], "kept"
    save_checked(
        table,
        number=data["number"],
        title=data["title"],
        issued_on=date.fromisoformat(data["issued_on"]),
        replace=existing is not None,
        status=data["status"],
        basis=data["basis"],
    )
    return data["number"], "replaced" if existing else "created"


@transaction.atomic
def load_all():
    report = {"regions": load_regions(), "funds": load_funds(), "documents": []}
    for path in sorted(fixtures_dir().glob("allocation_*.json")):
        report["documents"].append(load_document(path.name))
    return report
