"""On PostgreSQL a clean CSV is imported by COPY to exactly what the row-by-row path writes.

Each case runs on both fast paths (fast_path: a file of new vouchers streamed
into the payments by one COPY, treasury.stream; or staged and written by SQL,
treasury.staging) and imports the same files twice from an empty treasury,
once as the import chooses (the fast path, checked to have been taken) and
once with the fast paths switched off, and compares every payment, anomaly and summary row
and the reported counts. A file with anything wrong goes to the Python path,
whose messages are the only ones.
"""

import pytest
from django.db import connection

from tests.treasury.conftest import REALLOCATION, state
from tests.treasury.payment_files import HEADER, csv_bytes, row, sample_rows, write
from treasury import reader, stream
from treasury.importing import PaymentsRefused, import_payments
from treasury.models import Payment, PaymentException, PaymentSummary

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the fast path is PostgreSQL's (COPY); SQLite always reads row by row"
    ),
    pytest.mark.usefixtures("fast_path"),
]


def _rows():
    """Everything written, without the ids and import times that differ between two runs."""
    payments = Payment.objects.values_list(
        "voucher", "paid_on", "prefecture_id", "county_id", "budget_unit", "document_number", "document_id",
        "root_document_id", "function_code", "economic_code", "direct_mark", "amount_fen", "payee", "use",
    )
    exceptions = PaymentException.objects.values_list("payment_id", "kind", "detail")
    summary = PaymentSummary.objects.values_list(
        "document_id", "prefecture_id", "county_id", "use", "month", "paid_fen", "payments", "refunds_fen"
    )
    return {"payments": sorted(payments), "exceptions": sorted(exceptions), "summary": sorted(summary, key=str)}


def _counts(outcome):
    return (outcome.kind, outcome.read, outcome.new, outcome.present, outcome.refused, outcome.flagged)


def _run(paths):
    return [import_payments(path, path.name) for path in paths]


def _empty_treasury():
    PaymentException.objects.all().delete()
    PaymentSummary.objects.all().delete()
    Payment.objects.all().delete()


def _both_ways(python_path, *paths):
    """(rows and counts the fast path gave, the same from the Python path), each from an empty treasury."""
    _empty_treasury()
    fast = _run(paths)
    assert all(outcome.fast for outcome in fast)
    fast_rows = _rows()
    _empty_treasury()
    with python_path:
        slow = _run(paths)
    assert not any(outcome.fast for outcome in slow)
    return (fast_rows, [_counts(o) for o in fast]), (_rows(), [_counts(o) for o in slow])


def _every_anomaly():
    return [
        row("ZF01", document="新财社〔2023〕999号"),  # a document nobody issued
        row("ZF02", prefecture="喀什地区", county="疏附县", document=REALLOCATION),  # another prefecture's 转下达
        row("ZF03", document=REALLOCATION, amount="1000000.00"),  # rolls up to the notice
        row("ZF04", document=REALLOCATION, county="米东区"),  # a county the 转下达 does not name
        row("ZF05", county="达坂城区"),  # a county the notice gives nothing (its line is removed below)
        row("ZF06", function="2080899"),  # outside 20807
        row("ZF07", function="2080710"),  # in 20807, in no mapping: use unknown
        row("ZF08", function="2080702 职业培训补贴"),  # the code is the leading digits
        row("ZF09", mark=""),
        row("ZF10", mark="02 其他资金"),
        row("ZF11", mark="01中央直达资金"),  # the mark without its space is the mark
        row("ZF12", county="", amount="5000.00"),  # the prefecture's own units
        row("ZF13", amount="-200.00"),  # a refund
        row("ZF14", amount="-0.5", paid_on="2023-06-30"),
        row("ZF15", county="乌鲁木齐县", paid_on="2023-06-01", amount="300000.00"),  # over its allocation, in date order
        row("ZF16", county="乌鲁木齐县", paid_on="2023-06-20", amount="999999.99"),
        row("ZF17", mark="", function="2010101", document="新财社〔2023〕999号", unit="", payee=""),  # three at once
        row("ZF18", paid_on="2023-07-31", amount="0"),
    ]


