"""The 附件3 page: opening a month, filling it in, saving, submitting, and the report history."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core import clock
from allocations.models import Prefecture
from feedback import workflow
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.views.reports import report_open_url
from tests.allocations.pages import page, table_rows, visible_text

JULY = date(2023, 7, 1)
LINE = "第1行 新财社〔2023〕74号"


def post_data(report, action="save", version=None, **line_values):
    """What the browser sends for a one-line report: the stored values, changed by line_values."""
    line = report.lines.get()
    values = {
        "spent": "" if line.spent is None else str(line.spent),
        "uses": list(line.uses),
        "reason": line.reason,
        "measure": line.measure,
        "measure_deadline": line.measure_deadline.isoformat() if line.measure_deadline else "",
        "decrease_explanation": line.decrease_explanation,
    }
    values.update(line_values)
    data = {f"{name}_{line.pk}": value for name, value in values.items()}
    data["version"] = report.version if version is None else version
    data["action"] = action
    return data


def snapshot(report):
    report.refresh_from_db()
    line = report.lines.get()
    return (report.status, report.version, report.submitted_at, line.spent, line.uses, line.reason, line.measure)


def detail_url(report):
    return reverse("feedback:report_detail", args=[report.pk])


_CARD = re.compile(r'<section class="line-card ([^"]*)"(.*?)</section>', re.S)
_ROLE = re.compile(r'data-role="(\w+)"[^>]*>([^<]*)<')


def cards(html):
    """Each line card of the form, the 合计 first: {"classes": set, role: text} for the figures it shows."""
    found = []
    for classes, body in _CARD.findall(html):
        card = {"classes": set(classes.split())}
        card.update((role, text.strip()) for role, text in _ROLE.findall(body))
        found.append(card)
    return found


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def july(urumqi, notice_document):
    return workflow.open_report(urumqi, JULY)


# Opening a month


def test_it_takes_an_officer_to_this_month_of_their_own_prefecture(officer_urumqi, urumqi, client_for, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2023, 7, 12))
    response = client_for(officer_urumqi).get(reverse("feedback:current"))

    assert response.status_code == 302
    assert response.url == report_open_url(urumqi, JULY)
    assert not FeedbackReport.objects.exists()  # looking writes nothing


def test_it_takes_an_officer_to_this_months_report_once_it_exists(officer_urumqi, july, client_for, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2023, 7, 12))
    response = client_for(officer_urumqi).get(reverse("feedback:current"))
    assert response.url == detail_url(july)


@pytest.mark.parametrize("role", ["region_admin", "auditor", "hr_reviewer"])
def test_it_takes_region_wide_roles_to_the_completeness_grid(role, request, client_for):
    response = client_for(request.getfixturevalue(role)).get(reverse("feedback:current"))
    assert response.status_code == 302
    assert response.url == reverse("feedback:completeness")
    assert not FeedbackReport.objects.exists()


def test_it_opens_a_past_month_pre_filled(officer_urumqi, urumqi, notice_document, client_for):
    client = client_for(officer_urumqi)
    response = client.get(reverse("feedback:report_open", args=[urumqi.pk, 2023, "07"]))
    assert response.status_code == 200

    text = visible_text(page(response))
    for expected in ("乌鲁木齐市", "2023年中央财政就业补助资金（第二批）", "新财社〔2023〕74号", "8,294.00", "01 中央直达资金"):
        assert expected in text
    assert "58.33%" in text  # the time schedule for July
    assert "2023年7月31日" in text  # the due date
    assert "尚未填写" in text
    assert not FeedbackReport.objects.exists()


def test_it_refuses_a_future_month(officer_urumqi, urumqi, client_for, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2023, 7, 12))
    response = client_for(officer_urumqi).get(reverse("feedback:report_open", args=[urumqi.pk, 2023, "08"]))
    assert response.status_code == 404
    assert "2023年8月尚未开始" in page(response)
    assert not FeedbackReport.objects.exists()


def test_it_hides_another_prefecture_from_an_officer(officer_kashgar, urumqi, client_for):
    response = client_for(officer_kashgar).get(reverse("feedback:report_open", args=[urumqi.pk, 2023, "07"]))
    assert response.status_code == 404
    assert not FeedbackReport.objects.exists()


@pytest.mark.parametrize("role", ["auditor", "hr_reviewer"])
def test_it_lets_readers_open_only_existing_reports(role, request, urumqi, july, client_for):
    client = client_for(request.getfixturevalue(role))
    response = client.get(reverse("feedback:report_open", args=[urumqi.pk, 2023, "07"]))
    assert response.url == detail_url(july)

    response = client.get(reverse("feedback:report_open", args=[urumqi.pk, 2023, "08"]))
    assert response.status_code == 404
    assert "尚未创建" in page(response)
    assert FeedbackReport.objects.count() == 1


def test_it_turns_a_bad_month_into_a_404(officer_urumqi, urumqi, client_for):
    client = client_for(officer_urumqi)
    assert client.get(f"/feedback/{urumqi.pk}/2023-13/").status_code == 404
    assert client.get(f"/feedback/{urumqi.pk}/0-01/").status_code == 404
    assert not FeedbackReport.objects.exists()


# Who may see and change a report


def test_it_gives_another_prefectures_officer_a_404_and_changes_nothing(officer_kashgar, july, client_for):
    before = snapshot(july)
    client = client_for(officer_kashgar)

    assert client.get(detail_url(july)).status_code == 404
    assert client.post(detail_url(july), post_data(july, spent="5000")).status_code == 404
    submit = post_data(july, "submit", spent="8294", uses=["internship"])
    assert client.post(detail_url(july), submit).status_code == 404
    assert snapshot(july) == before


@pytest.mark.parametrize("role", ["auditor", "hr_reviewer"])
def test_it_forbids_readers_to_write(role, request, july, client_for):
    before = snapshot(july)
    client = client_for(request.getfixturevalue(role))

    response = client.get(detail_url(july))
    assert response.status_code == 200
    assert 'name="action"' not in page(response)  # read-only: no 保存 / 提交
    assert client.post(detail_url(july), post_data(july, spent="5000")).status_code == 403
    assert snapshot(july) == before


def test_it_lets_the_region_admin_correct_a_report(region_admin, july, client_for):
    response = client_for(region_admin).post(detail_url(july), post_data(july, spent="100"))
    assert response.status_code == 302
    assert july.lines.get().spent == Decimal("100")


# Filling in and saving


def test_it_saves_the_spend_and_shows_the_computed_columns(officer_urumqi, july, client_for):
    client = client_for(officer_urumqi)
    response = client.post(detail_url(july), post_data(july, spent="5000", uses=["vocational_training", "internship"]))
    assert response.status_code == 302

    line = july.lines.get()
    assert line.spent == Decimal("5000")
    assert line.uses == ["vocational_training", "internship"]
    html = page(client.get(detail_url(july)))
    total, first = cards(html)
    assert "row-total" in total["classes"]
    assert (total["amount"], total["spent"], total["unspent"], total["progress"]) == ("8,294.00", "5,000.00", "3,294.00", "60.28%")
    assert (first["unspent"], first["progress"]) == ("3,294.00", "60.28%")
    assert "lagging" not in first["classes"]
    assert "已保存" in visible_text(html)
    assert 'data-role="lag" hidden' in html  # 60.28% is ahead of July's 58.33%


def test_it_ignores_posted_values_for_read_only_columns(officer_urumqi, july, client_for):
    line = july.lines.get()
    data = post_data(july, spent="10")
    data.update({f"amount_{line.pk}": "99999", f"fund_name_{line.pk}": "改名", f"document_number_{line.pk}": "x"})

    assert client_for(officer_urumqi).post(detail_url(july), data).status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.fund_name, line.document_number, line.spent) == (
        Decimal("8294"),
        "2023年中央财政就业补助资金（第二批）",
        "新财社〔2023〕74号",
        Decimal("10"),
    )


@pytest.mark.parametrize(
    "typed, message",
    [
        ("9000", f"{LINE}：实际支出金额 9,000.00 超过资金金额 8,294.00"),
        ("abc", f"{LINE}：实际支出金额“abc”不是数字"),
        ("1.234", f"{LINE}：实际支出金额最多保留2位小数（1.234）"),
        ("-5", f"{LINE}：实际支出金额不能为负数（-5）"),
        ("NaN", f"{LINE}：实际支出金额“NaN”不是数字"),
    ],
)
def test_it_refuses_a_bad_amount_and_saves_nothing(typed, message, officer_urumqi, july, client_for):
    before = snapshot(july)
    response = client_for(officer_urumqi).post(detail_url(july), post_data(july, spent=typed, reason="先保存原因"))

    assert response.status_code == 200
    text = visible_text(page(response))
    assert "未保存" in text
    assert message in text
    assert "row-line has-error" in page(response)
    assert snapshot(july) == before


def test_it_reads_thousands_separators(officer_urumqi, july, client_for):
    client_for(officer_urumqi).post(detail_url(july), post_data(july, spent="5,000.5"))
    assert july.lines.get().spent == Decimal("5000.50")


def test_it_names_the_line_of_a_bad_date_or_use(officer_urumqi, july, client_for):
    before = snapshot(july)
    response = client_for(officer_urumqi).post(
        detail_url(july), post_data(july, spent="10", measure_deadline="明年", uses=["lottery"])
    )
    text = visible_text(page(response))
    assert f"{LINE}：整改时间不是有效日期" in text
    assert f"{LINE}：资金支出方向“lottery”不是通知列明的九项用途之一" in text
    assert snapshot(july) == before


def test_it_asks_for_a_version_it_can_read(officer_urumqi, july, client_for):
    before = snapshot(july)
    response = client_for(officer_urumqi).post(detail_url(july), post_data(july, spent="10", version="x"))
    assert response.status_code == 200
    assert "页面版本号无效" in visible_text(page(response))
    assert snapshot(july) == before


# Submitting


def test_it_refuses_to_submit_a_lagging_line_without_reason_measure_and_deadline(officer_urumqi, july, client_for):
    response = client_for(officer_urumqi).post(
        detail_url(july), post_data(july, "submit", spent="1000", uses=["vocational_training"]), follow=True
    )

    text = visible_text(page(response))
    assert "尚未提交" in text
    assert f"{LINE}：支出进度 12.06% 低于时间进度 58.33%，须填写未按计划支出的原因" in text
    assert f"{LINE}：支出进度 12.06% 低于时间进度 58.33%，须填写整改措施" in text
    assert f"{LINE}：支出进度 12.06% 低于时间进度 58.33%，须填写整改时间" in text
    # The refused submission keeps the work: the figures passed the save rules and are the draft now.
    july.refresh_from_db()
    assert july.status == ReportStatus.DRAFT
    assert july.lines.get().spent == Decimal("1000")
    assert 'value="1000"' in page(response)


def test_it_submits_a_lagging_line_with_reason_measure_and_deadline(officer_urumqi, july, client_for):
    client = client_for(officer_urumqi)
    response = client.post(
        detail_url(july),
        post_data(
            july,
            "submit",
            spent="1000",
            uses=["vocational_training"],
            reason="培训项目7月下旬才开班",
            measure="加快培训补贴审核拨付",
            measure_deadline="2023-09-30",
        ),
    )
    assert response.status_code == 302

    july.refresh_from_db()
    assert july.status == ReportStatus.SUBMITTED
    assert july.submitted_by == officer_urumqi
    line = july.lines.get()
    assert (line.spent, line.reason, line.measure_deadline) == (Decimal("1000"), "培训项目7月下旬才开班", date(2023, 9, 30))
    html = page(client.get(detail_url(july)))
    assert "已提交" in visible_text(html)
    assert 'name="spent_' not in html  # read-only once submitted
    assert 'data-role="lag" hidden' not in html  # the lagging mark stays visible


def test_it_submits_only_once(officer_urumqi, july, client_for):
    client = client_for(officer_urumqi)
    data = post_data(july, "submit", spent="8294", uses=["internship"])
    client.post(detail_url(july), data)
    july.refresh_from_db()
    first = (july.submitted_at, july.version)

    response = client.post(detail_url(july), data, follow=True)

    july.refresh_from_db()
    assert (july.submitted_at, july.version) == first
    assert july.history.filter(status=ReportStatus.SUBMITTED).count() == 1
    assert "无需重复提交" in visible_text(page(response))


def test_it_says_submitted_when_a_double_click_loses_the_race(officer_urumqi, july, client_for, monkeypatch):
    from feedback.views import reports as views

    client = client_for(officer_urumqi)
    data = post_data(july, "submit", spent="8294", uses=["internship"])
    # The second click was read as a draft before the first click committed.
    stale = FeedbackReport.objects.get(pk=july.pk)
    client.post(detail_url(july), data)
    july.refresh_from_db()
    first = (july.submitted_at, july.version)
    reads = []
    real = views._report

    def report_as_read(user, pk):
        reads.append(pk)
        return stale if len(reads) == 1 else real(user, pk)

    monkeypatch.setattr(views, "_report", report_as_read)
    response = client.post(detail_url(july), data, follow=True)

    july.refresh_from_db()
    assert (july.submitted_at, july.version) == first
    text = visible_text(page(response))
    assert "无需重复提交" in text
    assert "已被他人修改" not in text


def test_it_marks_a_late_submission(officer_urumqi, july, client_for):
    # Opened long ago, submitted today: well after 2023-07-31.
    response = client_for(officer_urumqi).post(
        detail_url(july), post_data(july, "submit", spent="8294", uses=["internship"]), follow=True
    )
    july.refresh_from_db()
    assert july.on_time is False
    text = visible_text(page(response))
    assert "逾期提交" in text


def test_it_shows_the_return_reason(officer_urumqi, region_admin, july, client_for):
    client = client_for(officer_urumqi)
    client.post(detail_url(july), post_data(july, "submit", spent="8294", uses=["internship"]))
    july.refresh_from_db()
    workflow.return_report(july, region_admin, "支出方向与国库数据不符")

    html = page(client.get(detail_url(july)))
    assert "支出方向与国库数据不符" in visible_text(html)
    assert 'name="spent_' in html  # a returned report can be corrected


def test_it_shows_an_accepted_report_read_only(officer_urumqi, region_admin, july, client_for):
    client = client_for(officer_urumqi)
    client.post(detail_url(july), post_data(july, "submit", spent="8294", uses=["internship"]))
    workflow.accept(FeedbackReport.objects.get(pk=july.pk), region_admin)
    before = snapshot(july)

    html = page(client.get(detail_url(july)))
    assert "已锁定" in visible_text(html)
    assert 'name="spent_' not in html
    response = client.post(detail_url(july), post_data(july, spent="1"))
    assert response.status_code == 200
    assert "已审核通过并锁定" in visible_text(page(response))
    assert snapshot(july) == before


def test_it_refuses_a_put(officer_urumqi, july, client_for):
    assert client_for(officer_urumqi).put(detail_url(july)).status_code == 405


# The report history


def _reports(prefectures, count):
    """count reports spread over the prefectures and the months before July 2023, each with one line."""
    months = []
    month = date(2023, 6, 1)
    while len(months) * len(prefectures) < count:
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    pairs = [(p, m) for m in months for p in prefectures][:count]
    reports = FeedbackReport.objects.bulk_create(
        FeedbackReport(prefecture=p, month=m, due_date=m + timedelta(days=27)) for p, m in pairs
    )
    from allocations.models import AllocationDocument

    document = AllocationDocument.objects.get(number="新财社〔2023〕74号")
    FeedbackLine.objects.bulk_create(
        FeedbackLine(
            report=report,
            document=document,
            fund_name="测试资金",
            document_number=document.number,
            amount=Decimal("100"),
            spent=Decimal("25"),
            direct_mark=document.direct_mark,
            position=1,
        )
        for report in reports
    )
    return reports


REQUEST = ["session", "user", "user's role groups"]
OFFICER = ["officer's prefecture for the header"]


@pytest.mark.parametrize("rows", [3, 120])
@pytest.mark.parametrize(
    "role, queries",
    [
        (
            "region_admin",
            REQUEST
            + [
                "the count, capped at the export limit + 1 (core.listing)",
                "prefectures for the filter",
                "years for the filter",
                "the page of reports with their sums",
            ],
        ),
        (
            "officer_urumqi",
            REQUEST
            + [
                "the officer's reports counted, capped at the export limit + 1",
                *OFFICER,
                "their prefecture for the filter",
                "years for the filter",
                "the page of reports with their sums",
            ],
        ),
    ],
)
def test_it_lists_reports_in_constant_queries(
    rows, role, queries, request, notice_document, client_for, django_assert_num_queries
):
    _reports(list(Prefecture.objects.all()), rows)
    user = request.getfixturevalue(role)
    client = client_for(user)

    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("feedback:report_list"))

    assert response.status_code == 200
    expected = rows if role == "region_admin" else FeedbackReport.objects.filter(prefecture=user.prefecture).count()
    assert response.context["table"].paginator.count == expected


def test_it_lists_an_officer_only_their_own_reports(officer_kashgar, notice_document, client_for):
    _reports(list(Prefecture.objects.all()), 28)
    html = page(client_for(officer_kashgar).get(reverse("feedback:report_list")))
    prefectures = {row.prefecture for row in table_rows(html)}
    assert prefectures == {"喀什地区"}


def test_it_shows_each_reports_sums_and_progress(officer_urumqi, july, client_for):
    client = client_for(officer_urumqi)
    client.post(detail_url(july), post_data(july, spent="5000"))
    rows = table_rows(page(client.get(reverse("feedback:report_list"))))
    assert len(rows) == 1
    assert rows[0].cells[0] == "乌鲁木齐市"
    assert rows[0].cells[1] == "2023年7月"
    # The last column flags a figure that differs from the treasury's; with no payments there is nothing to flag.
    assert rows[0].cells[-4:] == ["8,294.00", "5,000.00", "60.28%", "—"]


def test_it_filters_reports(region_admin, notice_document, client_for):
    _reports(list(Prefecture.objects.all()), 28)  # June and May 2023
    client = client_for(region_admin)
    kashgar = Prefecture.objects.get(name="喀什地区")

    by_prefecture = client.get(reverse("feedback:report_list"), {"prefecture": kashgar.pk})
    assert by_prefecture.context["table"].paginator.count == 2
    by_month = client.get(reverse("feedback:report_list"), {"year": 2023, "month_number": 5})
    assert by_month.context["table"].paginator.count == 14
    by_status = client.get(reverse("feedback:report_list"), {"status": "submitted"})
    assert by_status.context["table"].paginator.count == 0
    nonsense = client.get(reverse("feedback:report_list"), {"year": "abc", "prefecture": "x"})
    assert nonsense.status_code == 200


# The page around the form


def test_it_links_each_role_to_its_feedback_page(officer_urumqi, region_admin, client_for, client):
    officer_home = page(client_for(officer_urumqi).get(reverse("feedback:report_list")))
    assert f'<a href="{reverse("feedback:current")}">资金使用反馈</a>' in officer_home
    client.logout()
    admin_home = page(client_for(region_admin).get(reverse("feedback:report_list")))
    assert f'<a href="{reverse("feedback:completeness")}">资金使用反馈</a>' in admin_home


def test_it_computes_live_with_its_own_script_only(officer_urumqi, july, client_for, settings):
    html = page(client_for(officer_urumqi).get(detail_url(july)))
    scripts = re.findall(r"<script\b[^>]*>", html)
    # The site's own small script (static/js/site.js: confirmations, back links) and the form's.
    assert scripts == ['<script src="/static/js/site.js" defer>', '<script src="/static/js/feedback_form.js" defer>']
    for name in ("site.js", "feedback_form.js"):
        script = (settings.BASE_DIR / "static" / "js" / name).read_text(encoding="utf-8")
        assert "http" not in script  # no CDN, nothing fetched
    # The page carries what the script needs: each line's amount and the time schedule.
    assert 'data-amount="8294.00"' in html
    assert 'data-expected="58.33"' in html
