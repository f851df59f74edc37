"""The second PostgreSQL fast path of the payment import: a clean CSV file by COPY and set-based SQL.

A file of new vouchers goes first to treasury.stream, which writes it by one
COPY; a file it gives up (a voucher already imported, mostly) comes here.
The Python path (treasury.importing) reads a row at a time, a minute for a
million rows. Here the file's data lines go as they are into a temporary
table of text columns by COPY; SQL checks every row at once, and each column
whose reading needs the project's rules (dates, places, codes, 文号, the
direct-funds mark) is read once per distinct value by treasury.readings. The
payments, their anomalies and the summary's additions are then written by
INSERT … SELECT, the vouchers already imported left out.

Only a file the Python path would accept whole, to the same values, is taken.
At the first doubt (a quote character, whose CSV reading PostgreSQL and
Python's csv module do not always share; a row that does not pass; a voucher
already imported with other content; a repeated voucher; any database error)
import_clean_csv returns False, its savepoint is rolled back with everything
it made, and the Python path reads the file: every refusal message is the
Python path's.
"""

import codecs
import csv

from django.db import DatabaseError, connection, transaction

from core.set_aside import can_set_aside, indexes_set_aside
from core.workbook import WorkbookError
from treasury import reader, stream
from treasury.models import Payment, PaymentException
from treasury.parsing import MAX_LENGTHS
from treasury.readings import CSV_FIELD_LIMIT, MAX_DISTINCT, WHITESPACE, NotClean, Readings
from treasury.reader import (
    AMOUNT, COUNTY, DOCUMENT, ECONOMIC, FUNCTION, MARK, PAID_ON, PAYEE, PREFECTURE, UNIT, VOUCHER,
)

CHUNK = 1 << 20
# WHITESPACE as SQL string literals for btrim() and strpos() (a view takes no parameters).
SPACE = "E'" + "".join(f"\\u{ord(c):04X}" for c in WHITESPACE) + "'"
EQUALS_OR_SPACE = "E'=" + SPACE[2:]

FILE, STAGED, RESOLVED, PRESENT = "treasury_staged_file", "treasury_staged", "treasury_resolved", "treasury_present"
DATES, PLACES, FUNCTIONS, ECONOMICS, MARKS = (
    "treasury_staged_dates", "treasury_staged_places", "treasury_staged_functions", "treasury_staged_economics",
    "treasury_staged_marks",
)
NAMED = (VOUCHER, PAID_ON, PREFECTURE, COUNTY, UNIT, DOCUMENT, FUNCTION, ECONOMIC, MARK, AMOUNT, PAYEE)
# The grouping sets of the survey: each a column group read once per distinct value.
GROUPS = ((PAID_ON,), (PREFECTURE, COUNTY, DOCUMENT), (FUNCTION,), (ECONOMIC,), (MARK,), ())
KEYED = (PAID_ON, PREFECTURE, COUNTY, DOCUMENT, FUNCTION, ECONOMIC, MARK)


def import_clean_csv(source, name, encoding, work):
    """Import the file into work (treasury.importing._Import) and return True, or return False having written nothing."""
    if connection.vendor != "postgresql":
        return False
    try:
        opened = reader.heading_first(source, name, encoding)
    except (WorkbookError, UnicodeDecodeError, csv.Error, OSError):
        return False
    if opened is None:
        return False
    chosen, header, handle, close = opened
    start = handle.tell()
    try:
        # New vouchers only, in one pass (treasury.stream); else staged, which takes vouchers already imported.
        path, found = "stream", _attempt(stream.Stream(work, header).run, handle, chosen)
        if found is None:
            handle.seek(start)
            path, found = "staged", _attempt(_Staging(work, header).run, handle, None if chosen != "gb18030" else chosen)
    finally:
        if close:
            handle.close()
    if found is None:
        return False
    read, new, present, flagged, summary, touched = found
    outcome = work.outcome
    outcome.kind, outcome.read, outcome.new, outcome.present = f"CSV（{chosen}）", read, new, present
    outcome.flagged.update(flagged)
    outcome.fast = path
    work.summary.update(summary)
    work.touched.update(touched)
    return True


def _attempt(run, handle, encoding):
    """run's result, or None with everything it wrote rolled back (its own savepoint)."""
    try:
        with transaction.atomic():
            return run(handle, encoding)
    except (NotClean, DatabaseError, connection.Database.Error, UnicodeDecodeError):
        # connection.Database.Error: copy_expert is the driver's own, its errors not wrapped as Django's.
        return None


