"""Formula-safe django-import-export resources.

import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a
leading "=" (the note changes, "+", "-" and "@" pass) and turns every cell,
amounts included, into text. Instead, every text value a resource exports
is quoted with a leading "'" when it could run as a formula, and an import
removes that one "'" again: a flat export imported back changes nothing.
"""

from core.safe_export import quote_formula, unquote_formula


class SafeExportMixin:
    """Put first in a Resource's bases."""

    def export_field(self, field, instance, **kwargs):
        return quote_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = unquote_formula(value)
        super().before_import_row(row, **kwargs)
