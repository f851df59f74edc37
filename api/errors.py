"""Every API error is JSON in one shape, whatever went wrong and whatever the client asked to accept:

    {"code": "...", "message": "中文说明", "field": "名称或 null", "row": 行号或 null, "errors": [同样的条目…]}

`errors` lists each problem when there are several (a batch's rows, a form's fields); the top-level
code, message, field and row are the first of them. A browser asking for HTML gets JSON too.
"""

import logging

from django.core.exceptions import (
    PermissionDenied as DjangoPermissionDenied,
    RequestDataTooBig,
    ValidationError as DjangoValidationError,
)
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

log = logging.getLogger("api")


class ApiError(exceptions.APIException):
    """A refusal with its problems already in the shape: [{"code", "message", "field", "row"}]."""

    def __init__(self, problems, status_code=status.HTTP_400_BAD_REQUEST):
        self.problems = problems
        self.status_code = status_code
        super().__init__(problems[0]["message"], problems[0]["code"])


def problem(code, message, field=None, row=None):
    return {"code": code, "message": str(message), "field": field, "row": row}


def body(problems):
    first = problems[0]
    return {**first, "errors": problems}


def _flatten(detail, field=None, row=None):
    """DRF's nested error detail as a flat list of problems, each naming its field (a.b.c) and row."""
    if isinstance(detail, dict):
        found = []
        if detail and all(isinstance(key, int) for key in detail):
            # A list's errors by index ({0: {...}}): the index is the row, counted from 1.
            for index, value in detail.items():
                found += _flatten(value, field, index + 1)
            return found
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else (f"{field}.{key}" if field else str(key))
            found += _flatten(value, name if name else field, row)
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)) and field and field.endswith(("lines", "payments")) and row is None:
                found += _flatten(value, field, index + 1)
            else:
                found += _flatten(value, field, row)
        return found
    return [problem(getattr(detail, "code", "invalid") or "invalid", detail, field, row)]


def _problems(exc):
    if isinstance(exc, ApiError):
        return exc.problems
    return _flatten(exc.detail) or [problem(exc.default_code, exc.default_detail)]


def handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = ApiError([problem("too_large", _("请求体过大，请分批提交。"))], status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, (Http404, DjangoPermissionDenied)):
        exc = exceptions.NotFound() if isinstance(exc, Http404) else exceptions.PermissionDenied()
    # Imported here: DRF imports this module's neighbours (the parser) while rest_framework.views loads.
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    if response is None:
        # A bug: logged with its traceback, answered in the one shape rather than Django's HTML 500 page.
        log.exception("API error", exc_info=exc)
        response = Response(status=status.HTTP_500_INTERNAL_SERVER_ERROR)
        response.data = body([problem("server_error", _("服务器内部错误，请稍后重试；未写入任何数据。"))])
    else:
        response.data = body(_problems(exc))
    request = context.get("request")
    if request is not None:
        # The browsable API would wrap the error in an HTML page: errors are always JSON.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = "application/json"
    return response


def not_found(request, *args, **kwargs):
    """Any /api/ address that names no endpoint: a JSON 404, not the site's HTML page."""
    return JsonResponse(body([problem("not_found", _("接口地址不存在。"))]), status=404, json_dumps_params={"ensure_ascii": False})
