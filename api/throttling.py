"""Per-token throttling: each token has its own budget (REST_FRAMEWORK DEFAULT_THROTTLE_RATES["token"]).

Session users (the browsable API) are people at a screen, limited as the pages are: not here.
"""

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is None or not hasattr(token, "key_hash"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
