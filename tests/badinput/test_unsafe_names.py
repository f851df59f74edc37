"""Names with characters a sheet title or a file name cannot hold.

A prefecture named with "/" or ":" made the region-wide 附件3 export fail
for everyone; such names are now refused where prefectures and counties are
entered, and every export still copes with one saved before the refusal.
"""

import io
import json
import re
import warnings
from datetime import date
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from allocations.models import AllocationDocument, County, Prefecture, validate_county_name, validate_prefecture_name
from national import names as national_names
from national.plan import make_plan
from core.safe_export import attachment_header, safe_filename, safe_sheet_title, safe_sheet_titles
from feedback.models import FeedbackReport
from feedback.workbook.export import PREFECTURE_LABEL
from feedback.workbook.importing import import_workbook
from feedback.workflow import open_report
from tests.badinput.entries import URUMQI
from tests.targets.review_helpers import table_of

JULY = date(2023, 7, 1)
SHEET_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\]")
FILENAME_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
# 伊犁州 comes before 昌吉州 in the notice's order: cleaned, its new name is 昌吉州's.
RENAMED = {"伊犁州": "昌吉州:", "塔城地区": "塔城/地区", "阿勒泰地区": "'阿勒泰[地区]*?'"}


def rename(old, new):
    # As if saved before names were checked: the export must cope with it.
    Prefecture.objects.filter(name=old).update(name=new)


def assert_valid_titles(titles):
    for title in titles:
        assert title and not SHEET_TITLE_UNSAFE.search(title), title
        assert len(title) <= 31 and title[0] != "'" and title[-1] != "'", title
    assert len({title.casefold() for title in titles}) == len(titles), titles


def download_name(response):
    disposition = response["Content-Disposition"]
    encoded = re.search(r"filename\*=utf-8''(.+)$", disposition)
    return unquote(encoded.group(1)) if encoded else re.search(r'filename="(.*)"$', disposition).group(1)


# Sheet titles


@pytest.mark.parametrize(
    "name, title",
    [
        ("a[b]:c*d?e/f\\g", "abcdefg"),
        ("'乌鲁木齐市'", "乌鲁木齐市"),
        ("''", "Sheet"),
        ("///", "Sheet"),
        ("喀什地区" * 10, ("喀什地区" * 8)[:31]),
        ("history", "history (2)"),
    ],
)
def test_it_makes_a_sheet_title_excel_accepts(name, title):
    assert safe_sheet_title(name) == title


def test_it_gives_a_taken_title_a_suffix_whatever_its_case_and_length():
    assert safe_sheet_title("Hami", ["HAMI"]) == "Hami (2)"
    assert safe_sheet_title("Hami", ["hami", "hami (2)"]) == "Hami (3)"
    long = "和" * 40
    assert safe_sheet_title(long, ["和" * 31]) == "和" * 27 + " (2)"


def test_it_keeps_a_valid_name_for_its_own_sheet_and_moves_the_cleaned_one():
    titles = safe_sheet_titles(["昌吉州:", "昌吉州", "HAMI", "hami", "/"])

    assert titles == ["昌吉州 (2)", "昌吉州", "HAMI", "hami (2)", "Sheet"]
    workbook = Workbook()
    workbook.remove(workbook.active)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for title in titles:
            assert workbook.create_sheet(title).title == title


# The region-wide 附件3


@pytest.mark.parametrize("role", ["region_admin", "auditor", "hr_reviewer"])
def test_it_exports_the_region_wide_feedback_workbook_when_prefecture_names_hold_slashes_and_colons(role, request, client_for):
    user = request.getfixturevalue(role)
    for old, new in RENAMED.items():
        rename(old, new)

    response = client_for(user).get(reverse("feedback:month_export", args=["2023-07"]))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert_valid_titles(workbook.sheetnames)
    # The title block carries each prefecture's name as it is.
    named = {sheet["A3"].value.removeprefix(PREFECTURE_LABEL) for sheet in workbook}
    assert named == set(Prefecture.objects.values_list("name", flat=True))
    assert workbook["昌吉州"]["A3"].value == PREFECTURE_LABEL + "昌吉州"


