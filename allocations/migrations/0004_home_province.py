# Every existing prefecture belongs to 新疆维吾尔自治区, the region the notice is from.

from django.db import migrations
from django.utils import timezone

HOME_NAME = "新疆维吾尔自治区"
HOME_CODE = "65"
REASON = "迁移：归入新疆维吾尔自治区"


def assign_home_province(apps, schema_editor):
    Province = apps.get_model("allocations", "Province")
    HistoricalProvince = apps.get_model("allocations", "HistoricalProvince")
    Prefecture = apps.get_model("allocations", "Prefecture")
    HistoricalPrefecture = apps.get_model("allocations", "HistoricalPrefecture")
    now = timezone.now()
    home, created = Province.objects.get_or_create(name=HOME_NAME, defaults={"code": HOME_CODE, "position": 1})
    if created:
        HistoricalProvince.objects.create(
            id=home.pk, name=home.name, code=home.code, position=home.position,
            history_date=now, history_type="+", history_change_reason=REASON,
        )
    # A change row per prefecture records the assignment; past rows stay as they were written.
    prefectures = list(Prefecture.objects.filter(province__isnull=True))
    Prefecture.objects.filter(pk__in=[p.pk for p in prefectures]).update(province=home)
    HistoricalPrefecture.objects.bulk_create(
        HistoricalPrefecture(
            id=p.pk, name=p.name, position=p.position, province_id=home.pk,
            history_date=now, history_type="~", history_change_reason=REASON,
        )
        for p in prefectures
    )


class Migration(migrations.Migration):

    dependencies = [
        ('allocations', '0003_province'),
    ]

    operations = [
        migrations.RunPython(assign_home_province, migrations.RunPython.noop),
    ]
