"""One payment row: its raw cells checked and read, or the reasons it cannot be (each naming the row and column).

Structural problems refuse the file (treasury.importing): a bad number or
date, more than 2 decimals, a date after today, an unknown prefecture or
county, a county of another prefecture. What is merely suspicious (a 文号
the prefecture never received, a code outside 20807, no direct-funds mark)
is read here as it is and flagged by treasury.anomalies.
"""

import datetime
import re
from dataclasses import dataclass

from core import clock
from core.amounts import AmountError, parse_amount
from core.workbook import clean_text, is_formula
from treasury.money import fen_from_yuan
from treasury.reader import (
    AMOUNT, COUNTY, DOCUMENT, ECONOMIC, FUNCTION, LABELS, MARK, PAID_ON, PAYEE, PREFECTURE, UNIT, VOUCHER,
)

MAX_LENGTHS = {VOUCHER: 60, UNIT: 200, DOCUMENT: 60, FUNCTION: 40, ECONOMIC: 40, MARK: 30, PAYEE: 200}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_LEADING_CODE = re.compile(r"[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class RowError(ValueError):
    pass


@dataclass(frozen=True)
class ParsedPayment:
    row: int
    voucher: str
    paid_on: datetime.date
    prefecture_id: int
    county_id: int | None
    budget_unit: str
    document_number: str
    function_code: str
    economic_code: str
    direct_mark: str
    amount_fen: int
    payee: str

    def content(self):
        """What an identical re-sent voucher must repeat, in CONTENT_FIELDS' order."""
        return tuple(getattr(self, name) for name in CONTENT_FIELDS)


CONTENT_FIELDS = (
    "paid_on", "prefecture_id", "county_id", "budget_unit", "document_number",
    "function_code", "economic_code", "direct_mark", "amount_fen", "payee",
)


class Places:
    """Prefectures and counties by their folded names: a county only ever together with its prefecture."""

    def __init__(self, prefectures, counties):
        self.prefectures = {clean_text(name): pk for pk, name in prefectures}
        self.names = {pk: name for pk, name in prefectures}
        self.counties = {}
        self.county_homes = {}
        for pk, prefecture_id, name in counties:
            key = clean_text(name)
            self.counties[(prefecture_id, key)] = pk
            self.county_homes.setdefault(key, []).append(prefecture_id)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, today):
    if isinstance(value, datetime.datetime):
        found = value.date()
    elif isinstance(value, datetime.date):
        found = value
    elif value is None or _text(value) == "":
        raise RowError("为空")
    elif isinstance(value, (int, float)):
        raise RowError(f"“{_text(value)}”不是日期（请写成 2023-06-15）")
    elif isinstance(value, str) and len(value) == 10 and _ISO_DATE.fullmatch(value):
        # The common case, 2023-06-15, without strptime: it runs on every row of a million-row file.
        try:
            found = datetime.date.fromisoformat(value)
        except ValueError:
            raise RowError(f"“{value}”不是日期（请写成 2023-06-15）") from None
    else:
        text = clean_text(value)
        # "2023-06-15 00:00:00" as some systems write a date.
        if len(text) > 10 and text[10:].strip("0:T.") == "":
            text = text[:10]
        found = None
        for form in _DATE_FORMATS:
            try:
                found = datetime.datetime.strptime(text, form).date()
                break
            except ValueError:
                continue
        if found is None:
            raise RowError(f"“{_text(value)[:40]}”不是日期（请写成 2023-06-15）")
    if found > today:
        raise RowError(f"{found.isoformat()} 晚于今天（{today.isoformat()}），不能是未来的日期")
    return found


def _code(value):
    # 2080704, "2080704", "2080704 社会保险补贴": the code is the leading digits.
    text = clean_text(_text(value))
    match = _LEADING_CODE.match(text)
    return match.group(0) if match else text


