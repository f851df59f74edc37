from django.db import migrations, models
from django.db.models import Sum
from django.db.models.functions import TruncMonth


def fill_refunds(apps, schema_editor):
    # Refunds already imported: the summary rows they fall in get their share (few rows; refunds are rare).
    Payment = apps.get_model("treasury", "Payment")
    PaymentSummary = apps.get_model("treasury", "PaymentSummary")
    refunds = (
        Payment.objects.filter(amount_fen__lt=0, root_document__isnull=False)
        .annotate(summary_month=TruncMonth("paid_on"))
        .values_list("root_document_id", "prefecture_id", "county_id", "use", "summary_month")
        .annotate(fen=Sum("amount_fen"))
        .order_by()
    )
    for document_id, prefecture_id, county_id, use, month, fen in refunds:
        PaymentSummary.objects.filter(
            document_id=document_id, prefecture_id=prefecture_id, county_id=county_id, use=use, month=month
        ).update(refunds_fen=fen)


class Migration(migrations.Migration):

    dependencies = [
        ('treasury', '0004_payment_stream_import'),
    ]

    operations = [
        migrations.AddField(
            model_name='paymentsummary',
            name='refunds_fen',
            field=models.BigIntegerField(default=0, verbose_name='当月退回（分）'),
        ),
        migrations.RunPython(fill_refunds, migrations.RunPython.noop),
    ]
