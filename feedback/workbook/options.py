"""Reading a month and a prefecture as people type them on a command line or in a URL."""

import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from allocations.models import Prefecture


class OptionError(ValueError):
    """A month or prefecture that cannot be used; the message is for people."""


def parse_month(text):
    """'2023-07' -> date(2023, 7, 1); anything else is refused in Chinese."""
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", (text or "").strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise OptionError(_("月份“%(text)s”格式不对，请写成 YYYY-MM，例如 2023-07。") % {"text": text})
    return date(int(found.group(1)), int(found.group(2)), 1)


def check_not_future(month, today=None):
    # A report is about money already spent: next month has nothing to show yet.
    today = today or timezone.localdate()
    if month > today.replace(day=1):
        raise OptionError(_("%(month)s 尚未到来，不能处理未来月份的反馈表（今天是 %(today)s）。") % {
            "month": f'{month:%Y-%m}',
            "today": f'{today:%Y-%m-%d}',
        })
    return month


def find_prefecture(name):
    prefecture = Prefecture.objects.filter(name=(name or "").strip()).first()
    if prefecture is None:
        names = "、".join(Prefecture.objects.values_list("name", flat=True))
        raise OptionError(_("找不到地（州、市）“%(name)s”。可选：%(names)s。") % {"name": name, "names": names})
    return prefecture


def month_label(month):
    return f"{month.year}年{month.month}月"
