"""What every endpoint shares: the body parser with its size limit, cursor pages, strict serializers, the role gates."""

import json
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission

from api.errors import ApiError, problem
from core.permissions import can_use_app


class LimitedJSONParser(BaseParser):
    """JSON only, at most API_MAX_BODY_BYTES, numbers exactly as written (decimals as Decimal; NaN and Infinity refused).

    Not a subclass of DRF's JSONParser on purpose: DRF hands that one request.body, which Django refuses past
    DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) with an exception; this parser gets the stream and applies its own limit.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and str(declared).isdigit() and int(declared) > limit:
            raise _too_big(limit)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise _too_big(limit)
        try:
            return json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError) as bad:
            raise ApiError([problem("parse_error", _("请求体不是有效的 UTF-8 JSON：%(error)s") % {"error": bad})]) from None


def _refuse_constant(name):
    raise ValueError(_("不接受 %(name)s") % {"name": name})


def _too_big(limit):
    return ApiError(
        [problem("too_large", _("请求体超过 %(limit)s 字节的上限，请分批提交。") % {"limit": f"{limit:,}"})],
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


# An object's id in a URL: digits that fit a bigint; anything else is no endpoint (a JSON 404), never a database error.
ID = "[0-9]{1,18}"


class Cursor(CursorPagination):
    # Cursor pages: no COUNT(*) and no OFFSET, the same cost on page 1 and page 10,000.
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "pk"

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        properties = described["properties"]
        properties["next"]["description"] = "下一页的地址；已是最后一页时为 null"
        properties["previous"]["description"] = "上一页的地址；已是第一页时为 null"
        properties["results"]["description"] = "本页的行"
        return described


class AppUser(BasePermission):
    """Signed in (session) or a valid token, with a role of the app: as core.access.app_user_required."""

    def has_permission(self, request, view):
        return bool(request.user and can_use_app(request.user))


class Described:
    """Every field carries a Chinese description in the schema: its label when nothing more is said."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if not field.help_text and field.label:
                field.help_text = field.label
        return fields


class Strict(Described):
    """Unknown fields are refused, not ignored: a misspelt field would otherwise be lost without a word."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in known)
            if unknown:
                raise serializers.ValidationError(
                    {name: [serializers.ErrorDetail(_("未知字段，不接受。"), code="unknown_field")] for name in unknown}
                )
        return super().to_internal_value(data)


class ReadSerializer(Described, serializers.Serializer):
    pass


class ReadModelSerializer(Described, serializers.ModelSerializer):
    pass
