"""Authorization: Bearer <key> (or Token <key>): the token's principal, or a 401 in the one JSON shape."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.keys import digest
from api.models import ApiToken
from api.principal import principal

KEYWORDS = (b"bearer", b"token")
# last_used_at is written at most once a minute per token: not one UPDATE per request.
TOUCH_EVERY = timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization 头格式应为：Bearer <令牌>。"))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌无效。")) from None
        token = ApiToken.objects.filter(key_hash=digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        if token.revoked:
            raise exceptions.AuthenticationFailed(_("令牌已被吊销。"))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return principal(token), token

    def authenticate_header(self, request):
        # A 401 (not a 403) for a missing or bad token, with the scheme named.
        return 'Bearer realm="api"'
