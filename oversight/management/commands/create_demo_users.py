import secrets

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from allocations.models import Prefecture
from core.models import Role, User

# username, role, prefecture, staff (admin site), superuser
DEMO_USERS = (
    ("admin", Role.REGION_ADMIN, None, True, True),
    ("auditor", Role.AUDITOR, None, True, False),
    ("hr", Role.HR_REVIEWER, None, True, False),
    ("officer1", Role.FINANCE_OFFICER, "乌鲁木齐市", False, False),
    ("officer2", Role.FINANCE_OFFICER, "喀什地区", False, False),
)


class Command(BaseCommand):
    help = "创建演示账号 admin、auditor、hr、officer1（乌鲁木齐市）、officer2（喀什地区），并打印其密码。"

    def add_arguments(self, parser):
        parser.add_argument("--password", help="所有演示账号使用的密码；不指定则为每个账号随机生成")

    @transaction.atomic
    def handle(self, *args, **options):
        prefectures = {p.name: p for p in Prefecture.objects.filter(name__in=[u[2] for u in DEMO_USERS if u[2]])}
        if len(prefectures) < 2:
            raise CommandError("找不到乌鲁木齐市或喀什地区：请先运行 python manage.py load_reference_data。")
        self.stdout.write("演示账号（用户名 / 密码 / 角色）：")
        for username, role, prefecture_name, staff, superuser in DEMO_USERS:
            password = options["password"] or secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(username=username)
            user.prefecture = prefectures.get(prefecture_name)
            user.is_staff = staff
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            where = f"（{prefecture_name}）" if prefecture_name else ""
            self.stdout.write(f"  {username} / {password} / {role.label}{where}")
