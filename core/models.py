from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    # Group names are these fixed values; the labels are what people read.
    FINANCE_OFFICER = "finance_officer", "财政业务员"
    HR_REVIEWER = "hr_reviewer", "人社审核员"
    AUDITOR = "auditor", "审计员"
    REGION_ADMIN = "region_admin", "自治区管理员"


class User(AbstractUser):
    # A finance officer works for exactly one prefecture; everyone else
    # works for the region and leaves this empty.
    prefecture = models.ForeignKey(
        "allocations.Prefecture",
        verbose_name="所属地（州、市）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = "用户"
        verbose_name_plural = "用户"
