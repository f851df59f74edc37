"""The admin's flat CSV/XLSX imports (django-import-export), held to the workbook uploads' rules.

Left to itself, django-import-export reads any file of any size, answers an
unreadable one in English, shows a Python traceback when a key column is
missing, and lets the last of two identical rows win in silence.
CheckedImportForm looks at the file first and refuses in Chinese what it
cannot import; CheckedRowsMixin makes a repeated row an error and names each
error by the column the person sees in their file.
"""

import csv
import io

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models.fields import NOT_PROVIDED
from django.utils.translation import gettext as _
from import_export.forms import ImportForm

from core.uploads import check_upload_size, size_refusal
from core.sheet_scan import is_hidden, scan
from core.workbook import DAMAGED_MESSAGE, LAZY_READ_ERRORS, WorkbookError, check_file, clean_text, open_openpyxl

# The notice has 100 allocation lines and 15 tables of 26 targets: a flat
# file of more rows than this is the wrong file, and each row costs queries.
MAX_ROWS = 5000
UNREADABLE_CSV = "文件不是 UTF-8 编码的 CSV：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或改选 xlsx 格式后再导入。"


def too_many_rows():
    return _("文件超过 %(max_rows)s 行的上限，请拆分后再导入。") % {"max_rows": MAX_ROWS}


def _xlsx_rows(content):
    check_file(io.BytesIO(content))
    # The header row plus MAX_ROWS data rows; nothing beyond, before openpyxl or tablib builds a sheet.
    scanned = scan(io.BytesIO(content), max_rows=MAX_ROWS + 1, too_many_rows=too_many_rows())
    workbook = open_openpyxl(io.BytesIO(content), data_only=True)
    try:
        # django-import-export imports the active sheet: it must be one the person can see.
        active = workbook.active
        if active is None:
            # The saved active tab is past the last sheet.
            raise WorkbookError("工作簿没有选中的工作表，请在 Excel 中选中数据所在的工作表并保存后再导入。")
        if is_hidden(active.title, scanned):
            # Not the first visible sheet instead: the import itself would still read this one.
            raise WorkbookError(f"工作表“{active.title}”是隐藏的，请取消隐藏（或删除该工作表）后再导入。")
        if not hasattr(active, "iter_rows"):
            raise WorkbookError(f"选中的工作表“{active.title}”是图表，不是数据表，请选中数据所在的工作表并保存后再导入。")
        return _counted(active.iter_rows(values_only=True))
    except LAZY_READ_ERRORS:
        raise WorkbookError(DAMAGED_MESSAGE) from None
    finally:
        workbook.close()


def _csv_rows(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbookError(UNREADABLE_CSV) from None
    try:
        return _counted(csv.reader(io.StringIO(text)))
    except csv.Error:
        raise WorkbookError(UNREADABLE_CSV) from None


def _counted(rows):
    """(header, number of data rows), reading no further than one row past the limit."""
    # Compared as written: django-import-export looks a column up by its exact heading.
    header = [str(value) if value is not None else "" for value in next(rows, ())]
    count = 0
    for _values in rows:
        count += 1
        if count > MAX_ROWS:
            break
    return header, count


def required_columns(resource):
    """The columns a row cannot do without: its natural key, and every written field without a default."""
    keys = set(resource.get_import_id_fields())
    return [
        field.column_name
        for name, field in resource.fields.items()
        if name in keys or (not field.readonly and field.default is NOT_PROVIDED)
    ]


def refusal(content, binary, resource):
    """Why this file cannot be imported by resource (a message), or None.

    Asked at the upload and again at the confirm step, which reads the file
    back from temporary storage (core.flat_import_confirm).
    """
    size_problem = size_refusal(len(content))
    if size_problem:
        return size_problem
    try:
        header, count = _xlsx_rows(content) if binary else _csv_rows(content)
    except WorkbookError as refused:
        return str(refused)
    missing = [column for column in required_columns(resource) if column not in header]
    if missing:
        return _("第1行（表头）缺少列：%(missing)s。需要的列：%(needed)s。") % {
            "missing": "、".join(missing),
            "needed": "、".join(required_columns(resource)),
        }
    if count == 0:
        return _("文件中没有数据行（只有表头），没有可导入的内容。")
    if count > MAX_ROWS:
        return too_many_rows()
    return None


class CheckedImportForm(ImportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self._formats = formats
        self._resources = resources
        self.fields["import_file"].error_messages["empty"] = "上传的文件是空的。"

    def clean(self):
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned
        try:
            # Before reading it: a 2 GB upload is refused by its size alone.
            check_upload_size(upload)
        except ValidationError as refused:
            self.add_error("import_file", refused)
            return cleaned
        binary = self._formats[int(chosen)]().is_binary()
        resource = self._resources[int(cleaned.get("resource") or 0)]()
        problem = refusal(b"".join(upload.chunks()), binary, resource)
        if problem:
            self.add_error("import_file", problem)
        return cleaned


class CheckedRowsMixin:
    """For a ModelResource: one row per natural key in a file, and errors under their column's heading."""

    def duplicate_key(self, row):
        return tuple(clean_text(row.get(self.fields[name].column_name)) for name in self.get_import_id_fields())

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._first_row_of = {}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        number = kwargs.get("row_number")
        key = self.duplicate_key(row)
        first = self._first_row_of.setdefault(key, number)
        if first != number:
            # Otherwise the second row would quietly overwrite the first.
            shown = " / ".join(str(part) for part in key if part)
            raise ValidationError({NON_FIELD_ERRORS: [f"与第{first}行重复（{shown}），同一行只能出现一次"]})

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as invalid:
            # The model's field names (amount, raw_value) mean nothing to the person: use the file's headings.
            headings = {name: field.column_name for name, field in self.fields.items()}
            raise ValidationError(
                {headings.get(name, name): messages for name, messages in invalid.message_dict.items()}
            ) from None
