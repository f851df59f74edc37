"""Upload of an official 附件1 workbook: check and preview first, write only on confirmation.

The preview carries the checked rows back signed (importing.signed_payload),
so the confirmation neither trusts the browser nor needs the file again; the
rows are checked once more against the database before anything is written.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from io import BytesIO

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from allocations.forms import ImportConfirmForm, ImportUploadForm
from allocations.importing import ImportRefused, read_and_check, save_checked, signed_payload, table_from_payload
from allocations.models import AllocationDocument
from allocations.tables import SheetTable, sheet_rows
from allocations.workbook.export import build_blank_workbook
from core import formats
from core.access import app_user_required, form_methods
from core.permissions import can_import_allocations
from core.safe_export import attachment_header

TEMPLATE = "allocations/import.html"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLANK_FILENAME = "附件1_分配表模板.xlsx"
METADATA = ("number", "title", "issued_on", "replace")


def _require_importer(user):
    if not can_import_allocations(user):
        raise PermissionDenied


@form_methods
@app_user_required
def import_upload(request):
    _require_importer(request.user)
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": ImportUploadForm()})

    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form})
    table = read_and_check(form.cleaned_data["file"])
    metadata = {name: form.cleaned_data[name] for name in METADATA}
    context = {"form": form, "checked": table, "errors": table.errors}
    if table.ok:
        context["preview"] = SheetTable(sheet_rows(table.lines, table.subtotals, table.total), exclude=("direct_mark",))
        context["confirm_form"] = ImportConfirmForm(initial={"payload": signed_payload(table), **metadata})
        existing = AllocationDocument.objects.filter(number=metadata["number"]).first()
        if existing is not None:
            context["existing"] = existing
    return render(request, TEMPLATE, context)


@require_safe
@app_user_required
def import_template(request):
    _require_importer(request.user)
    buffer = BytesIO()
    build_blank_workbook().save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(BLANK_FILENAME)
    return response


@require_POST
@app_user_required
def import_confirm(request):
    _require_importer(request.user)
    confirm = ImportConfirmForm(request.POST)
    if not confirm.is_valid():
        errors = [f"{name}：{'；'.join(problems)}" for name, problems in confirm.errors.items()]
        return _refused(request, [_("确认数据不完整，请重新上传文件。"), *errors], {})

    data = confirm.cleaned_data
    metadata = {name: data[name] for name in METADATA}
    try:
        table = table_from_payload(data["payload"])
        document = save_checked(
            table,
            number=data["number"],
            title=data["title"] or None,
            issued_on=data["issued_on"],
            replace=data["replace"],
        )
    except ImportRefused as refused:
        return _refused(request, refused.errors, metadata)
    messages.success(
        request, _("已导入 %(number)s：%(len)s 行，合计 %(grouped)s 万元（草稿）。") % {
            "number": document.number,
            "len": len(table.lines),
            "grouped": formats.money(table.total),
        }
    )
    return redirect("allocations:document_detail", pk=document.pk)


def _refused(request, errors, metadata):
    # Nothing was written; the form comes back filled so a new upload is one step.
    form = ImportUploadForm(initial=metadata)
    return render(request, TEMPLATE, {"form": form, "errors": errors, "refused": True})
