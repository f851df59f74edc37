from django.db import models


class CodeField(models.CharField):
    """A code (a voucher number, say): compared and sorted byte by byte, not as words in a language.

    On PostgreSQL the column takes the "C" collation. A database made with a
    language's collation (zh_CN.UTF-8, en_US.UTF-8) otherwise compares every
    pair of codes through the C library's strcoll, and it is such comparisons
    that keep a unique index up to date while a million rows go in and sort
    them when an index is built. SQLite compares bytes already (BINARY).
    A foreign key to the field takes the same collation (Django passes it on).
    """

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql" and self.db_collation is None:
            parameters["collation"] = "C"
        return parameters
