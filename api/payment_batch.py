"""A batch of payments pushed by the treasury: the same import as a file, fed the rows as an in-memory CSV.

treasury.importing.import_payments keeps every rule (numbers, dates, places,
idempotency by 支付凭证号, all or nothing, anomalies, the summary); nothing of
it is repeated here. This module only checks the JSON's shape (an object per
row, known keys, plain values) and writes it out under the file's headings.
The import numbers the CSV's rows from the heading (row 1); its messages are
turned back into the batch's own numbering (第1条 is payments[0]).
"""

import csv
import io
import re
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status

from api.errors import ApiError, problem
from treasury.importing import PaymentsRefused, import_payments
from treasury.reader import LABELS

# The JSON keys are the import's column keys; each is written under its heading in the file.
FIELDS = (
    "voucher", "paid_on", "prefecture", "county", "budget_unit", "document_number", "function_code",
    "economic_code", "direct_mark", "amount", "payee",
)
# JSON numbers arrive as int or Decimal (api.plumbing parses floats exactly).
PLAIN = (str, int, Decimal)
_ROW = re.compile(r"第(\d+)行")


def _shape_problems(body):
    if not isinstance(body, dict):
        return [problem("invalid", _("请求体须为 JSON 对象：{\"payments\": [...]}。"))]
    unknown = sorted(set(body) - {"payments", "dry_run"})
    if unknown:
        return [problem("unknown_field", _("未知字段，不接受。"), field=name) for name in unknown]
    rows = body.get("payments")
    if not isinstance(rows, list):
        return [problem("invalid", _("payments 须为数组。"), field="payments")]
    if not rows:
        return [problem("empty", _("payments 为空，没有可导入的内容。"), field="payments")]
    if "dry_run" in body and not isinstance(body["dry_run"], bool):
        return [problem("invalid", _("dry_run 须为 true 或 false。"), field="dry_run")]
    limit = settings.API_PAYMENT_BATCH_MAX_ROWS
    if len(rows) > limit:
        return [problem("too_many_rows", _("一次最多提交 %(limit)s 条，请分批提交。") % {"limit": f"{limit:,}"}, field="payments")]
    found = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            found.append(problem("invalid", _("第%(row)s条须为 JSON 对象。") % {"row": number}, row=number))
            continue
        for key, value in row.items():
            if key not in FIELDS:
                found.append(problem("unknown_field", _("第%(row)s条：未知字段 %(key)s，不接受。") % {"row": number, "key": key}, field=key, row=number))
            elif value is not None and (isinstance(value, bool) or not isinstance(value, PLAIN)):
                found.append(problem("wrong_type", _("第%(row)s条：%(label)s 须为文字或数字。") % {"row": number, "label": LABELS[key]}, field=key, row=number))
        if len(found) >= 50:
            break
    return found


def as_csv(rows):
    """The rows as the CSV file the treasury would have sent: UTF-8, the import's headings."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([LABELS[key] for key in FIELDS])
    for row in rows:
        writer.writerow(["" if row.get(key) is None else str(row[key]) for key in FIELDS])
    return io.BytesIO(text.getvalue().encode("utf-8"))


def _batch_problem(message):
    found = _ROW.search(message)
    row = int(found.group(1)) - 1 if found else None
    shown = _ROW.sub(lambda match: f"第{int(match.group(1)) - 1}条", message)
    return problem("refused", shown, row=row)


def post_batch(body):
    """The import's Outcome; ApiError (nothing written) for a malformed batch or one the import refuses."""
    problems = _shape_problems(body)
    if problems:
        raise ApiError(problems)
    try:
        return import_payments(as_csv(body["payments"]), "payments.csv", encoding="utf-8", dry_run=body.get("dry_run", False))
    except PaymentsRefused as refused:
        raise ApiError([_batch_problem(message) for message in refused.errors], status.HTTP_400_BAD_REQUEST) from None
