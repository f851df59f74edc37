import django.db.models.functions.datetime
from django.db import migrations, models

# Django gives every unique CharField on PostgreSQL a second index, varchar_pattern_ops, for LIKE 'prefix%'.
# Nothing looks vouchers up by prefix (the API by the whole voucher, the admin and the exceptions page by
# icontains, which no btree serves), and every import of a million payments built it again (0.4 s).
LIKE_INDEX = "treasury_payment_voucher_0ed0a6b0_like"


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {LIKE_INDEX}")


def create_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {LIKE_INDEX} ON treasury_payment (voucher varchar_pattern_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ('treasury', '0003_payment_root_document_unindexed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='payment',
            name='imported_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='导入时间'),
        ),
        migrations.RunPython(drop_like_index, create_like_index, elidable=False),
    ]
