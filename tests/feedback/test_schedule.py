from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ImproperlyConfigured

from feedback.schedule import due_date, expected_progress, is_lagging, month_end


def test_it_falls_due_on_the_last_day_of_the_month_by_default():
    assert due_date(date(2023, 7, 1)) == date(2023, 7, 31)
    assert due_date(date(2024, 2, 1)) == date(2024, 2, 29)
    assert due_date(date(2023, 12, 1)) == date(2023, 12, 31)


def test_it_follows_a_configured_rule(settings):
    settings.FEEDBACK_DUE_RULE = "next_month:5"
    assert due_date(date(2023, 7, 1)) == date(2023, 8, 5)
    assert due_date(date(2023, 12, 1)) == date(2024, 1, 5)
    settings.FEEDBACK_DUE_RULE = "whenever"
    with pytest.raises(ImproperlyConfigured):
        due_date(date(2023, 7, 1))


def test_it_expects_month_over_twelve_by_default():
    assert expected_progress(date(2023, 7, 1)) == D("58.33")
    assert expected_progress(date(2023, 12, 1)) == D("100.00")


def test_it_follows_a_configured_schedule(settings):
    settings.FEEDBACK_SCHEDULE = {m: 50 for m in range(1, 13)}
    assert expected_progress(date(2023, 2, 1)) == D("50.00")


def test_it_calls_a_line_lagging_only_below_the_schedule():
    july = date(2023, 7, 1)
    assert is_lagging(D("58.32"), july)
    assert not is_lagging(D("58.33"), july)
    assert not is_lagging(None, july)
    assert month_end(july) == date(2023, 7, 31)
