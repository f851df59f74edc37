"""The user a token acts as: its role and prefecture, nothing more.

Every permission function in core.permissions and every visible_to queryset
take a user; the token's stand-in answers them exactly as a user of the
token's role (and prefecture) would, so the API re-implements no scoping.
It is never saved. Its id is the creating admin's, so that history rows
written through the token (simple_history records request.user) point at a
real person who answers for the token.
"""

from core.models import User


def principal(token):
    user = User(
        pk=token.created_by_id,
        username=f"api:{token.name}",
        prefecture_id=token.prefecture_id,
        is_active=True,
        is_staff=False,
        is_superuser=False,
    )
    # core.permissions reads the role names from this cache before asking the database.
    user._role_names = {token.role}
    user.api_token = token
    # It borrows the admin's id: a save would overwrite the admin's account.
    user.save = _never_saved
    return user


def _never_saved(*args, **kwargs):
    raise RuntimeError("a token's user is never saved")
