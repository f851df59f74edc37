"""API tokens: one per client system (预算管理一体化, the treasury…), created by a region admin in the admin.

Only the key's SHA-256 is stored; the key itself is shown once, on creation.
A token acts as its role and, for a finance officer's role, its prefecture
(api.principal): it can never do more than a user of that role.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy

from core.models import Role


class ApiToken(models.Model):
    name = models.CharField(gettext_lazy("名称"), max_length=100, unique=True, help_text=gettext_lazy("调用方系统，如：国库集中支付系统"))
    role = models.CharField(gettext_lazy("角色"), max_length=30, choices=Role.choices)
    # A finance officer's token works for one prefecture, as the officer does; region-wide roles have none.
    prefecture = models.ForeignKey(
        "allocations.Prefecture", verbose_name=gettext_lazy("所属地（州、市）"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    prefix = models.CharField(gettext_lazy("密钥前缀"), max_length=12, editable=False)
    key_hash = models.CharField(gettext_lazy("密钥摘要"), max_length=64, unique=True, editable=False)
    revoked = models.BooleanField(gettext_lazy("已吊销"), default=False)
    last_used_at = models.DateTimeField(gettext_lazy("最近使用时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)
    # Changes made with the token are recorded under this user in the history (api.principal).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("创建人"), on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("接口令牌")
        verbose_name_plural = gettext_lazy("接口令牌")
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.FINANCE_OFFICER, prefecture__isnull=False)
                | (~Q(role=Role.FINANCE_OFFICER) & Q(prefecture__isnull=True)),
                name="api_token_prefecture_matches_role",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="api_token_role_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.role == Role.FINANCE_OFFICER and not self.prefecture_id:
            raise ValidationError({"prefecture": _("财政业务员角色的令牌必须指定所属地（州、市）。")})
        if self.role and self.role != Role.FINANCE_OFFICER and self.prefecture_id:
            raise ValidationError({"prefecture": _("只有财政业务员角色的令牌才指定所属地（州、市）；其他角色面向全区。")})
