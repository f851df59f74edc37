"""The confirm step of the admin's flat imports, held to the upload that was previewed.

django-import-export's confirm form carries the temporary file's name and
its confirm view opens os.path.join(tempdir, name) with whatever it is
given: any file the server can read (an absolute path included) is
imported, past the checks of the upload step, and then deleted; a missing
name is a 500. Here the temporary files live in a folder of their own under
random names, the confirm step accepts only a name this session was given
at its own upload, reads it back and checks it again as at the upload, and
anything else is refused with a message. Files never confirmed are removed
once older than FLAT_IMPORT_TMP_MAX_AGE seconds.
"""

import os
import re
import tempfile
import time
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from import_export.tmp_storages import TempFolderStorage

from core.flat_import import refusal

SESSION_KEY = "flat_import_files"
_NAME = re.compile(r"^[0-9a-f]{32}$")


def tmp_folder():
    return Path(getattr(settings, "FLAT_IMPORT_TMP_DIR", "") or Path(tempfile.gettempdir()) / "flat-import")


def remove_stale(now=None):
    """Remove the uploads nobody confirmed in time; returns how many."""
    folder = tmp_folder()
    if not folder.is_dir():
        return 0
    limit = (now or time.time()) - settings.FLAT_IMPORT_TMP_MAX_AGE
    removed = 0
    for path in folder.iterdir():
        if _NAME.match(path.name) and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class ImportFileStorage(TempFolderStorage):
    """TempFolderStorage in its own folder, under random names only."""

    def save(self, data):
        remove_stale()
        tmp_folder().mkdir(mode=0o700, parents=True, exist_ok=True)
        self.name = uuid4().hex
        if isinstance(data, bytes):
            with open(self.get_full_path(), "wb") as file:
                file.write(data)
        else:
            with open(self.get_full_path(), "w", encoding=self.encoding) as file:
                file.write(data)

    def get_full_path(self):
        if not _NAME.match(self.name or ""):
            # Never a path of the caller's choosing.
            raise FileNotFoundError(self.name)
        return os.path.join(tmp_folder(), self.name)


class ConfirmedImportMixin:
    """For an ImportExportModelAdmin: the confirm step imports only this session's own, re-checked upload."""

    tmp_storage_class = ImportFileStorage

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        name = initial.get("import_file_name")
        if name:
            request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-9:], name]
        return initial

    def process_import(self, request, **kwargs):
        if request.method != "POST" or not self.has_import_permission(request):
            return super().process_import(request, **kwargs)  # its own refusals: 405, 403
        name = request.POST.get("import_file_name", "")
        problem = self._confirm_refusal(request, name)
        if problem:
            messages.error(request, problem)
            return redirect(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_import")
        response = super().process_import(request, **kwargs)
        request.session[SESSION_KEY] = [known for known in request.session.get(SESSION_KEY, []) if known != name]
        return response

    def _confirm_refusal(self, request, name):
        expired = _("导入确认已失效，或文件不是本次会话上传的，请重新上传文件。")
        if not _NAME.match(name) or name not in request.session.get(SESSION_KEY, []):
            return expired
        try:
            with open(os.path.join(tmp_folder(), name), "rb") as file:
                content = file.read(settings.ALLOCATION_UPLOAD_MAX_BYTES + 1)
        except OSError:
            return expired
        try:
            chosen = int(request.POST.get("format", ""))
            binary = self.get_import_formats()[chosen]().is_binary()
            resource = self.get_import_resource_classes(request)[int(request.POST.get("resource") or 0)]()
        except (ValueError, IndexError):
            return expired
        return refusal(content, binary, resource)
