"""The flow page of a regional document (通知第三条 流向明确): county by county, against the time schedule."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from oversight.flow import page_parts
from tests.treasury.conftest import run
from tests.treasury.payment_files import csv_bytes, row, sample_path, write

NUMBER = "新财社〔2023〕74号"


@pytest.fixture
def sample_paid(reference_data):
    run("import_payments", str(sample_path()))


def _url(document, month="2023-07", **query):
    extra = "".join(f"&{key}={value}" for key, value in query.items())
    return reverse("document_flow", args=[document.pk]) + f"?month={month}{extra}"


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _drawn(response):
    """The chart and the table, without the page's per-request parts (the CSRF token)."""
    html = response.content.decode()
    return html[html.index('<div class="flow-layout">'):html.index("</tbody>")]


def _line(rows, prefecture, county):
    return next(r for r in rows if r[0] == prefecture and r[1] == county)


def test_it_shows_urumqis_subtotal_as_payments_summary_does(sample_paid, notice_document, client_for, region_admin):
    rows = _csv(client_for(region_admin).get(_url(notice_document, _export="csv")))

    header = rows[0]
    subtotal = _line(rows, "乌鲁木齐市", "小计")
    paid, progress, schedule = (header.index(name) for name in ("累计支付（万元）", "支出进度（%）", "时间进度（%）"))
    assert (subtotal[2], subtotal[paid], subtotal[progress], subtotal[schedule]) == ("8294.00", "5000.00", "60.28", "58.33")
    assert rows[-1][0] == "合计" and rows[-1][paid] == "11671.00"


def test_it_gives_each_use_its_own_column_that_adds_up_to_the_paid(sample_paid, notice_document, client_for, auditor):
    rows = _csv(client_for(auditor).get(_url(notice_document, _export="csv")))

    header = rows[0]
    first_use, paid = 3, header.index("累计支付（万元）")
    assert paid > first_use  # at least one use column between 分配金额 and 累计支付
    for line in rows[1:]:
        uses = [Decimal(cell) for cell in line[first_use:paid]]
        # Each figure is its exact sum rounded once: the columns may differ from the paid by half a cent each.
        assert abs(sum(uses) - Decimal(line[paid])) <= Decimal("0.005") * len(uses), line


def test_it_marks_slow_counties_with_a_sign_not_colour_only(sample_paid, notice_document, client_for, region_admin):
    response = client_for(region_admin).get(_url(notice_document))
    rows = _csv(client_for(region_admin).get(_url(notice_document, _export="csv")))

    slow = [line for line in rows[1:] if line[-1] == "是"]
    assert slow, "the sample's 喀什地区 spent less than the schedule"
    assert all(line[-1] == "" for line in rows[1:] if line[-3] and float(line[-3]) >= 58.33)
    assert response.content.decode().count(">▲ 慢<") == len(slow)  # a sign in each slow row, read without colour


def test_it_shows_an_officer_their_own_prefecture_only(sample_paid, notice_document, client_for, officer_urumqi):
    response = client_for(officer_urumqi).get(_url(notice_document))
    rows = _csv(client_for(officer_urumqi).get(_url(notice_document, _export="csv")))

    assert response.status_code == 200
    assert {line[0] for line in rows[1:]} == {"乌鲁木齐市"}
    assert "喀什地区" not in response.content.decode()


def test_it_draws_the_progress_chart_with_the_schedule_as_marker(sample_paid, notice_document, client_for, region_admin):
    page = client_for(region_admin).get(_url(notice_document)).content.decode()

    assert "<svg" in page and "chart-marker" in page
    assert "数据来源：国库集中支付数据" in page


def test_it_counts_to_the_chosen_months_end(sample_paid, notice_document, client_for, region_admin):
    rows = _csv(client_for(region_admin).get(_url(notice_document, month="2023-06", _export="csv")))

    assert _line(rows, "乌鲁木齐市", "小计")[rows[0].index("累计支付（万元）")] == "2000.00"


def test_it_names_a_bad_month_and_shows_the_default(sample_paid, notice_document, client_for, region_admin):
    response = client_for(region_admin).get(_url(notice_document, month="2023-13"))

    assert response.status_code == 200
    assert "2023-13" in response.content.decode()


