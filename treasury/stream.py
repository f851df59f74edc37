"""The first fast path of the payment import (PostgreSQL): a clean CSV of new vouchers, one COPY into the payments.

A month's file from the treasury is mostly vouchers never imported before.
Each line is checked and read here as it streams past (each distinct date,
place, 文号, code and mark once, by treasury.readings) and goes straight into
treasury_payment by one COPY, which PostgreSQL writes while the next megabyte
is read: the file is read once and its rows written once, on two cores. The
summary's additions and the anomalies are gathered on the way.

New vouchers only: one already imported, or one twice in the file, breaks
the voucher's unique index and the COPY fails. So does a line doubted here
(a quote, a tab or a backslash; a line of another width; a value the Python
path would read otherwise; a check stricter than the Python path's, never
looser). The savepoint is then rolled back with all it wrote, and
treasury.staging offers the file to its own fast path, then to the Python
path, whose messages are the only ones.
"""

import codecs
import re
import tempfile
from operator import itemgetter

from django.db import connection

from core.set_aside import can_set_aside, indexes_set_aside
from treasury import reader
from treasury.models import Payment, PaymentException
from treasury.parsing import MAX_LENGTHS
from treasury.readings import CSV_FIELD_LIMIT, MAX_DISTINCT, NotClean, Readings
from treasury.reader import (
    AMOUNT, COUNTY, DOCUMENT, ECONOMIC, FUNCTION, MARK, PAID_ON, PAYEE, PREFECTURE, UNIT, VOUCHER,
)

CHUNK = 1 << 20
# Printable ASCII without white space, as clean_text leaves it; its length in MAX_LENGTHS.
VOUCHER_FORM = re.compile(r"[!-~]{1,%d}" % MAX_LENGTHS[VOUCHER]).fullmatch
# What parse_amount reads the same: digits, an optional minus, at most 2 decimals, under 10^12 yuan.
AMOUNT_FORM = re.compile(r"(-?[0-9]{1,12})(?:\.([0-9])([0-9])?)?").fullmatch
# A quote opens a CSV field the csv module reads otherwise; the rest mean something to COPY's text format.
DOUBTFUL = ('"', "\t", "\\", "\x00")
# Whole lines but the voucher, date, amount and payee, read once per distinct combination; emptied past this.
LINE_CACHE = 100_000
# treasury_payment's columns in the order each COPY line gives them.
COLUMNS = (
    "voucher", "paid_on", "amount_fen", "payee", "prefecture", "county", "budget_unit", "document_number", "document",
    "root_document", "function_code", "economic_code", "direct_mark", "use", "imported_at",
)
REST = (PREFECTURE, COUNTY, UNIT, DOCUMENT, FUNCTION, ECONOMIC, MARK)


def _copy_text(value):
    """A value as COPY's text format reads it."""
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _plain(key, text):
    """预算单位 or 收款人 as the Python path reads it: no white space at either end (it strips), no leading "="."""
    return text == "" or (
        len(text) <= MAX_LENGTHS[key] and text[0] != "=" and not text[0].isspace() and not text[-1].isspace()
    )


