import pytest
from tests.feedback.workbook_files import export_urumqi, rows
pytestmark = pytest.mark.django_db
def test_it_x(officer_urumqi, tmp_path):
    for i, r in enumerate(rows(export_urumqi(tmp_path)), 1):
        print(i, r)
