"""The region admin's upload of a treasury payment file: the same import as the command, result on the same page."""

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.shortcuts import render

from core.access import app_user_required, form_methods
from core.permissions import can_import_payments
from treasury.forms import PaymentUploadForm
from treasury.importing import PaymentsRefused, import_payments

TEMPLATE = "treasury/upload.html"


def run_upload(form):
    """(outcome, errors) for a valid upload form; shared by the page and the admin's import."""
    upload = form.cleaned_data["file"]
    # A large upload is already on disk: read it from there; a small one is in memory.
    source = upload.temporary_file_path() if isinstance(upload, TemporaryUploadedFile) else upload.file
    try:
        outcome = import_payments(
            source, upload.name, encoding=form.cleaned_data["encoding"] or None, dry_run=form.cleaned_data["dry_run"]
        )
    except PaymentsRefused as refused:
        return refused.outcome, refused.errors
    return outcome, []


@form_methods
@app_user_required
def payment_upload(request):
    if not can_import_payments(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": PaymentUploadForm()})
    form = PaymentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form})
    outcome, errors = run_upload(form)
    return render(request, TEMPLATE, {"form": PaymentUploadForm(), "outcome": outcome, "errors": errors})