class Stream:
    def __init__(self, work, header):
        self.work = work
        self.readings = Readings(work)
        columns, self.width = header
        # A column the file lacks reads as the empty field appended to every line.
        where = {key: columns.get(key, self.width) for key in (VOUCHER, PAID_ON, AMOUNT, PAYEE, *REST)}
        self.padded = len(columns) < len(where)
        self.fields_of = itemgetter(where[VOUCHER], where[PAID_ON], where[AMOUNT], where[PAYEE])
        self.rest_of = itemgetter(*(where[key] for key in REST))
        self.dates, self.places, self.functions, self.economics, self.marks, self.lines = {}, {}, {}, {}, {}, {}
        self.rows = 0
        self.totals = {}
        self.flagged = {}
        self.exceptions = tempfile.SpooledTemporaryFile(max_size=16 << 20)
        self.now = _copy_text(work.now.isoformat())

    def run(self, handle, encoding):
        """(read, new, already present, anomalies by kind, the summary's additions, lines touched)."""
        feed = _Feed(self, handle, encoding)
        first = feed.read()
        if feed.error is not None:
            raise feed.error
        table = Payment._meta.db_table
        with connection.cursor() as cursor:
            if self._any_imported(cursor, first):
                raise NotClean
            if can_set_aside(cursor, table, feed.estimate()):
                with indexes_set_aside(cursor, table):
                    new = self._copy(cursor, feed, first)
            else:
                new = self._copy(cursor, feed, first)
            if self.flagged:
                self.exceptions.seek(0)
                table = connection.ops.quote_name(PaymentException._meta.db_table)
                cursor.copy_expert(f"COPY {table} (voucher, kind, detail) FROM STDIN", self.exceptions, CHUNK)
        self.exceptions.close()
        if new != self.rows or not self.rows:
            raise NotClean
        summary, touched = {}, set()
        for (total, month), sums in self.totals.items():
            root_id, prefecture_id, county_id, use = total
            summary[(root_id, prefecture_id, county_id, use, month)] = sums
            if county_id is not None:
                touched.add((root_id, county_id))
        return self.rows, new, 0, self.flagged, summary, touched

    def _any_imported(self, cursor, first):
        # A file sent again is found by its first lines, before anything is written; a later voucher
        # already imported breaks the unique index during the COPY.
        vouchers = [line.split(b"\t", 1)[0].decode() for line in first.splitlines()]
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {Payment._meta.db_table} WHERE voucher = ANY(%s))", [vouchers])
        return cursor.fetchone()[0]

    def _copy(self, cursor, feed, first):
        feed.pending = first
        names = ", ".join(Payment._meta.get_field(name).column for name in COLUMNS)
        cursor.copy_expert(f"COPY {Payment._meta.db_table} ({names}) FROM STDIN", feed, CHUNK)
        if feed.error is not None:
            raise feed.error
        return cursor.rowcount

    def convert(self, text):
        """The COPY lines of the file's lines in text; the anomalies go to self.exceptions."""
        if "\r" in text:
            if text.count("\r") != text.count("\r\n"):
                raise NotClean
            text = text.replace("\r\n", "\n")
        out = []
        append = out.append
        width, padded, fields_of, rest_of = self.width, self.padded, self.fields_of, self.rest_of
        dates, lines, totals = self.dates, self.lines, self.totals
        rows = self.rows
        for line in text.split("\n"):
            if not line:
                continue  # a blank line, which the Python path skips
            fields = line.split(",")
            if len(fields) != width or len(line) > CSV_FIELD_LIMIT:
                raise NotClean
            if padded:
                fields.append("")
            voucher, paid_raw, amount_raw, payee = fields_of(fields)
            if VOUCHER_FORM(voucher) is None or voucher[0] == "=":
                if not voucher and not "".join(fields).strip():
                    continue  # a row of empty fields, which the Python path skips
                raise NotClean
            rest = rest_of(fields)
            known = lines.get(rest)
            if known is None:
                known = self._rest(rest)
            paid = dates.get(paid_raw)
            if paid is None:
                paid = self._date(paid_raw)
            amount = AMOUNT_FORM(amount_raw)
            if amount is None or not _plain(PAYEE, payee):
                raise NotClean
            whole, tenths, cents = amount.groups()
            fen = whole + (tenths or "0") + (cents or "0")
            tail, flags, total = known
            if total is not None:
                key = (total, paid[1])
                sums = totals.get(key)
                if sums is None:
                    totals[key] = [int(fen), 1]
                else:
                    sums[0] += int(fen)
                    sums[1] += 1
            if flags:
                self._flag(voucher, flags)
            append(f"{voucher}\t{paid[0]}\t{fen}\t{payee}\t{tail}\n")
            rows += 1
        self.rows = rows
        if rows > reader.max_rows():
            raise NotClean
        return "".join(out).encode()

    def _date(self, raw):
        if len(self.dates) >= MAX_DISTINCT:
            raise NotClean
        paid_on = self.readings.date(raw)
        found = self.dates[raw] = (paid_on.isoformat(), paid_on.replace(day=1))
        return found

    def _rest(self, rest):
        """(the line's COPY text after its payee, its anomalies, its summary key without the month)."""
        prefecture_raw, county_raw, unit, document_raw, function_raw, economic_raw, mark_raw = rest
        if not _plain(UNIT, unit):
            raise NotClean
        place = _cached(self.places, (prefecture_raw, county_raw, document_raw), self.readings.place)
        prefecture_id, county_id, number, document_id, root_id, place_kind, place_detail = place
        code, use, function_kind, function_detail = _cached(self.functions, (function_raw,), self.readings.function)
        economic = _cached(self.economics, (economic_raw,), self.readings.economic)
        mark, mark_kind, mark_detail = _cached(self.marks, (mark_raw,), self.readings.mark)
        text = "\t".join(map(_copy_text, (
            prefecture_id, county_id, unit, number, document_id, root_id, code, economic, mark, use,
        ))) + "\t" + self.now
        flags = tuple(
            (kind, _copy_text(detail))
            for kind, detail in ((place_kind, place_detail), (function_kind, function_detail), (mark_kind, mark_detail))
            if kind is not None
        )
        total = None if root_id is None else (root_id, prefecture_id, county_id, use)
        if len(self.lines) >= LINE_CACHE:
            self.lines.clear()
        found = self.lines[rest] = (text, flags, total)
        return found

    def _flag(self, voucher, flags):
        for kind, detail in flags:
            self.exceptions.write(f"{voucher}\t{kind}\t{detail}\n".encode())
            self.flagged[kind] = self.flagged.get(kind, 0) + 1


def _cached(cache, key, read):
    found = cache.get(key)
    if found is None:
        if len(cache) >= MAX_DISTINCT:
            raise NotClean
        found = cache[key] = read(*key)
    return found


class _Feed:
    """The COPY lines of the file, a megabyte of it at a time, for copy_expert.

    A line it doubts ends the data early, and error says why: the COPY then
    ends without an error of the driver's own, and the caller raises it.
    """

    def __init__(self, stream, handle, encoding):
        self.stream = stream
        self.handle = handle
        # utf-8-sig: its mark stood before the heading, already read.
        self.decoder = codecs.getincrementaldecoder("gb18030" if encoding == "gb18030" else "utf-8")("strict")
        self.held = ""
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
                text = self.held + self.decoder.decode(chunk, final=self.done)
                if any(mark in text for mark in DOUBTFUL):
                    raise NotClean
                cut = len(text) if self.done else text.rfind("\n") + 1
                text, self.held = text[:cut], text[cut:]
                data = self.stream.convert(text)
                if data:
                    return data
        except (NotClean, UnicodeDecodeError) as doubt:
            self.error = doubt
        return b""
