"""Issue 6: Chinese by default, English per user, and every main page translated."""

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from core import clock
from allocations.models import AllocationDocument, County, ExpenditureItem, Fund, Prefecture, Province
from feedback import workflow
from feedback.models import FeedbackLine
from targets.models import Indicator, Target, TargetTable

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The switch names each language in that language, as language menus do.
ENDONYMS = ["中文", "简体中文"]
JULY = date(2023, 7, 1)
ROLES = ["officer_urumqi", "hr_reviewer", "auditor", "region_admin"]
REGION_WIDE = ["hr_reviewer", "auditor", "region_admin"]


def _own_table(user):
    tables = TargetTable.objects.filter(prefecture=user.prefecture) if user.prefecture_id else TargetTable.objects.filter(prefecture=None)
    return tables.order_by("pk").first()


# The main pages, in one place: name -> (url for a user, the roles that may see it).
PAGES = {
    "home": (lambda user, data: reverse("home"), ROLES),
    "document_list": (lambda user, data: reverse("allocations:document_list"), ROLES),
    "document_detail": (lambda user, data: reverse("allocations:document_detail", args=[data["document"].pk]), ROLES),
    "prefecture_list": (lambda user, data: reverse("allocations:prefecture_list"), ROLES),
    "target_table_list": (lambda user, data: reverse("targets:table_list"), ROLES),
    "target_table": (lambda user, data: reverse("targets:table_detail", args=[_own_table(user).pk]), ROLES),
    "target_review_queue": (lambda user, data: reverse("targets:review_queue"), ROLES),
    "target_review": (lambda user, data: reverse("targets:review", args=[_own_table(user).pk]), ROLES),
    # The officer lands on this month's form; the others on the completeness grid.
    "feedback_current": (lambda user, data: reverse("feedback:current"), ROLES),
    "feedback_report": (lambda user, data: reverse("feedback:report_detail", args=[data["report"].pk]), ROLES),
    "feedback_report_list": (lambda user, data: reverse("feedback:report_list"), ROLES),
    "feedback_review_queue": (lambda user, data: reverse("feedback:review_queue"), REGION_WIDE),
    "feedback_overdue": (lambda user, data: reverse("feedback:overdue"), ROLES),
    "changelog": (lambda user, data: reverse("oversight:changelog"), REGION_WIDE),
    "import_upload": (lambda user, data: reverse("allocations:import_upload"), ["region_admin"]),
    # Beyond the list: the other pages a user reaches from these.
    "prefecture_detail": (lambda user, data: reverse("allocations:prefecture_detail", args=[data["report"].prefecture_id]), ROLES),
    "object_history": (lambda user, data: reverse("oversight:object_history", args=["allocations", "allocationdocument", data["document"].pk]), REGION_WIDE),
    "completeness": (lambda user, data: reverse("feedback:completeness"), ROLES),
    "workbook_upload": (lambda user, data: reverse("feedback:report_upload", args=[data["report"].pk]), ["officer_urumqi", "region_admin"]),
    "rollup": (lambda user, data: reverse("targets:rollup", args=[data["document"].pk]), REGION_WIDE),
    "matrix": (lambda user, data: reverse("targets:matrix", args=[data["document"].pk]), REGION_WIDE),
    "monitoring": (lambda user, data: reverse("targets:monitoring", args=[_own_table(user).pk]), ROLES),
    "attainment": (lambda user, data: reverse("targets:attainment", args=[data["document"].pk]), REGION_WIDE),
    "unmapped": (lambda user, data: reverse("targets:unmapped"), ["region_admin"]),
}


