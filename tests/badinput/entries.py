"""The ways a bad input gets in, each driven the way a person would drive it.

An entry point prepares what it needs (fixtures, a logged-in client), takes
an Input, and returns the text the person is shown: a CommandError's message,
or the page's visible text after any redirect. Logging in happens in
prepare, before the dump, since it stamps the user's last_login.
"""

import io
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.allocations.pages import page, visible_text

NEW_DOCUMENT = "新财社〔2023〕99号"  # an allocation import's own, new 文号
DRAFT_DOCUMENT = "测试〔2023〕1号"  # the draft the admin's flat line import writes into
TARGET_COPY = "测试财社〔2023〕99号"  # a document without target tables, for import_targets
NOTICE = "新财社〔2023〕74号"
URUMQI = "乌鲁木齐市"


@dataclass
class Input:
    file: bytes | None = None
    name: str = "input.xlsx"
    options: dict = field(default_factory=dict)  # command options over the entry's defaults; None drops one
    flags: tuple = ()  # command flags such as --replace
    method: str = "post"
    data: dict = field(default_factory=dict)  # form fields
    format: str = "0"  # the admin import's format: IMPORT_EXPORT_FORMATS = [XLSX, CSV]
    url_args: tuple = ()


@dataclass(frozen=True)
class Command:
    name: str
    defaults: dict
    fixtures: tuple

    def prepare(self, ctx):
        for name in self.fixtures:
            ctx.fixture(name)

    def run(self, ctx, given):
        path = ctx.tmp_path / given.name
        arguments = []
        if given.file is not None:
            path.write_bytes(given.file)
            arguments.append(str(path))
        options = {**self.defaults, **given.options}
        arguments += [item for name, value in options.items() if value is not None for item in (name, value)]
        stdout = io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command(self.name, *arguments, *given.flags, stdout=stdout, stderr=io.StringIO())
        assert not stdout.getvalue(), "a refused import reported success"
        return str(refused.value)


@dataclass(frozen=True)
class Page:
    """A form post (with a file, for uploads); follows a redirect to read its messages."""

    url: object  # (ctx, given) -> path
    user: str
    fixtures: tuple = ()
    file_field: str = "file"
    defaults: dict = field(default_factory=dict)

    def prepare(self, ctx):
        for name in self.fixtures:
            ctx.fixture(name)
        ctx.client = ctx.fixture("client_for")(ctx.fixture(self.user))

    def run(self, ctx, given):
        data = {**self.defaults, **given.data}
        if given.file is not None:
            data[self.file_field] = SimpleUploadedFile(given.name, given.file)
        send = ctx.client.get if given.method == "get" else ctx.client.post
        response = send(self.url(ctx, given), data, follow=True)
        assert response.status_code in (200, 403, 404), response.status_code
        return _shown(response)


@dataclass(frozen=True)
class AdminImport:
    """django-import-export's admin import: the dry run shows the errors, and confirms nothing."""

    model: str  # app_model
    fixtures: tuple

    def prepare(self, ctx):
        for name in self.fixtures:
            ctx.fixture(name)
        ctx.client = ctx.fixture("client_for")(ctx.fixture("region_admin"))

    def run(self, ctx, given):
        upload = SimpleUploadedFile(given.name, given.file if given.file is not None else b"")
        response = ctx.client.post(
            reverse(f"admin:{self.model}_import"), {"import_file": upload, "format": given.format, "resource": "0"}
        )
        assert response.status_code == 200, response.status_code
        assert "confirm_form" not in response.context, "a bad file was offered for confirmation"
        return _shown(response)


def _shown(response):
    # One space wherever the markup put any whitespace: a message reads as one line.
    return " ".join(visible_text(page(response)).split())


def _report_url(name):
    def url(ctx, given):
        return reverse(name, args=[ctx.fixture("urumqi_july").pk])

    return url


def _fixed(name):
    return lambda ctx, given: reverse(name, args=given.url_args)


ENTRIES = {
    "import_allocations": Command(
        "import_allocations", {"--document": NEW_DOCUMENT, "--date": "2023-06-20"}, ("reference_data",)
    ),
    "import_targets": Command("import_targets", {"--document": TARGET_COPY, "--scope": URUMQI}, ("target_copy",)),
    "import_feedback": Command("import_feedback", {"--prefecture": URUMQI, "--month": "2023-07"}, ("officer_urumqi",)),
    "allocations:import_upload": Page(
        _fixed("allocations:import_upload"), "region_admin", defaults={"number": NEW_DOCUMENT, "issued_on": "2023-06-20"}
    ),
    "allocations:import_confirm": Page(_fixed("allocations:import_confirm"), "region_admin"),
    "admin:allocationline_import": AdminImport("allocations_allocationline", ("draft_document",)),
    "admin:target_import": AdminImport("targets_target", ("notice_document",)),
    "feedback:report_upload": Page(_report_url("feedback:report_upload"), "officer_urumqi", ("urumqi_july",)),
    "feedback:report_detail": Page(_report_url("feedback:report_detail"), "officer_urumqi", ("urumqi_july",)),
    "allocations:reallocation_create": Page(
        lambda ctx, given: reverse("allocations:reallocation_create", args=[ctx.fixture("notice_document").pk]),
        "officer_urumqi",
    ),
    "feedback:report_open": Page(_fixed("feedback:report_open"), "officer_urumqi"),
    "targets:monitoring": Page(
        lambda ctx, given: reverse("targets:monitoring", args=[ctx.fixture("urumqi_approved").pk]), "officer_urumqi"
    ),
    "targets:review_return": Page(
        lambda ctx, given: reverse("targets:review_return", args=[ctx.fixture("urumqi_submitted").pk]), "hr_reviewer"
    ),
    # 绩效自评 (issue 16.1): the case's builder makes the evaluation and passes its pk (and a score row's) in url_args.
    "evaluation:weights": Page(_fixed("evaluation:weights"), "region_admin"),
    "evaluation:score": Page(_fixed("evaluation:score"), "hr_reviewer"),
    "evaluation:return": Page(_fixed("evaluation:return"), "hr_reviewer"),
    "evaluation:build": Page(_fixed("evaluation:build"), "region_admin"),
    "evaluate_performance": Command("evaluate_performance", {"--year": "2023"}, ("target_copy",)),
}