def test_it_refuses_an_unknown_export_format_with_a_message(sample_paid, notice_document, client_for, region_admin):
    response = client_for(region_admin).get(_url(notice_document, _export="pdf"))

    assert response.status_code == 400
    assert "pdf" in response.content.decode()


def test_it_is_linked_from_the_document_page(notice_document, client_for, officer_urumqi):
    page = client_for(officer_urumqi).get(reverse("allocations:document_detail", args=[notice_document.pk])).content.decode()

    assert reverse("document_flow", args=[notice_document.pk]) in page


@pytest.mark.parametrize("extra", [0, 40])
def test_it_runs_the_same_queries_however_many_payments(sample_paid, notice_document, client_for, region_admin, django_assert_num_queries, tmp_path, extra):
    if extra:
        counties = ["达坂城区", "乌鲁木齐县", "天山区", "沙依巴克区"]
        codes = ["2080701", "2080702", "2080704", "2080705", "2080711", "2080799", "2089999"]
        lines = [row(f"ZQ{n}", county=counties[n % 4], function=codes[n % 7], amount="100.00") for n in range(extra)]
        run("import_payments", str(write(tmp_path, "more.csv", csv_bytes(lines))))
    client = client_for(region_admin)
    client.get(_url(notice_document))  # the session and the user's groups, warmed
    cache.clear()  # the flow is drawn again, as after a change

    # 1 session, 2 user, 3 the user's groups (role checks), 4 the document, 5 the data version
    # (oversight.versioned_cache), 6 the prefectures' 小计 (declared), 7 the document's 附件1 lines with their
    # counties' places, 8 its issued 转下达's lines with theirs, 9 the summary grouped by prefecture, county (its
    # place joined) and use, 10 the prefectures' names.
    with django_assert_num_queries(10):
        response = client.get(_url(notice_document))
    assert response.status_code == 200

    # Drawn once for this version of the data: 1 session, 2 user, 3 groups, 4 the document, 5 the data version.
    with django_assert_num_queries(5):
        again = client.get(_url(notice_document))
    assert _drawn(again) == _drawn(response)


def test_it_draws_the_flow_again_after_an_import(sample_paid, notice_document, client_for, region_admin, tmp_path):
    client = client_for(region_admin)

    def paid_in_dabancheng():
        return Decimal(_line(_csv(client.get(_url(notice_document, _export="csv"))), "乌鲁木齐市", "达坂城区")[-5])

    before_paid = paid_in_dabancheng()
    before = client.get(_url(notice_document)).content.decode()  # drawn and kept
    run("import_payments", str(write(tmp_path, "more.csv", csv_bytes([row("ZQ-NEW-1", county="达坂城区", amount="1234567.89")]))))

    after_paid = paid_in_dabancheng()
    after = client.get(_url(notice_document)).content.decode()
    assert after_paid == before_paid + Decimal("123.46")
    assert f">{after_paid:,.2f}<" in after and f">{after_paid:,.2f}<" not in before


def test_it_keeps_an_officers_flow_apart_from_the_region_admins(sample_paid, notice_document, client_for, region_admin, officer_urumqi):
    whole = _drawn(client_for(region_admin).get(_url(notice_document)))
    own = _drawn(client_for(officer_urumqi).get(_url(notice_document)))
    assert "喀什地区" in whole and "flow-total" in whole
    assert "喀什地区" not in own and "flow-total" not in own


def test_it_keeps_its_use_labels_in_the_cache_as_text(sample_paid, notice_document):
    month = date(2023, 7, 1)
    page_parts(notice_document, month)  # drawn and kept
    uses = page_parts(notice_document, month)["uses"]  # read back from the cache

    # A lazy translation would be unpickled by building a class on every view.
    assert uses and all(type(label) is str for _use, label in uses)


@pytest.mark.parametrize("role", ["region_admin", "officer_urumqi"])
def test_it_shows_no_chinese_interface_text_in_english(role, request, sample_paid, notice_document, client_for):
    from tests.core.test_language import data_strings, untranslated, visible_parts

    user = request.getfixturevalue(role)
    user.language = "en"
    user.save(update_fields=["language"])
    html = client_for(user).get(_url(notice_document)).content.decode()

    assert '<html lang="en">' in html
    assert untranslated(visible_parts(html), data_strings()) == []