@pytest.mark.parametrize("name", ["昌吉州", "昌吉州:", "塔城/地区", "'阿勒泰[地区]*?'"])
def test_it_imports_each_prefecture_s_own_sheet_of_the_region_wide_workbook(name, region_admin, client_for):
    for old, new in RENAMED.items():
        rename(old, new)
    exported = client_for(region_admin).get(reverse("feedback:month_export", args=["2023-07"])).content
    # Every sheet's first line gets a different 实际支出金额: the one imported shows which sheet was read.
    workbook = load_workbook(io.BytesIO(exported))
    spent = {}
    for index, sheet in enumerate(workbook, start=1):
        sheet["E6"] = index
        spent[sheet["A3"].value.removeprefix(PREFECTURE_LABEL)] = Decimal(index)
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)
    prefecture = Prefecture.objects.get(name=name)

    import_workbook(filled, prefecture, JULY, region_admin)

    report = FeedbackReport.objects.get(prefecture=prefecture, month=JULY)
    assert report.lines.order_by("position").first().spent == spent[name]


# File names


def test_it_makes_a_file_name_safe_and_keeps_its_extension():
    assert safe_filename('新财/社:〔2023〕*?"<>|\x01\\74号.xlsx') == "新财_社_〔2023〕________74号.xlsx"
    assert safe_filename("CON.csv") == "_CON.csv"
    assert safe_filename(" ../.xlsx") == "_.xlsx"
    assert safe_filename("喀" * 200 + ".xlsx") == "喀" * 80 + ".xlsx"
    assert "filename*=utf-8''%E6%96%B0%E8%B4%A2_" in attachment_header("新财/.xlsx")


def test_it_names_every_workbook_download_safely(notice_document, region_admin, client_for):
    table = table_of(URUMQI)
    report = open_report(Prefecture.objects.get(name=URUMQI), JULY)
    AllocationDocument.objects.filter(pk=notice_document.pk).update(number='新财/社:〔2023〕*74?"号"')
    rename(URUMQI, "乌鲁/木齐:市")
    client = client_for(region_admin)

    downloads = [
        client.get(reverse("allocations:document_export", args=[notice_document.pk])),
        client.get(reverse("targets:table_export", args=[table.pk])),
        client.get(reverse("feedback:report_export", args=[report.pk])),
        client.get(reverse("targets:rollup", args=[notice_document.pk]), {"format": "csv"}),
    ]

    names = [download_name(response) for response in downloads]
    assert [response.status_code for response in downloads] == [200] * 4
    assert not [name for name in names if FILENAME_UNSAFE.search(name)], names
    assert names[0] == "新财_社_〔2023〕_74__号_.xlsx"
    assert names[2] == "附件3_乌鲁_木齐_市_2023-07.xlsx"


# Refused when entered


@pytest.mark.parametrize("character", list('/\\:*?"<>|[]') + ["\x00", "\t", "\n", "\x7f"])
def test_it_refuses_a_prefecture_or_county_name_a_sheet_or_file_cannot_hold(character, reference_data):
    urumqi = Prefecture.objects.get(name=URUMQI)
    prefecture = Prefecture(name=f"乌鲁{character}木齐", province=urumqi.province, position=99)
    county = County(prefecture=urumqi, name=f"天山{character}区", kind="district", position=99)

    with pytest.raises(ValidationError) as refused:
        prefecture.full_clean()
    assert "地（州、市）名称不能包含" in refused.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as refused:
        county.full_clean()
    assert "县（市、区）名称不能包含" in refused.value.message_dict["name"][0]


def test_it_accepts_every_real_and_generated_name(reference_data):
    with open(settings.BASE_DIR / "fixtures" / "regions.json", encoding="utf-8") as handle:
        regions = json.load(handle)["prefectures"]
    plan = make_plan()
    prefectures = [item["name"] for item in regions] + [p.name for p in plan.prefectures]
    prefectures += list(Prefecture.objects.values_list("name", flat=True))
    counties = [county["name"] for item in regions for county in item["counties"]]
    counties += [county.name for p in plan.prefectures for county in p.counties]
    counties += list(County.objects.values_list("name", flat=True))
    # Every generated name is made of these pools' characters and the suffixes above.
    pools = [value for name, value in vars(national_names).items() if name.isupper() and isinstance(value, str)]
    pools += list(national_names.ZONES)

    for name in prefectures + pools:
        validate_prefecture_name(name)
    for name in counties + pools:
        validate_county_name(name)
    assert len(prefectures) > 14 and len(counties) > 100
