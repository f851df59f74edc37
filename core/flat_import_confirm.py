"""The confirm step of the admin's flat imports, held to the upload that was previewed.

django-import-export's confirm form carries the temporary file's name and
its confirm view opens os.path.join(tempdir, name) with whatever it is
given: any file the server can read (an absolute path included) is
imported, past the checks of the upload step, and then deleted; a missing
name is a 500. Here the temporary files live in a folder of their own under
random names, the confirm step accepts only a name this session was given
at its own upload, no older than FLAT_IMPORT_TMP_MAX_AGE seconds, takes the
file for itself (so a second click on 确认导入 finds nothing rather than
importing it twice or failing half-way), checks it again as at the upload,
and anything else is refused with a message. Every upload removes the files
nobody confirmed within FLAT_IMPORT_TMP_MAX_AGE seconds.
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
        try:
            if _NAME.match(path.name) and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            # Confirmed, or swept by another request, since iterdir listed it.
            continue
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
        claimed, problem = self._claim(request, name)
        if problem:
            messages.error(request, problem)
            return redirect(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_import")
        request.session[SESSION_KEY] = [known for known in request.session.get(SESSION_KEY, []) if known != name]
        request.flat_import_claimed = claimed
        return super().process_import(request, **kwargs)

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        claimed = getattr(request, "flat_import_claimed", None)
        if claimed and kwargs.get("data") is not None:
            # django-import-export reads the name from the form: give it the file this request took.
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["import_file_name"] = claimed
        return kwargs

    def _claim(self, request, name):
        """(the name this request now alone holds the upload under, None) or (None, why not)."""
        expired = _("导入确认已失效，或文件不是本次会话上传的，请重新上传文件。")
        if not _NAME.match(name) or name not in request.session.get(SESSION_KEY, []):
            return None, expired
        try:
            chosen = int(request.POST.get("format", ""))
            binary = self.get_import_formats()[chosen]().is_binary()
            resource = self.get_import_resource_classes(request)[int(request.POST.get("resource") or 0)]()
        except (ValueError, IndexError):
            return None, expired
        claimed = tmp_folder() / uuid4().hex
        try:
            # One rename wins: a second confirm of the same upload finds no file.
            os.rename(tmp_folder() / name, claimed)
            too_old = claimed.stat().st_mtime < time.time() - settings.FLAT_IMPORT_TMP_MAX_AGE
            with open(claimed, "rb") as file:
                content = file.read(settings.ALLOCATION_UPLOAD_MAX_BYTES + 1)
        except OSError:
            return None, expired
        problem = expired if too_old else refusal(content, binary, resource)
        if problem:
            # This session's own upload, which can never be confirmed now.
            claimed.unlink(missing_ok=True)
            return None, problem
        return claimed.name, None