def test_it_imports_the_sample_to_the_same_rows_and_counts(python_path, tmp_path, reference_data):
    path = write(tmp_path, "sample.csv", csv_bytes(sample_rows()))

    fast, slow = _both_ways(python_path, path)

    assert fast == slow
    assert len(fast[0]["payments"]) == 237 and fast[0]["summary"]


def test_it_writes_every_kind_of_anomaly_as_the_python_path_does(python_path, tmp_path, urumqi_reallocation):
    urumqi_reallocation.parent.lines.filter(county__name="达坂城区").delete()
    path = write(tmp_path, "payments.csv", csv_bytes(_every_anomaly()))

    fast, slow = _both_ways(python_path, path)

    assert fast == slow
    kinds = {kind for _voucher, kind, _detail in fast[0]["exceptions"]}
    assert kinds == {"unknown_document", "county_not_in_document", "not_employment_subsidy", "missing_direct_mark", "over_allocation"}


@pytest.mark.parametrize("overlap", ["first", "last"])
def test_it_adds_only_the_new_vouchers_of_an_overlapping_resend(python_path, tmp_path, reference_data, overlap):
    rows = sample_rows()
    first = write(tmp_path, "june.csv", csv_bytes(rows[:150]))
    # The vouchers already imported at the start of the file, or after the new ones (where only the COPY finds them).
    again = rows[100:] if overlap == "first" else rows[150:] + rows[100:150]
    again = write(tmp_path, "all.csv", csv_bytes(again))

    fast, slow = _both_ways(python_path, first, again)

    assert fast == slow
    assert fast[1][1][1:4] == (137, 87, 50)  # read, new, already present


def test_it_reads_gb18030_to_the_same_rows(python_path, tmp_path, urumqi_reallocation):
    path = write(tmp_path, "payments.csv", csv_bytes(_every_anomaly(), "gb18030"))

    fast, slow = _both_ways(python_path, path)

    assert fast == slow
    assert fast[1][0][0] == "CSV（gb18030）"


def test_it_reports_a_dry_run_and_writes_nothing(tmp_path, reference_data):
    before = state()

    outcome = import_payments(write(tmp_path, "payments.csv", csv_bytes(sample_rows())), "payments.csv", dry_run=True)

    assert outcome.fast and (outcome.read, outcome.new) == (237, 237)
    assert state() == before


@pytest.mark.parametrize(
    "bad, message",
    [
        (row("ZF2", amount="1.005"), "第3行（ZF2）：支付金额（元）最多保留2位小数（1.005）"),
        (row("ZF2", paid_on="2099-01-01"), "第3行（ZF2）：支付日期2099-01-01 晚于今天"),
        (row("ZF2", county="疏附县"), "第3行（ZF2）：县（市、区）“疏附县”不属于 乌鲁木齐市（属于 喀什地区）"),
        (row("ZF1", amount="2.00"), "第3行：支付凭证号 ZF1 与第2行重复"),
        (row("Z" * 61), "支付凭证号过长（61 个字符，最多 60 个）"),
        (row("ZF2", function="=2080702"), "第3行：功能分类科目是公式（=2080702）"),
        (row("ZF2", function="2080702" + " " * 131_100), "第3行：CSV 格式有误"),  # past csv's field size limit
        (row("ZF2", amount="0" * 131_100 + "1"), "第3行：CSV 格式有误"),
    ],
)
def test_it_leaves_a_file_with_one_bad_row_to_the_python_path_and_its_message(
    python_path, tmp_path, reference_data, bad, message
):
    path = write(tmp_path, "payments.csv", csv_bytes([row("ZF1"), bad, row("ZF3")]))
    before = state()
    with python_path, pytest.raises(PaymentsRefused) as python_refusal:
        import_payments(path, path.name)

    with pytest.raises(PaymentsRefused) as refused:
        import_payments(path, path.name)

    assert refused.value.errors == python_refusal.value.errors
    assert message in "\n".join(refused.value.errors)
    assert state() == before


