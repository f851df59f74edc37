from datetime import date

import pytest

from allocations.models import Prefecture
from feedback.workflow import open_report

JULY = date(2023, 7, 1)


@pytest.fixture
def urumqi_july(reference_data):
    return open_report(Prefecture.objects.get(name="乌鲁木齐市"), JULY)
