# The default (home_province) is attached only after the column is NOT NULL:
# it reads the live model, which may not match a migration's schema, so it
# must never be called while migrating. From the second AlterField on the
# changes are to the state only: a Python-side default changes no column.

import django.db.models.deletion
from django.db import migrations, models

import allocations.models


class Migration(migrations.Migration):

    dependencies = [
        ('allocations', '0004_home_province'),
    ]

    operations = [
        migrations.AlterField(
            model_name='prefecture',
            name='province',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='prefectures', to='allocations.province', verbose_name='省（自治区、直辖市）'),
        ),
        migrations.AlterField(
            model_name='prefecture',
            name='province',
            field=models.ForeignKey(default=allocations.models.home_province, on_delete=django.db.models.deletion.PROTECT, related_name='prefectures', to='allocations.province', verbose_name='省（自治区、直辖市）'),
        ),
        migrations.AlterField(
            model_name='historicalprefecture',
            name='province',
            field=models.ForeignKey(blank=True, db_constraint=False, default=allocations.models.home_province, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='allocations.province', verbose_name='省（自治区、直辖市）'),
        ),
    ]
