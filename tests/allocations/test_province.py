"""The province level above the prefectures: the notice's prefectures are in 新疆维吾尔自治区."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from allocations.models import Prefecture, Province

HOME = "新疆维吾尔自治区"


def test_it_puts_the_notice_prefectures_in_the_home_province(reference_data):
    provinces = set(Prefecture.objects.values_list("province__name", "province__code"))

    assert provinces == {(HOME, "65")}
    assert Province.objects.get(name=HOME).prefectures.count() == 14


def test_it_gives_a_prefecture_created_without_a_province_the_home_one(empty_database):
    Province.objects.filter(name=HOME).delete()

    created = Prefecture.objects.create(name="测试地区", position=99)
    bulk = Prefecture.objects.bulk_create([Prefecture(name="测试地区2", position=100)])

    assert created.province.name == HOME
    assert Prefecture.objects.get(pk=bulk[0].pk).province.name == HOME
    assert Province.objects.filter(name=HOME).count() == 1


def test_it_keeps_a_province_that_still_has_prefectures(reference_data):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Province.objects.get(name=HOME).delete()


@pytest.mark.django_db(transaction=True)
def test_it_moves_the_existing_prefectures_into_xinjiang_when_migrating(empty_database):
    executor = MigrationExecutor(connection)
    executor.migrate([("allocations", "0003_province")])
    old_apps = executor.loader.project_state([("allocations", "0003_province")]).apps
    OldPrefecture = old_apps.get_model("allocations", "Prefecture")
    OldPrefecture.objects.create(name="乌鲁木齐市", position=1)
    OldPrefecture.objects.create(name="喀什地区", position=2)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(Prefecture.objects.values_list("name", "province__name")) == {("乌鲁木齐市", HOME), ("喀什地区", HOME)}
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    # The assignment is recorded as a change, not written into the earlier history.
    assert list(urumqi.history.values_list("history_type", "province__name")) == [("~", HOME)]