def test_it_leaves_a_voucher_imported_with_other_content_to_the_python_path(tmp_path, reference_data):
    import_payments(write(tmp_path, "first.csv", csv_bytes([row("ZF1")])), "first.csv")
    before = state()

    with pytest.raises(PaymentsRefused) as refused:
        import_payments(write(tmp_path, "second.csv", csv_bytes([row("ZF2"), row("ZF1", amount="1000.01")])), "second.csv")

    assert "第3行：支付凭证号 ZF1 已导入过，内容不同（支付金额（元） 已导入为 1000.00，本文件为 1000.01）" in refused.value.errors[0]
    assert state() == before


def test_it_refuses_a_voucher_twice_even_when_it_is_already_imported(tmp_path, reference_data):
    import_payments(write(tmp_path, "first.csv", csv_bytes([row("ZF1")])), "first.csv")

    with pytest.raises(PaymentsRefused) as refused:
        import_payments(write(tmp_path, "again.csv", csv_bytes([row("ZF1"), row("ZF1")])), "again.csv")

    assert "第3行：支付凭证号 ZF1 与第2行重复" in refused.value.errors[0]


@pytest.mark.parametrize(
    "rows, fast",
    [
        ([row("ZF1", amount="1,234.50")], False),  # quoted by the CSV writer: read by the Python path
        ([row("ZF1", amount="１２３４．５")], False),  # full-width digits
        ([row("ZF1", payee="王某 "), row("ZF2", unit=" 单位")], False),  # white space the Python path strips
        ([row("ZF1", amount="12."), row("ZF2", amount=".5")], False),  # numbers the SQL check is stricter about
        ([row("ZF1", amount="-1234567890.12"), row("ZF2", amount="999999999.99")], True),  # long: read as numbers
        ([row("ZF1", paid_on="2023/07/10")], True),  # dates are read per distinct value, by Python
    ],
)
def test_it_imports_what_it_does_not_take_by_the_python_path_to_the_same_rows(
    python_path, tmp_path, reference_data, rows, fast
):
    path = write(tmp_path, "payments.csv", csv_bytes(rows))

    outcome = import_payments(path, path.name)
    written = _rows()
    _empty_treasury()
    with python_path:
        import_payments(path, path.name)

    assert _rows() == written
    assert bool(outcome.fast) == fast


@pytest.mark.parametrize(
    "shape, fast",
    [
        (lambda data: "国库集中支付明细\r\n".encode() + data, False),  # a title above the heading: the Python path finds it
        (lambda data: data + b"\r\n\r\n", True),  # blank lines at the end, which both skip
        (lambda data: data.replace(b"\r\nZF2", b"\r\n,,,,,,,,,,\r\nZF2") + b", ,,,,,,,,,\r\n", True),  # rows of empty fields
        # A blank line within, which both skip: staged, COPY's CSV reading cannot take it.
        (lambda data: data.replace(b"\r\nZF2", b"\r\n\r\nZF2"), "stream"),
        (lambda data: data.replace(b"\r\n", b"\n"), True),  # LF only
        # LF, then CRLF: COPY's CSV reading wants one line break throughout, so the staged path leaves it.
        (lambda data: data.replace(b"\r\n", b"\n", 2), "stream"),
    ],
)
def test_it_imports_a_file_of_another_shape_to_the_same_rows_by_either_path(
    python_path, tmp_path, reference_data, fast_path, shape, fast
):
    path = write(tmp_path, "payments.csv", shape(csv_bytes([row("ZF1"), row("ZF2", amount="-5.00"), row("ZF3")])))

    outcome = import_payments(path, path.name)
    written = _rows()
    _empty_treasury()
    with python_path:
        slow = import_payments(path, path.name)

    fast = fast == fast_path if isinstance(fast, str) else fast
    assert (bool(outcome.fast), outcome.read, outcome.new) == (fast, 3, 3)
    assert _rows() == written and _counts(slow) == _counts(outcome)


def test_it_does_not_take_copys_end_of_data_line_for_the_end_of_the_file(python_path, tmp_path, reference_data):
    # "\." alone on a line ends COPY's data; to the Python path it is a row with a voucher and nothing else.
    path = write(tmp_path, "payments.csv", csv_bytes([row("ZF1"), ("\\.",), row("ZF3")]))
    with python_path, pytest.raises(PaymentsRefused) as python_refusal:
        import_payments(path, path.name)

    with pytest.raises(PaymentsRefused) as refused:
        import_payments(path, path.name)

    assert refused.value.errors == python_refusal.value.errors
    assert "第3行（\\.）" in refused.value.errors[0]