class VisibleText(HTMLParser):
    """The words a person reads: text, and the attributes a browser shows or reads aloud."""

    SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.parts = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        attrs = dict(attrs)
        for name in self.SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def visible_parts(html):
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def data_strings():
    """Chinese that is data, not interface: names, numbers and wordings stored in the database."""
    values = set(ENDONYMS)
    for model, fields in [
        (Province, ["name"]),
        (Prefecture, ["name"]),
        (County, ["name"]),
        (AllocationDocument, ["number", "title", "table_title", "basis"]),
        (Fund, ["name", "income_subject", "expenditure_subject", "expenditure_note", "economic_subject"]),
        (ExpenditureItem, ["name"]),
        (TargetTable, ["title", "year_label", "fund_name", "authority_label", "authority", "period_label", "period",
                       "finance_label", "finance_department", "local_label", "local_department", "goal_heading"]),
        (Target, ["wording", "raw_value", "base_unit"]),
        (Indicator, ["name", "unit"]),
        (FeedbackLine, ["fund_name", "document_number"]),
        (get_user_model(), ["username", "first_name", "last_name"]),
    ]:
        for row in model.objects.values_list(*fields):
            values.update(str(value) for value in row if value)
    # The goal text is shown line by line.
    for text in TargetTable.objects.values_list("goal_text", flat=True):
        values.update(line.strip() for line in text.splitlines() if line.strip())
    return sorted((v for v in values if HAN.search(v)), key=len, reverse=True)


TRUNCATED = re.compile(r"(\S+)…")


def untranslated(parts, data):
    """The visible pieces that still hold Chinese once the data in them is taken out."""
    left = []
    for part in parts:
        rest = part
        # The change log shortens long values to their first characters and "…".
        for cut in TRUNCATED.findall(rest):
            stem = re.split(r"[：；→ ]", cut)[-1]
            if stem and any(value.startswith(stem) for value in data):
                rest = rest.replace(stem + "…", " ")
        for value in data:
            if value in rest:
                rest = rest.replace(value, " ")
        if HAN.search(rest):
            left.append(part)
    return left


@pytest.fixture
def pages_data(officer_urumqi, hr_reviewer, auditor, region_admin, notice_document, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2023, 7, 12))
    report = workflow.open_report(officer_urumqi.prefecture, JULY)
    return {"document": notice_document, "report": report}


def _pages_for(role):
    return [(name, url) for name, (url, roles) in PAGES.items() if role in roles]


