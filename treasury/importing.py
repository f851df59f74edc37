"""Importing a treasury payment file: all or nothing, idempotent by 支付凭证号, streamed.

Rows are read, checked and written a batch at a time inside one
transaction; the first structural error stops the writing and the file is
refused as a whole when reading ends, every error named by its row. A
voucher already in the database with the same content is "already present"
and changes nothing; with different content it refuses the file, naming
the voucher and both values. The summary table and the anomalies are kept
in the same transaction, so the pages never see a half-imported file.

On PostgreSQL a CSV is first offered to the fast paths (treasury.stream for
a file of new vouchers, then treasury.staging), which import a clean file by
COPY to exactly the rows this module would write; whatever they do not take
(an XLSX, a quote in the data, a bad row, a conflict) is read here, row by
row, and every refusal message is this module's.
"""

from dataclasses import dataclass, field
from itertools import islice

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from allocations.models import County, Prefecture
from core import bulk_insert, clock
from core.refusals import ImportRefused
from core.workbook import LAZY_READ_ERRORS, DAMAGED_MESSAGE, WorkbookError
from treasury.anomalies import Documents, flag_over_allocation, judge
from treasury.models import ExceptionKind, Payment, PaymentException
from treasury.money import yuan
from treasury.parsing import CONTENT_FIELDS, ParsedPayment, Places, RowError, parse_row
from treasury.reader import LABELS, read_rows
from treasury.staging import import_clean_csv
from treasury.summary import add_to_summary

BATCH = 2000
MAX_ERRORS = 50
PAYMENT_FIELDS = (
    "voucher", "paid_on", "prefecture", "county", "budget_unit", "document_number", "document", "root_document",
    "function_code", "economic_code", "direct_mark", "amount_fen", "payee", "use", "imported_at",
)
FIELD_LABELS = {
    "paid_on": LABELS["paid_on"], "prefecture_id": LABELS["prefecture"], "county_id": LABELS["county"],
    "budget_unit": LABELS["budget_unit"], "document_number": LABELS["document_number"],
    "function_code": LABELS["function_code"], "economic_code": LABELS["economic_code"],
    "direct_mark": LABELS["direct_mark"], "amount_fen": LABELS["amount"], "payee": LABELS["payee"],
}


@dataclass
class Outcome:
    kind: str = ""
    read: int = 0
    new: int = 0
    present: int = 0
    refused: int = 0
    dry_run: bool = False
    flagged: dict = field(default_factory=dict)
    # The PostgreSQL fast path that read the file ("stream": treasury.stream, "staged": treasury.staging); "" row by row.
    fast: str = ""

    def lines(self):
        done = "（试运行，未写入）" if self.dry_run else ""
        yield f"文件：{self.kind}"
        yield f"读取 {self.read} 行，新增 {self.new} 行，已存在 {self.present} 行，拒绝 {self.refused} 行{done}"
        for kind, count in sorted(self.flagged.items()):
            yield f"  异常 {kind}：{count} 笔"


class PaymentsRefused(ImportRefused):
    def __init__(self, errors, outcome):
        super().__init__(errors)
        self.outcome = outcome


