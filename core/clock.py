"""The project's clock: today where the bureau works (settings.TIME_ZONE, Asia/Shanghai).

Every page, board and command asks clock.today() through this module, so a
test or a benchmark that freezes the day patches one name: core.clock.today.
"""

from django.utils import timezone


def today():
    return timezone.localdate()
