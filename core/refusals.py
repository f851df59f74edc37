"""The one refusal every import raises: all the errors found, nothing written."""

from django.core.management.base import CommandError


class ImportRefused(Exception):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))

    def command_error(self):
        """The refusal as an import command reports it, one error a line."""
        lines = "\n".join(f"  - {error}" for error in self.errors)
        return CommandError(f"导入失败，共 {len(self.errors)} 处错误，未写入任何数据：\n{lines}")
