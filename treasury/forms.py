from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import check_upload_size

ENCODINGS = [("", _("自动识别（UTF-8 或 GB18030）")), ("utf-8-sig", "UTF-8"), ("gb18030", "GB18030 / GBK")]


class PaymentUploadForm(forms.Form):
    file = forms.FileField(label=_("支付明细文件（.xlsx 或 .csv）"), validators=[check_upload_size])
    encoding = forms.ChoiceField(label=_("CSV 编码"), choices=ENCODINGS, required=False)
    dry_run = forms.BooleanField(label=_("只检查，不写入"), required=False)