class _Feed:
    """The data lines for COPY, as UTF-8; it ends early at what PostgreSQL's CSV reading could take otherwise.

    Blank lines at the end of the file (which the Python path skips, and COPY
    would refuse as rows without columns) are held back and dropped.
    """

    def __init__(self, handle, encoding):
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder(encoding)("strict") if encoding else None
        self.doubtful = False
        self.last = b""
        self.held = b""

    def read(self, size=-1):
        while not self.doubtful:
            chunk = self.handle.read(CHUNK)
            if self.decoder is not None:
                chunk = self.decoder.decode(chunk, final=not chunk).encode("utf-8")
            if not chunk:
                # The end: the last line's break, without the blank lines after it.
                tail, self.held = self.held, b""
                return tail[:2] if tail.startswith(b"\r\n") else tail[:1]
            # A quote: COPY opens a quoted field anywhere in a field, csv only at its start.
            # A line "\.": COPY's end of data, a row to csv.
            if b'"' in chunk or b"\\." in chunk or (self.last == b"\\" and chunk[:1] == b"."):
                self.doubtful = True
                break
            self.last = chunk[-1:]
            data = self.held + chunk
            body = data.rstrip(b"\r\n")
            self.held = data[len(body):]
            if body:
                return body
        return b""


def _quoted(name):
    return connection.ops.quote_name(name)


def _column(model, name):
    return _quoted(model._meta.get_field(name).column)