@pytest.mark.parametrize(
    "order",
    [
        (10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, None),  # every column elsewhere, and one the import does not know
        (0, 1, 2, 3, 5, 6, 8, 9, None),  # without 预算单位, 经济分类科目 and 收款人, which may be left out
        (None, *range(11)),  # the import's own order after a column it does not know
        (*range(11), None),  # and before one
    ],
)
def test_it_reads_a_file_in_another_column_order_to_the_same_rows(
    python_path, tmp_path, urumqi_reallocation, fast_path, order
):
    header = ["备注" if index is None else HEADER[index] for index in order]
    rows = [tuple("说明" if index is None else values[index] for index in order) for values in _every_anomaly()]
    path = write(tmp_path, "payments.csv", csv_bytes(rows, header=header))

    taken_by = import_payments(path, path.name).fast
    fast, slow = _both_ways(python_path, path)

    assert taken_by == fast_path  # not given up to the next path
    assert fast == slow
    assert len(fast[0]["payments"]) == 18


def test_it_writes_a_backslash_its_readings_make_as_it_is(python_path, tmp_path, reference_data):
    # NFKC folds a full-width backslash into "\", which COPY's text format would read as an escape.
    path = write(tmp_path, "payments.csv", csv_bytes([row("ZF1", document="新财社〔2023〕999＼号")]))

    fast, slow = _both_ways(python_path, path)

    assert fast == slow
    assert fast[0]["payments"][0][5] == "新财社〔2023〕999\\号"


def _payee_in_gb18030():
    # The stream decodes a value when it first sees it: here only the payee is new, the rest of the line is not.
    return csv_bytes([row("ZF2", payee="")], header=()).strip(b"\r\n") + "李某".encode("gb18030") + b"\r\n"


@pytest.mark.parametrize(
    "later",
    [lambda: csv_bytes([row("ZF2")], "gb18030", header=()).lstrip(b"\r\n"), _payee_in_gb18030],
)
def test_it_leaves_a_file_whose_encoding_changes_after_its_start_to_the_python_path(
    python_path, monkeypatch, tmp_path, reference_data, later
):
    # The fast paths guess the encoding from the start of the file; the Python path decodes all of it first.
    start = csv_bytes([row("ZF1")])
    monkeypatch.setattr(reader, "_SNIFF", len(start))
    path = write(tmp_path, "payments.csv", start + later())
    with python_path, pytest.raises(PaymentsRefused) as python_refusal:
        import_payments(path, path.name)
    before = state()

    with pytest.raises(PaymentsRefused) as refused:
        import_payments(path, path.name)

    assert refused.value.errors == python_refusal.value.errors
    assert state() == before


@pytest.mark.parametrize(
    "rows, encoding",
    [(sample_rows, "utf-8"), (_every_anomaly, "utf-8"), (_every_anomaly, "gb18030")],
)
def test_it_takes_a_clean_file_by_the_path_it_is_offered_to_first(tmp_path, urumqi_reallocation, fast_path, rows, encoding):
    path = write(tmp_path, "payments.csv", csv_bytes(rows(), encoding))

    outcome = import_payments(path, path.name)

    assert outcome.fast == fast_path and outcome.new == len(rows())


def test_it_does_not_hold_a_line_longer_than_any_the_python_path_reads(monkeypatch, tmp_path, reference_data, fast_path):
    # The stream holds the part of a line a read cuts off; past the csv module's limit it gives the file up.
    monkeypatch.setattr(stream, "CHUNK", 64)
    monkeypatch.setattr(stream, "CSV_FIELD_LIMIT", 300)  # in bytes, held: 3 per character here
    path = write(tmp_path, "payments.csv", csv_bytes([row("ZF1"), row("ZF2", unit="单位" * 60), row("ZF3")]))

    outcome = import_payments(path, path.name)

    assert outcome.fast == "staged" and outcome.new == 3