def place_of(prefecture_name, county_name, places):
    """(prefecture id, county id or None, [(column key, problem)]) of a row's two place names, as _text gives them."""
    prefecture_id = places.prefectures.get(clean_text(prefecture_name))
    county_id = None
    problems = []
    if not prefecture_name:
        problems.append((PREFECTURE, "为空"))
    elif prefecture_id is None:
        problems.append((PREFECTURE, f"“{prefecture_name[:40]}”不是已知的地（州、市）"))
    elif county_name:
        county_id = places.counties.get((prefecture_id, clean_text(county_name)))
        if county_id is None:
            homes = places.county_homes.get(clean_text(county_name))
            if homes:
                others = "、".join(places.names[pk] for pk in homes)
                problems.append((COUNTY, f"“{county_name[:40]}”不属于 {prefecture_name}（属于 {others}）"))
            else:
                problems.append((COUNTY, f"“{county_name[:40]}”不是 {prefecture_name} 已知的县（市、区）"))
    return prefecture_id, county_id, problems


def parse_row(number, cells, places, today=None):
    """ParsedPayment, or RowError whose message names the row and every problem in it."""
    today = today or clock.today()
    problems = []
    where = f"第{number}行"

    def problem(key, message):
        problems.append(f"{LABELS[key]}{message}")

    for key, value in cells.items():
        if is_formula(value):
            problem(key, f"是公式（{str(value)[:40]}），须为数值或文字")
    if problems:
        raise RowError(f"{where}：" + "；".join(problems))

    voucher = clean_text(_text(cells.get(VOUCHER)))
    if not voucher:
        problem(VOUCHER, "为空")
    try:
        paid_on = _date(cells.get(PAID_ON), today)
    except RowError as bad:
        problem(PAID_ON, str(bad))
        paid_on = None

    amount_fen = None
    raw_amount = cells.get(AMOUNT)
    if raw_amount is None or _text(raw_amount) == "":
        problem(AMOUNT, "为空")
    else:
        try:
            amount_fen = fen_from_yuan(parse_amount(raw_amount, LABELS[AMOUNT], allow_negative=True))
        except AmountError as bad:
            problems.append(bad.message)

    prefecture_id, county_id, place_problems = place_of(
        _text(cells.get(PREFECTURE)), _text(cells.get(COUNTY)), places
    )
    for key, message in place_problems:
        problem(key, message)

    texts = {
        UNIT: _text(cells.get(UNIT)),
        DOCUMENT: clean_text(_text(cells.get(DOCUMENT))),
        FUNCTION: _code(cells.get(FUNCTION)),
        ECONOMIC: _code(cells.get(ECONOMIC)),
        MARK: _text(cells.get(MARK)),
        PAYEE: _text(cells.get(PAYEE)),
    }
    if len(voucher) > MAX_LENGTHS[VOUCHER]:
        problem(VOUCHER, f"过长（{len(voucher)} 个字符，最多 {MAX_LENGTHS[VOUCHER]} 个）")
    for key, text in texts.items():
        if len(text) > MAX_LENGTHS[key]:
            problem(key, f"过长（{len(text)} 个字符，最多 {MAX_LENGTHS[key]} 个）")

    if problems:
        shown = f"{where}（{voucher[:60]}）" if voucher else where
        raise RowError(f"{shown}：" + "；".join(problems))
    return ParsedPayment(
        row=number,
        voucher=voucher,
        paid_on=paid_on,
        prefecture_id=prefecture_id,
        county_id=county_id,
        budget_unit=texts[UNIT],
        document_number=texts[DOCUMENT],
        function_code=texts[FUNCTION],
        economic_code=texts[ECONOMIC],
        direct_mark=texts[MARK],
        amount_fen=amount_fen,
        payee=texts[PAYEE],
    )


# The readers of single cells, for the PostgreSQL fast path (treasury.staging): it reads each distinct value of a
# column with them, so a value means there what it means here.
read_text, read_date, read_code = _text, _date, _code