class _Staging:
    def __init__(self, work, header):
        self.work = work
        self.columns, self.width = header
        self.cursor = None

    def run(self, handle, encoding):
        with connection.cursor() as cursor:
            self.cursor = cursor
            self._copy(handle, encoding)
            read, groups = self._survey()
            self._read_values(groups)
            present = self._present()
            new, summary, touched = self._write_payments(present, read - present)
            flagged = self._write_exceptions(present)
            cursor.execute(f"DROP TABLE {FILE}, {DATES}, {PLACES}, {FUNCTIONS}, {ECONOMICS}, {MARKS}, {PRESENT} CASCADE")
        return read, new, present, flagged, summary, touched

    def _copy(self, handle, encoding):
        names = [f"c{index}" for index in range(self.width)]
        self.cursor.execute(
            f"CREATE TEMP TABLE {FILE} (n bigint GENERATED ALWAYS AS IDENTITY, "
            + ", ".join(f"{column} text" for column in names) + ") ON COMMIT DROP"
        )
        feed = _Feed(handle, encoding)
        # FORCE_NOT_NULL: an empty field is '', as a blank cell is to the Python path; no NULL to join on.
        self.cursor.copy_expert(
            f"COPY {FILE} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(names)}))",
            feed,
            CHUNK,
        )
        if feed.doubtful:
            raise NotClean
        # A temporary table has no statistics until analysed: the joins below would be planned for a few rows.
        self.cursor.execute(f"ANALYZE {FILE}")
        named = ", ".join(
            [(f"c{self.columns[key]}" if key in self.columns else "''::text") + f" AS {key}" for key in NAMED]
            # The columns the import does not know, for the row check's length limit.
            + [f"c{index}" for index in sorted(set(range(self.width)) - set(self.columns.values()))]
        )
        # The heading is row 1: the first data line is row 2, as the Python path numbers it. A row of empty
        # fields (",,,,", as spreadsheets write formatted empty rows) is skipped there: here too.
        voucher = f"c{self.columns[VOUCHER]}"
        self.cursor.execute(
            f"CREATE TEMP VIEW {STAGED} AS SELECT n + 1 AS row, {named} FROM {FILE}"
            f" WHERE {voucher} <> '' OR btrim(concat({', '.join(names)}), {SPACE}) <> ''"
        )

    def _row_check(self):
        """SQL true for a row whose voucher, amount, 预算单位 and 收款人 the Python path reads as they stand.

        Each check may be stricter than the Python path, never looser: a row it
        fails sends the file to the Python path. Regular expressions and strpos,
        not casts and btrim: the numeric cast of every amount was half the scan.
        """
        present = self.columns
        checks = [
            # Printable ASCII without white space: clean_text leaves it as it is.
            "voucher <> '' AND octet_length(voucher) <= %(voucher_max)s AND left(voucher, 1) <> '='"
            " AND voucher !~ '[^!-~]'",
            # Digits with an optional minus and at most 2 decimals: what parse_amount reads the same (no
            # separators, no full-width digits); under 10^12 yuan, read as a number only when it could be more.
            "amount ~ '^-?[0-9]+(\\.[0-9][0-9]?)?$'"
            " AND (octet_length(amount) <= 12 OR (octet_length(amount) <= 30 AND abs(amount::numeric) < 1000000000000))",
        ]
        for key in (UNIT, PAYEE):
            if key in present:
                # Neither begins nor ends with white space (as btrim would find), nor begins with "=".
                checks.append(
                    f"({key} = '' OR (length({key}) <= {MAX_LENGTHS[key]} AND strpos({EQUALS_OR_SPACE}, left({key}, 1)) = 0"
                    f" AND strpos({SPACE}, right({key}, 1)) = 0))"
                )
        for index in set(range(self.width)) - set(present.values()):
            checks.append(f"length(c{index}) <= {CSV_FIELD_LIMIT}")
        return " AND ".join(f"({check})" for check in checks)

    def _survey(self):
        """(rows, {group: [distinct values]}) in one scan; NotClean when a row does not pass."""
        sets = ", ".join("(" + ", ".join(group) + ")" for group in GROUPS)
        self.cursor.execute(
            f"SELECT GROUPING({', '.join(KEYED)}), {', '.join(KEYED)}, count(*), count(*) FILTER (WHERE NOT passes)"
            f" FROM (SELECT {', '.join(KEYED)}, {self._row_check()} AS passes FROM {STAGED} s) s"
            f" GROUP BY GROUPING SETS ({sets}) LIMIT %(limit)s",
            {"voucher_max": MAX_LENGTHS[VOUCHER],
             "limit": MAX_DISTINCT * len(GROUPS)},
        )
        masks = {sum(1 << (len(KEYED) - 1 - i) for i, key in enumerate(KEYED) if key not in group): group for group in GROUPS}
        groups = {group: [] for group in GROUPS}
        rows = failing = 0
        for mask, *values, count, bad in self.cursor.fetchall():
            group = masks[mask]
            if not group:
                rows, failing = count, bad
                continue
            groups[group].append(tuple(values[KEYED.index(key)] for key in group))
            if len(groups[group]) > MAX_DISTINCT:
                raise NotClean
        if rows == 0 or failing or rows > reader.max_rows():
            raise NotClean
        return rows, groups

    def _read_values(self, groups):
        """The small tables of each distinct value's reading; NotClean at a value the Python path would refuse."""
        readings = Readings(self.work)
        dates = [(raw, readings.date(raw)) for (raw,) in groups[(PAID_ON,)]]
        places = [(*raws, *readings.place(*raws)) for raws in groups[(PREFECTURE, COUNTY, DOCUMENT)]]
        functions = [(raw, *readings.function(raw)) for (raw,) in groups[(FUNCTION,)]]
        economics = [(raw, readings.economic(raw)) for (raw,) in groups[(ECONOMIC,)]]
        marks = [(raw, *readings.mark(raw)) for (raw,) in groups[(MARK,)]]
        self._table(DATES, "raw text, paid_on date", dates)
        self._table(
            PLACES,
            "prefecture_raw text, county_raw text, document_raw text, prefecture_id bigint, county_id bigint, "
            "document_number text, document_id bigint, root_id bigint, kind text, detail text",
            places,
        )
        self._table(FUNCTIONS, "raw text, code text, use text, kind text, detail text", functions)
        self._table(ECONOMICS, "raw text, code text", economics)
        self._table(MARKS, "raw text, mark text, kind text, detail text", marks)
        self.cursor.execute(
            f"CREATE TEMP VIEW {RESOLVED} AS SELECT s.row, s.voucher, d.paid_on, p.prefecture_id, p.county_id,"
            " s.budget_unit, p.document_number, p.document_id, p.root_id,"
            " f.code AS function_code, e.code AS economic_code, m.mark AS direct_mark,"
            " (s.amount::numeric * 100)::bigint AS amount_fen, s.payee, f.use,"
            " p.kind AS place_kind, p.detail AS place_detail, f.kind AS function_kind, f.detail AS function_detail,"
            " m.kind AS mark_kind, m.detail AS mark_detail"
            f" FROM {STAGED} s"
            f" JOIN {DATES} d ON d.raw = s.paid_on"
            f" JOIN {PLACES} p ON p.prefecture_raw = s.prefecture AND p.county_raw = s.county"
            " AND p.document_raw = s.document_number"
            f" JOIN {FUNCTIONS} f ON f.raw = s.function_code"
            f" JOIN {ECONOMICS} e ON e.raw = s.economic_code"
            f" JOIN {MARKS} m ON m.raw = s.direct_mark"
        )

    def _table(self, name, columns, rows):
        self.cursor.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")
        if rows:
            marks = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
            self.cursor.executemany(f"INSERT INTO {name} VALUES {marks}", rows)
        self.cursor.execute(f"ANALYZE {name}")

    def _present(self):
        """How many rows are vouchers already imported with the same content; NotClean when one differs or repeats."""
        content = ("paid_on", "prefecture_id", "county_id", "budget_unit", "document_number", "function_code",
                   "economic_code", "direct_mark", "amount_fen", "payee")
        before = ", ".join(f"p.{_column(Payment, name.removesuffix('_id'))}" for name in content)
        now = ", ".join(f"r.{name}" for name in content)
        self.cursor.execute(
            f"CREATE TEMP TABLE {PRESENT} ON COMMIT DROP AS SELECT r.voucher, ({before}) IS NOT DISTINCT FROM ({now}) AS same"
            f" FROM {RESOLVED} r JOIN {_quoted(Payment._meta.db_table)} p ON p.{_column(Payment, 'voucher')} = r.voucher"
        )
        self.cursor.execute(f"SELECT count(*), count(DISTINCT voucher), coalesce(bool_and(same), true) FROM {PRESENT}")
        count, distinct, same = self.cursor.fetchone()
        if count != distinct or not same:
            raise NotClean
        return count

    @staticmethod
    def _new_only(present):
        return f"NOT EXISTS (SELECT 1 FROM {PRESENT} x WHERE x.voucher = r.voucher)" if present else "true"

    def _write_payments(self, present, expected):
        """(rows written, the summary's additions {(document, prefecture, county, use, month): [分, payments]}, lines touched).

        The additions are summed from the rows as they are written (RETURNING): one pass over the file, not two.
        A batch large against the table goes in with the table's indexes and foreign keys set aside and put back
        (core.set_aside), when no other session is using the tables it then locks.
        """
        table = Payment._meta.db_table
        if can_set_aside(self.cursor, table, expected):
            with indexes_set_aside(self.cursor, table):
                return self._insert_payments(present)
        return self._insert_payments(present)

    def _insert_payments(self, present):
        names = ("voucher", "paid_on", "prefecture", "county", "budget_unit", "document_number", "document",
                 "root_document", "function_code", "economic_code", "direct_mark", "amount_fen", "payee", "use",
                 "imported_at")
        values = ("voucher", "paid_on", "prefecture_id", "county_id", "budget_unit", "document_number", "document_id",
                  "root_id", "function_code", "economic_code", "direct_mark", "amount_fen", "payee", "use", "%s")
        keys = ", ".join(_column(Payment, name) for name in ("root_document", "prefecture", "county", "use"))
        # A voucher twice among the new rows breaks the voucher's unique index: NotClean, by DatabaseError.
        self.cursor.execute(
            f"WITH written AS (INSERT INTO {_quoted(Payment._meta.db_table)} ({', '.join(_column(Payment, n) for n in names)})"
            f" SELECT {', '.join(values)} FROM {RESOLVED} r WHERE {self._new_only(present)}"
            f" RETURNING {keys}, {_column(Payment, 'paid_on')} AS paid_on, {_column(Payment, 'amount_fen')} AS amount_fen)"
            f" SELECT {keys}, date_trunc('month', paid_on)::date, sum(amount_fen), count(*), sum(least(amount_fen, 0))"
            " FROM written"
            " GROUP BY 1, 2, 3, 4, 5",
            [self.work.now],
        )
        new, summary, touched = 0, {}, set()
        for root_id, prefecture_id, county_id, use, month, fen, count, refunds in self.cursor.fetchall():
            new += count
            if root_id is None:
                continue
            summary[(root_id, prefecture_id, county_id, use, month)] = [int(fen), count, int(refunds)]
            if county_id is not None:
                touched.add((root_id, county_id))
        return new, summary, touched

    def _write_exceptions(self, present):
        self.cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {PLACES} WHERE kind IS NOT NULL)"
            f" OR EXISTS (SELECT 1 FROM {FUNCTIONS} WHERE kind IS NOT NULL)"
            f" OR EXISTS (SELECT 1 FROM {MARKS} WHERE kind IS NOT NULL)"
        )
        if not self.cursor.fetchone()[0]:
            return {}
        table = _quoted(PaymentException._meta.db_table)
        columns = ", ".join(_column(PaymentException, name) for name in ("payment", "kind", "detail"))
        self.cursor.execute(
            f"WITH written AS (INSERT INTO {table} ({columns}) SELECT r.voucher, f.kind, f.detail FROM {RESOLVED} r"
            " CROSS JOIN LATERAL (VALUES (r.place_kind, r.place_detail), (r.function_kind, r.function_detail),"
            " (r.mark_kind, r.mark_detail)) AS f (kind, detail)"
            f" WHERE f.kind IS NOT NULL AND {self._new_only(present)} RETURNING {_column(PaymentException, 'kind')})"
            " SELECT kind, count(*) FROM written GROUP BY kind"
        )
        return dict(self.cursor.fetchall())

