"""The evaluation pages speak English to an English user; only data (names, wordings, stored notes) stays Chinese."""

import pytest
from django.urls import reverse

from evaluation.building import NOT_COMPARABLE_NOTE, TEXT_NOTE, build
from evaluation.execution import TREASURY
from evaluation.models import IndicatorScore
from tests.core.test_language import data_strings, untranslated, visible_parts
from tests.evaluation.helpers import pay, record_year_end, table_of


def _evaluation_data():
    # What the evaluation stores as data: the formula's working and the source of spending, as written.
    notes = set(IndicatorScore.objects.values_list("note", flat=True))
    return sorted(notes | {TEXT_NOTE, NOT_COMPARABLE_NOTE, TREASURY}, key=len, reverse=True)


@pytest.mark.parametrize("role", ["hr_reviewer", "region_admin", "auditor", "officer_urumqi"])
def test_it_shows_no_chinese_interface_text_to_an_english_user(role, request, reference_data, client_for):
    table = table_of()
    record_year_end(table)
    pay(table)
    evaluation = build(table, 2023)
    user = request.getfixturevalue(role)
    user.language = "en"
    user.save(update_fields=["language"])
    client = client_for(user)
    data = _evaluation_data() + data_strings()

    leftovers = {}
    for url in (reverse("evaluation:queue"), reverse("evaluation:detail", args=[evaluation.pk])):
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html
        left = untranslated(visible_parts(html), data)
        if left:
            leftovers[url] = left
    assert leftovers == {}