class _Import:
    def __init__(self, places, documents, today):
        self.places = places
        self.documents = documents
        self.today = today
        self.errors = []
        self.bad_rows = 0
        self.seen = set()  # hash() of every voucher read so far
        self.outcome = Outcome()
        self.summary = {}
        self.touched = set()
        self.now = timezone.now()

    def error(self, message):
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append(f"错误过多，只列出前 {MAX_ERRORS} 处；请改正后重新导入。")

    def shown_value(self, name, value):
        if value is None or value == "":
            return "（空）"
        if name == "amount_fen":
            return format(yuan(value), "f")
        if name == "prefecture_id":
            return self.places.names.get(value, value)
        if name == "county_id":
            return self._county_names.get(value, value)
        return str(value)

    def batch(self, rows):
        parsed, in_batch = [], {}
        for number, cells in rows:
            self.outcome.read += 1
            try:
                payment = parse_row(number, cells, self.places, self.today)
            except RowError as bad:
                self.bad_rows += 1
                self.error(str(bad))
                continue
            first = in_batch.get(payment.voucher)
            if first is not None:
                self._duplicate(payment, f"与第{first}行重复")
                continue
            in_batch[payment.voucher] = number
            parsed.append(payment)
        existing = self._existing([p.voucher for p in parsed])
        new = []
        for payment in parsed:
            before = existing.get(payment.voucher)
            if self._seen_before(payment, before):
                self._duplicate(payment, "在本文件前面已出现过")
            elif before is None:
                new.append(payment)
            elif before == payment.content():
                self.outcome.present += 1
            else:
                self.bad_rows += 1
                self.error(self._conflict(payment, before))
        if not self.errors:
            self._write(new)

    def _seen_before(self, payment, before):
        """Whether an earlier batch of this file had the voucher.

        Only the vouchers' hashes are kept (a million vouchers as strings
        with their rows would be a third of the memory budget). A hash seen
        before is a repeat when the voucher is in the database (written by
        an earlier batch, or already present), or when nothing is being
        written any more; otherwise it was another voucher's hash.
        """
        key = hash(payment.voucher)
        if key not in self.seen:
            self.seen.add(key)
            return False
        return before is not None or bool(self.errors)

    def _duplicate(self, payment, where):
        self.bad_rows += 1
        self.error(f"第{payment.row}行：支付凭证号 {payment.voucher} {where}，同一文件中每个凭证号只能出现一次")

    def _existing(self, vouchers):
        """{voucher: content} of the vouchers already in the database."""
        if not vouchers:
            return {}
        rows = Payment.objects.filter(voucher__in=vouchers).values_list("voucher", *CONTENT_FIELDS)
        return {row[0]: tuple(row[1:]) for row in rows}

    def _conflict(self, payment, before):
        differences = [
            f"{FIELD_LABELS[name]} 已导入为 {self.shown_value(name, old)}，本文件为 {self.shown_value(name, new)}"
            for name, old, new in zip(CONTENT_FIELDS, before, payment.content())
            if old != new
        ]
        return f"第{payment.row}行：支付凭证号 {payment.voucher} 已导入过，内容不同（" + "；".join(differences) + "）"

    @property
    def _county_names(self):
        if not hasattr(self, "_names"):
            self._names = dict(County.objects.values_list("pk", "name"))
        return self._names

    def _write(self, payments):
        rows, flags = [], []
        for payment in payments:
            document_id, root_id, use, found = judge(
                payment,
                self.documents,
                self.places.names[payment.prefecture_id],
                self._county_names.get(payment.county_id, ""),
            )
            rows.append((
                payment.voucher, payment.paid_on, payment.prefecture_id, payment.county_id, payment.budget_unit,
                payment.document_number, document_id, root_id, payment.function_code, payment.economic_code,
                payment.direct_mark, payment.amount_fen, payment.payee, use, self.now,
            ))
            for kind, detail in found:
                flags.append((payment.voucher, kind.value, detail[:300]))
                self.outcome.flagged[kind.value] = self.outcome.flagged.get(kind.value, 0) + 1
            if root_id is not None:
                key = (root_id, payment.prefecture_id, payment.county_id, use, payment.paid_on.replace(day=1))
                total = self.summary.setdefault(key, [0, 0, 0])
                total[0] += payment.amount_fen
                total[1] += 1
                total[2] += min(payment.amount_fen, 0)
                if payment.county_id is not None:
                    self.touched.add((root_id, payment.county_id))
        self.outcome.new += bulk_insert.insert(Payment, PAYMENT_FIELDS, rows)
        bulk_insert.insert(PaymentException, ("payment", "kind", "detail"), flags)


def _places():
    return Places(
        list(Prefecture.objects.values_list("pk", "name")),
        list(County.objects.values_list("pk", "prefecture_id", "name")),
    )


# Any fixed number: the lock that makes two payment imports take turns.
_LOCK = 15_0001


def _one_import_at_a_time():
    # Two files sent at once would both find a voucher new, and both add to the
    # same summary row. PostgreSQL: a lock held to the end of the transaction;
    # SQLite: its IMMEDIATE transactions already write one at a time.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


def _read_row_by_row(work, source, name, encoding):
    """The Python path: every file the fast path does not take, and the one source of every refusal message."""
    kind, rows = read_rows(source, name, encoding)
    work.outcome.kind = kind
    try:
        while batch := list(islice(rows, BATCH)):
            work.batch(batch)
    except LAZY_READ_ERRORS:
        raise WorkbookError(DAMAGED_MESSAGE) from None
    if work.outcome.read == 0 and not work.errors:
        work.error("文件中没有数据行（只有表头），没有可导入的内容。")
    if work.errors:
        work.outcome.refused = work.bad_rows
        raise PaymentsRefused(work.errors, work.outcome)


def import_payments(source, name, *, encoding=None, dry_run=False):
    """Outcome of importing the file; PaymentsRefused (nothing written) when anything in it is structurally wrong."""
    work = _Import(_places(), Documents(), clock.today())
    work.outcome.dry_run = dry_run
    try:
        with transaction.atomic():
            _one_import_at_a_time()
            if not import_clean_csv(source, name, encoding, work):
                _read_row_by_row(work, source, name, encoding)
            add_to_summary(work.summary)
            over = flag_over_allocation(work.touched)
            if over:
                work.outcome.flagged[ExceptionKind.OVER_ALLOCATION.value] = over
            if dry_run:
                transaction.set_rollback(True)
    except WorkbookError as unreadable:
        raise PaymentsRefused([str(unreadable)], work.outcome) from None
    except IntegrityError:
        # Only another writer outside this lock (a hand-made row in the admin's database) gets here.
        raise PaymentsRefused(["写入时与数据库中已有的支付记录冲突，未写入任何数据；请重新导入。"], work.outcome) from None
    return work.outcome


__all__ = ["Outcome", "ParsedPayment", "PaymentsRefused", "import_payments"]
