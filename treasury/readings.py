"""Each distinct value of a clean CSV read once, as the Python path reads it, for the fast paths.

treasury.stream and treasury.staging read a column's raw text with
treasury.parsing's own functions and judge it with treasury.anomalies.judge,
once per distinct value (a million rows name a few hundred places), so a
value means on a fast path what it means row by row. A value the Python path
would refuse, or would read otherwise, is NotClean: the file then goes to the
Python path, whose messages are the only ones.
"""

import csv
from types import SimpleNamespace

from core.workbook import clean_text, is_formula
from treasury.anomalies import judge
from treasury.models import ExceptionKind
from treasury.parsing import MAX_LENGTHS, RowError, place_of, read_code, read_date, read_text
from treasury.reader import DOCUMENT, ECONOMIC, FUNCTION, MARK

# Python's csv module refuses a longer field (csv.field_size_limit()); COPY would take it.
CSV_FIELD_LIMIT = csv.field_size_limit()
# More distinct values than this in one column group (a million different 文号, say) is no longer a clean file.
MAX_DISTINCT = 50_000
# What str.strip() and str.split() take as white space.
WHITESPACE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())
PLACE_KINDS = {ExceptionKind.UNKNOWN_DOCUMENT, ExceptionKind.COUNTY_NOT_IN_DOCUMENT}


class NotClean(Exception):
    """The file is not one the fast path takes; the Python path reads it and says what, if anything, is wrong."""


class Readings:
    def __init__(self, work):
        self.work = work

    def date(self, raw):
        return _read(read_date, raw, self.work.today)

    def place(self, prefecture_raw, county_raw, document_raw):
        """(prefecture id, county id, 文号, document id, regional document id, anomaly kind, its detail)."""
        work = self.work
        prefecture_id, county_id, problems = place_of(
            _read(read_text, prefecture_raw), _read(read_text, county_raw), work.places
        )
        if problems:
            raise NotClean
        number = _limited(DOCUMENT, clean_text(_read(read_text, document_raw)))
        document_id, root_id, _use, flags = judge(
            _payment(document_number=number, prefecture_id=prefecture_id, county_id=county_id),
            work.documents,
            work.places.names[prefecture_id],
            work._county_names.get(county_id, ""),
        )
        return (prefecture_id, county_id, number, document_id, root_id, *_flag(flags, PLACE_KINDS))

    def function(self, raw):
        """(code, use, anomaly kind, its detail)."""
        code = _limited(FUNCTION, _read(read_code, raw))
        _document_id, _root_id, use, flags = judge(_payment(function_code=code), self.work.documents, "", "")
        return (code, use, *_flag(flags, {ExceptionKind.NOT_EMPLOYMENT_SUBSIDY}))

    def economic(self, raw):
        return _limited(ECONOMIC, _read(read_code, raw))

    def mark(self, raw):
        """(mark, anomaly kind, its detail)."""
        mark = _limited(MARK, _read(read_text, raw))
        flags = judge(_payment(direct_mark=mark), self.work.documents, "", "")[3]
        return (mark, *_flag(flags, {ExceptionKind.MISSING_DIRECT_MARK}))


def _read(function, raw, *args):
    """A cell's reading as the Python path makes it: blank is None, a formula or a RowError is NotClean."""
    value = raw if raw.strip() else None
    if is_formula(value) or len(raw) > CSV_FIELD_LIMIT:
        raise NotClean
    try:
        return function(value, *args)
    except RowError:
        raise NotClean from None


def _limited(key, text):
    if len(text) > MAX_LENGTHS[key]:
        raise NotClean
    return text


def _payment(**given):
    """A stand-in payment for judge(): only the fields a kind of anomaly looks at are read for that kind."""
    fields = {"document_number": "", "prefecture_id": None, "county_id": None, "function_code": "", "direct_mark": ""}
    return SimpleNamespace(**{**fields, **given})


def _flag(flags, kinds):
    """(kind, detail) of the one anomaly of these kinds, or (None, None); details cut as the Python path cuts them."""
    found = [(kind.value, detail[:300]) for kind, detail in flags if kind in kinds]
    if len(found) > 1:
        raise NotClean
    return found[0] if found else (None, None)
