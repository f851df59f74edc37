# The province level above the prefectures, in three steps (PostgreSQL
# refuses to change a table's schema in the transaction that has just written
# its rows): 0003 adds the table and a nullable column, 0004 puts every
# existing prefecture in 新疆维吾尔自治区, 0005 makes the column NOT NULL and
# attaches the model's default.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('allocations', '0002_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Province',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, unique=True, verbose_name='省（自治区、直辖市）名称')),
                ('code', models.CharField(max_length=10, unique=True, verbose_name='简码')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
            ],
            options={
                'verbose_name': '省（自治区、直辖市）',
                'verbose_name_plural': '省（自治区、直辖市）',
                'ordering': ['position', 'name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalProvince',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=50, verbose_name='省（自治区、直辖市）名称')),
                ('code', models.CharField(db_index=True, max_length=10, verbose_name='简码')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical 省（自治区、直辖市）',
                'verbose_name_plural': 'historical 省（自治区、直辖市）',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='historicalprefecture',
            name='province',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='allocations.province', verbose_name='省（自治区、直辖市）'),
        ),
        migrations.AddField(
            model_name='prefecture',
            name='province',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='prefectures', to='allocations.province', verbose_name='省（自治区、直辖市）'),
        ),
    ]
