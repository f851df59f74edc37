"""The first fast path of the payment import (PostgreSQL): a clean CSV of new vouchers, one COPY into the payments.

A month's file from the treasury is mostly vouchers never imported before.
Each line is checked and read here as it streams past (each distinct date,
place, 文号, code and mark once, by treasury.readings) and goes straight into
treasury_payment by one COPY, which PostgreSQL writes while the next megabyte
is read: the file is read once and its rows written once, on two cores. The
summary's additions and the anomalies are gathered on the way.

The lines stay bytes (UTF-8; a GB18030 file is recoded a megabyte at a time):
a value is decoded, and so checked, when it is first seen, and a line is cut
and put together again without decoding a million lines and encoding them
back. A comma is never a byte within a character of either encoding.

New vouchers only: one already imported, or one twice in the file, breaks
the voucher's unique index and the COPY fails. So does a line doubted here
(a quote, a tab or a backslash; a line of another width; a value the Python
path would read otherwise; a check stricter than the Python path's, never
looser). The savepoint is then rolled back with all it wrote, and
treasury.staging offers the file to its own fast path, then to the Python
path, whose messages are the only ones.
"""

import re
import tempfile
from operator import itemgetter

from django.db import connection

from core.set_aside import can_set_aside, indexes_set_aside
from treasury import reader
from treasury.models import Payment, PaymentException
from treasury.parsing import MAX_LENGTHS
from treasury.readings import CSV_FIELD_LIMIT, MAX_DISTINCT, WHITESPACE, NotClean, Readings
from treasury.reader import (
    AMOUNT, COUNTY, DOCUMENT, ECONOMIC, FUNCTION, MARK, PAID_ON, PAYEE, PREFECTURE, UNIT, VOUCHER,
)

CHUNK = 1 << 20
EQUALS = ord("=")
# Printable ASCII without white space, as clean_text leaves it; its length in MAX_LENGTHS.
VOUCHER_FORM = re.compile(rb"[!-~]{1,%d}" % MAX_LENGTHS[VOUCHER]).fullmatch
# What parse_amount reads the same: digits, an optional minus, at most 2 decimals, under 10^12 yuan.
AMOUNT_FORM = re.compile(rb"(-?[0-9]{1,12})(?:\.([0-9])([0-9])?)?").fullmatch
# A quote opens a CSV field the csv module reads otherwise; the rest mean something to COPY's text format.
DOUBTFUL = (b'"', b"\t", b"\\", b"\x00")
# Lines' parts after the date, each read once: more distinct ones than this is no longer a clean file. Each
# keeps its sums by month, so the cache is never emptied.
MAX_LINES = 200_000
# Amounts and payees, each read once; emptied when full.
VALUE_CACHE = 100_000
# treasury_payment's columns in the order each COPY line gives them.
COLUMNS = (
    "voucher", "paid_on", "amount_fen", "payee", "prefecture", "county", "budget_unit", "document_number", "document",
    "root_document", "function_code", "economic_code", "direct_mark", "use",
)
REST = (PREFECTURE, COUNTY, UNIT, DOCUMENT, FUNCTION, ECONOMIC, MARK)
CANONICAL = [VOUCHER, PAID_ON, *REST, AMOUNT, PAYEE]


def _copy_text(value):
    """A value as COPY's text format reads it."""
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# What 预算单位 and 收款人 may not begin with: white space, which the Python path strips, or "=", a formula.
STARTS = frozenset("=" + WHITESPACE)


def _plain(key, text):
    """预算单位 or 收款人 as the Python path reads it."""
    return text == "" or (len(text) <= MAX_LENGTHS[key] and text[0] not in STARTS and not text[-1].isspace())


