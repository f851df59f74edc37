from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Group names are these fixed values; the labels are what people read.
    FINANCE_OFFICER = "finance_officer", _("财政业务员")
    HR_REVIEWER = "hr_reviewer", _("人社审核员")
    AUDITOR = "auditor", _("审计员")
    REGION_ADMIN = "region_admin", _("自治区管理员")


class User(AbstractUser):
    # A finance officer works for exactly one prefecture; everyone else
    # works for the region and leaves this empty.
    prefecture = models.ForeignKey(
        "allocations.Prefecture",
        verbose_name=_("所属地（州、市）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # Chinese is the working language; English is a per-user choice that
    # follows the user to every device (core.middleware.UserLanguageMiddleware).
    language = models.CharField(
        _("界面语言"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="zh-hans",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
