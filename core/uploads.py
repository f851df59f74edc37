"""The one size limit on every upload, checked before anything reads the file."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def size_text(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


def size_refusal(size):
    limit = settings.ALLOCATION_UPLOAD_MAX_BYTES
    if size > limit:
        return _("文件过大（%(size)s），上传上限为 %(limit)s。") % {"size": size_text(size), "limit": size_text(limit)}
    return None


def check_upload_size(upload):
    problem = size_refusal(upload.size)
    if problem:
        raise ValidationError(problem)
    return upload