class Stream:
    def __init__(self, work, header):
        self.work = work
        self.readings = Readings(work)
        columns, self.width = header
        # The import's own layout (the order, the sample's) and nothing else: a line is cut at its first
        # two commas and its last two, and the part between is one key. Any other layout is split into fields.
        self.canonical = self.width == len(CANONICAL) and all(
            columns.get(key) == index for index, key in enumerate(CANONICAL)
        )
        # A column the file lacks reads as the empty field appended to every line.
        where = {key: columns.get(key, self.width) for key in CANONICAL}
        self.padded = len(columns) < len(where)
        self.fields_of = itemgetter(where[VOUCHER], where[PAID_ON], where[AMOUNT], where[PAYEE])
        self.rest_of = itemgetter(*(where[key] for key in REST))
        self.dates, self.places, self.functions, self.economics, self.marks = {}, {}, {}, {}, {}
        self.lines, self.amounts, self.payees = {}, {}, {}
        self.rows = 0
        self.flagged = {}
        self.exceptions = tempfile.SpooledTemporaryFile(max_size=16 << 20)

    def run(self, handle, encoding):
        """(read, new, already present, anomalies by kind, the summary's additions, lines touched)."""
        feed = _Feed(self, handle, encoding)
        try:
            first = feed.read()
            if feed.error is not None:
                raise feed.error
            with connection.cursor() as cursor:
                if self._any_imported(cursor, first):
                    raise NotClean
                new = self._write(cursor, feed, first)
                if self.flagged:
                    self.exceptions.seek(0)
                    table = connection.ops.quote_name(PaymentException._meta.db_table)
                    cursor.copy_expert(f"COPY {table} (voucher, kind, detail) FROM STDIN", self.exceptions, CHUNK)
        finally:
            self.exceptions.close()
        if new != self.rows or not self.rows:
            raise NotClean
        summary, touched = {}, set()
        for _tail, _flags, total, by_month in self.lines.values():
            if total is None:
                continue
            for month, (fen, count, refunds) in by_month.items():
                sums = summary.setdefault((*total, month), [0, 0, 0])
                sums[0] += fen
                sums[1] += count
                sums[2] += refunds
            if by_month and total[2] is not None:
                touched.add((total[0], total[2]))
        return self.rows, new, 0, self.flagged, summary, touched

    def _any_imported(self, cursor, first):
        # A file sent again is found by its first lines, before anything is written; a later voucher
        # already imported breaks the unique index during the COPY.
        vouchers = [line.split(b"\t", 1)[0].decode() for line in first.split(b"\n") if line]
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {Payment._meta.db_table} WHERE voucher = ANY(%s))", [vouchers])
        return cursor.fetchone()[0]

    def _write(self, cursor, feed, first):
        """Rows written; a batch large against the table goes in with its indexes and keys set aside (core.set_aside)."""
        table = Payment._meta.db_table
        if can_set_aside(cursor, table, feed.estimate()):
            with indexes_set_aside(cursor, table):
                return self._copy(cursor, feed, first)
        return self._copy(cursor, feed, first)

    def _copy(self, cursor, feed, first):
        feed.pending = first
        names = ", ".join(Payment._meta.get_field(name).column for name in COLUMNS)
        cursor.copy_expert(f"COPY {Payment._meta.db_table} ({names}) FROM STDIN", feed, CHUNK)
        if feed.error is not None:
            raise feed.error
        return cursor.rowcount

    def convert(self, data, newline):
        """The COPY lines of the file's lines in data (bytes, UTF-8); the anomalies go to self.exceptions.

        Run on every line of a million: what is read once per distinct value
        (the part of the line after the date, the date, the amount, the payee)
        is looked up.
        """
        out = []
        append = out.append
        canonical, width, padded, fields_of, rest_of = self.canonical, self.width, self.padded, self.fields_of, self.rest_of
        dates, lines, amounts, payees = self.dates, self.lines, self.amounts, self.payees
        rows = self.rows
        try:
            for line in data.split(newline):
                if not line:
                    continue  # a blank line, which the Python path skips
                if len(line) > CSV_FIELD_LIMIT:
                    raise NotClean
                if canonical:
                    voucher, paid_raw, rest = line.split(b",", 2)
                    rest, amount_raw, payee = rest.rsplit(b",", 2)
                else:
                    fields = line.split(b",")
                    if len(fields) != width:
                        raise NotClean
                    if padded:
                        fields.append(b"")
                    voucher, paid_raw, amount_raw, payee = fields_of(fields)
                    rest = rest_of(fields)
                if VOUCHER_FORM(voucher) is None or voucher[0] == EQUALS:
                    if not voucher and not line.replace(b",", b"").strip():
                        continue  # a row of empty fields, which the Python path skips
                    raise NotClean
                known = lines.get(rest)
                if known is None:
                    known = self._rest(rest)
                paid = dates.get(paid_raw)
                if paid is None:
                    paid = self._date(paid_raw)
                fen = amounts.get(amount_raw)
                if fen is None:
                    fen = self._amount(amount_raw)
                if payee not in payees:
                    self._payee(payee)
                by_month = known[3]
                sums = by_month.get(paid[1])
                if sums is None:
                    by_month[paid[1]] = [fen[1], 1, fen[2]]
                else:
                    sums[0] += fen[1]
                    sums[1] += 1
                    sums[2] += fen[2]
                if known[1]:
                    self._flag(voucher, known[1])
                append(b"\t".join((voucher, paid[0], fen[0], payee, known[0])))
                rows += 1
        except ValueError:  # a line of fewer than four commas, cut as the import's own layout; or not UTF-8
            raise NotClean from None
        self.rows = rows
        if rows > reader.max_rows():
            raise NotClean
        if not out:
            return b""
        out.append(b"")
        return b"\n".join(out)

    def _date(self, raw):
        if len(self.dates) >= MAX_DISTINCT:
            raise NotClean
        paid_on = self.readings.date(raw.decode())
        found = self.dates[raw] = (paid_on.isoformat().encode(), paid_on.replace(day=1))
        return found

    def _amount(self, raw):
        """(分 as COPY's text, 分, 分 refunded) of an amount; the cache is emptied when full, not grown."""
        amount = AMOUNT_FORM(raw)
        if amount is None:
            raise NotClean
        whole, tenths, cents = amount.groups()
        fen = whole + (tenths or b"0") + (cents or b"0")
        if len(self.amounts) >= VALUE_CACHE:
            self.amounts.clear()
        value = int(fen)
        found = self.amounts[raw] = (fen, value, min(value, 0))
        return found

    def _payee(self, raw):
        if not _plain(PAYEE, raw.decode()):
            raise NotClean
        if len(self.payees) >= VALUE_CACHE:
            self.payees.clear()
        self.payees[raw] = True

    def _rest(self, rest):
        """(the line's COPY text after its payee, its anomalies, its summary key without the month,
        {month: [分, rows, 分 refunded]})."""
        fields = rest.split(b",") if isinstance(rest, bytes) else rest
        if len(fields) != len(REST):
            raise NotClean
        prefecture_raw, county_raw, unit, document_raw, function_raw, economic_raw, mark_raw = (
            field.decode() for field in fields
        )
        if not _plain(UNIT, unit):
            raise NotClean
        place = _cached(self.places, (prefecture_raw, county_raw, document_raw), self.readings.place)
        prefecture_id, county_id, number, document_id, root_id, place_kind, place_detail = place
        code, use, function_kind, function_detail = _cached(self.functions, (function_raw,), self.readings.function)
        economic = _cached(self.economics, (economic_raw,), self.readings.economic)
        mark, mark_kind, mark_detail = _cached(self.marks, (mark_raw,), self.readings.mark)
        text = "\t".join(map(_copy_text, (
            prefecture_id, county_id, unit, number, document_id, root_id, code, economic, mark, use,
        ))).encode()
        flags = tuple(
            (kind.encode(), _copy_text(detail).encode())
            for kind, detail in ((place_kind, place_detail), (function_kind, function_detail), (mark_kind, mark_detail))
            if kind is not None
        )
        # A payment under no regional document is in no summary; its sums are kept, and left out.
        total = None if root_id is None else (root_id, prefecture_id, county_id, use)
        if len(self.lines) >= MAX_LINES:
            raise NotClean
        found = self.lines[rest] = (text, flags, total, {})
        return found

    def _flag(self, voucher, flags):
        for kind, detail in flags:
            self.exceptions.write(b"\t".join((voucher, kind, detail)) + b"\n")
            kind = kind.decode()
            self.flagged[kind] = self.flagged.get(kind, 0) + 1