def _get(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_no_chinese_interface_text_to_an_english_user(role, request, pages_data, client_for):
    user = request.getfixturevalue(role)
    user.language = "en"
    user.save(update_fields=["language"])
    client = client_for(user)
    data = data_strings()

    leftovers = {}
    for name, url in _pages_for(role):
        html = _get(client, url(user, pages_data))
        assert '<html lang="en">' in html, name
        left = untranslated(visible_parts(html), data)
        if left:
            leftovers[name] = left
    assert leftovers == {}


# The admin pages region admins and auditors work in (issue 14.9): the index and the main models' lists.
ADMIN_ROLES = ["auditor", "region_admin"]
ADMIN_CHANGELISTS = [
    "allocations_allocationdocument", "allocations_prefecturesubtotal", "allocations_allocationline",
    "allocations_prefecture", "allocations_county", "allocations_fund",
    "targets_targettable", "targets_target", "targets_actual", "targets_indicator",
    "feedback_feedbackreport", "feedback_feedbackline",
]


def _admin_pages(data):
    notice = data["document"]
    return [
        ("admin_index", reverse("admin:index")),
        *((name, reverse(f"admin:{name}_changelist")) for name in ADMIN_CHANGELISTS),
        ("admin_document", reverse("admin:allocations_allocationdocument_change", args=[notice.pk])),
        ("admin_report", reverse("admin:feedback_feedbackreport_change", args=[data["report"].pk])),
    ]


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_it_shows_no_chinese_interface_text_in_the_admin_to_an_english_user(role, request, pages_data, client_for):
    user = request.getfixturevalue(role)
    user.language = "en"
    user.save(update_fields=["language"])
    client = client_for(user)
    data = data_strings()

    leftovers = {}
    for name, url in _admin_pages(pages_data):
        html = _get(client, url)
        left = untranslated(visible_parts(html), data)
        if left:
            leftovers[name] = left
    assert leftovers == {}


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_chinese_interface_by_default(role, request, pages_data, client_for):
    user = request.getfixturevalue(role)
    client = client_for(user)

    for name, url in _pages_for(role):
        html = _get(client, url(user, pages_data))
        parts = visible_parts(html)
        assert '<html lang="zh-hans">' in html, name
        assert "退出登录" in parts and "分配文件" in parts, name
        assert "Sign out" not in parts, name


def test_it_shows_the_login_page_in_the_language_of_the_cookie(client, reference_data):
    chinese = client.get(reverse("login")).content.decode()
    assert "登录" in visible_parts(chinese)

    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    english = client.get(reverse("login")).content.decode()

    assert '<html lang="en">' in english
    assert untranslated(visible_parts(english), ENDONYMS) == []


# The switch


def test_it_saves_the_choice_on_the_user_and_goes_back(officer_urumqi, client_for):
    client = client_for(officer_urumqi)
    back_to = reverse("allocations:document_list") + "?status=issued"

    response = client.post(reverse("set_language"), {"language": "en", "next": back_to})

    officer_urumqi.refresh_from_db()
    assert officer_urumqi.language == "en"
    assert response.status_code == 302 and response.url == back_to


def test_it_keeps_the_choice_across_logins(officer_urumqi, client):
    client.force_login(officer_urumqi)
    client.post(reverse("set_language"), {"language": "en"})
    client.logout()
    client.cookies.clear()

    client.force_login(get_user_model().objects.get(pk=officer_urumqi.pk))
    page = client.get(reverse("allocations:document_list"))

    assert page["Content-Language"] == "en"
    assert "Sign out" in visible_parts(page.content.decode())


def test_it_switches_back_to_chinese(officer_urumqi, client_for):
    officer_urumqi.language = "en"
    officer_urumqi.save(update_fields=["language"])
    client = client_for(officer_urumqi)

    client.post(reverse("set_language"), {"language": "zh-hans"})

    officer_urumqi.refresh_from_db()
    assert officer_urumqi.language == "zh-hans"
    assert "退出登录" in visible_parts(client.get(reverse("allocations:document_list")).content.decode())


def test_it_activates_the_users_language_only_for_that_request(officer_urumqi, client_for):
    officer_urumqi.language = "en"
    officer_urumqi.save(update_fields=["language"])
    client = client_for(officer_urumqi)

    with translation.override("zh-hans"):
        page = client.get(reverse("allocations:prefecture_list"))
        after = translation.get_language()

    assert page.wsgi_request.LANGUAGE_CODE == "en"
    assert '<html lang="en">' in page.content.decode()
    assert after == "zh-hans"


def test_it_answers_get_with_405(officer_urumqi, client_for):
    response = client_for(officer_urumqi).get(reverse("set_language"), {"language": "en"})

    officer_urumqi.refresh_from_db()
    assert response.status_code == 405
    assert officer_urumqi.language == "zh-hans"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_it_ignores_an_unsafe_next(next_url, officer_urumqi, client_for):
    response = client_for(officer_urumqi).post(reverse("set_language"), {"language": "en", "next": next_url})

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_refuses_an_unknown_language(officer_urumqi, client_for):
    response = client_for(officer_urumqi).post(reverse("set_language"), {"language": "fr"})

    officer_urumqi.refresh_from_db()
    assert response.status_code == 400
    assert officer_urumqi.language == "zh-hans"


# The catalog


def _po_entries(path):
    """(flags, msgid, msgstr) of each entry of a .po file, plural forms folded into msgstr."""
    entries, flags, current, field = [], set(), {}, None
    for line in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current:
                entries.append((flags, current.get("msgid", ""), current))
            flags, current, field = set(), {}, None
        elif line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += line[1:-1]
        else:
            field, _, value = line.partition(" ")
            current[field] = value[1:-1]
    return entries


def test_it_has_every_string_of_the_catalog_translated():
    entries = _po_entries(Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po")
    messages = [(flags, msgid, fields) for flags, msgid, fields in entries if msgid]

    assert len(messages) > 100
    assert [msgid for flags, msgid, _ in messages if "fuzzy" in flags] == []
    empty = [msgid for _, msgid, fields in messages if any(k.startswith("msgstr") and not v for k, v in fields.items())]
    assert empty == []
    assert (Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo").exists()