def _cached(cache, key, read):
    found = cache.get(key)
    if found is None:
        if len(cache) >= MAX_DISTINCT:
            raise NotClean
        found = cache[key] = read(*key)
    return found


def _lines(data):
    """(data, its line break): "\r\n" when every line ends so, else "\n" (CRLF made LF); a bare CR is NotClean."""
    returns = data.count(b"\r")
    if not returns:
        return data, b"\n"
    pairs = data.count(b"\r\n")
    if pairs != returns:
        raise NotClean  # a line break the csv module reads and this module does not
    if pairs == data.count(b"\n"):
        return data, b"\r\n"
    return data.replace(b"\r\n", b"\n"), b"\n"


class _Feed:
    """The COPY lines of the file, a megabyte of it at a time, for copy_expert.

    Whatever stops it (a line it doubts, a decoding error, a bug) ends the
    data early and is kept in error, and _copy raises it after the COPY: the
    driver would have raised its own QueryCanceled instead, which the fast
    paths take for a database error and quietly give the file up for, so a
    bug here would only show as a slow import.
    """

    def __init__(self, stream, handle, encoding):
        self.stream = stream
        self.handle = handle
        # utf-8-sig: its mark stood before the heading, already read.
        self.encoding = "gb18030" if encoding == "gb18030" else "utf-8"
        self.held = b""
        self.pending = b""
        self.error = None
        self.start = handle.tell()
        self.done = False

    def estimate(self):
        """The file's rows, as many per byte as in the part read so far: whether to set the indexes aside."""
        read = self.handle.tell() - self.start
        here = self.handle.tell()
        end = self.handle.seek(0, 2)
        self.handle.seek(here)
        return self.stream.rows * (end - self.start) // max(read, 1)

    def read(self, size=-1):
        if self.pending:
            data, self.pending = self.pending, b""
            return data
        if self.error is not None:
            return b""
        try:
            while not self.done:
                chunk = self.handle.read(CHUNK)
                self.done = not chunk
                data = self.held + chunk
                # Whole lines: neither encoding has a "\n" byte inside a character.
                cut = len(data) if self.done else data.rfind(b"\n") + 1
                data, self.held = data[:cut], data[cut:]
                if len(self.held) > CSV_FIELD_LIMIT:
                    raise NotClean  # a line longer than any the Python path reads: not held whole, however long
                # Looked for in the bytes: in GB18030 a "\\" byte may also be half a character (doubted all the same).
                if any(mark in data for mark in DOUBTFUL):
                    raise NotClean
                if self.encoding == "gb18030":
                    data = data.decode("gb18030").encode()
                data = self.stream.convert(*_lines(data))
                if data:
                    return data
        except Exception as error:  # noqa: BLE001 - the driver would turn it into its own; _copy raises it as it is
            self.error = error
        return b""
