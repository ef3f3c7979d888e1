"""Errors a user can act on. Anything else is our bug and gets a traceback in the log."""

from __future__ import annotations

from typing import NamedTuple

from db.errors import AppError, StoreError


class UserError(AppError):
    """Bad input or an impossible request, with a message in Vietnamese for the user."""


class Problem(NamedTuple):
    """One thing wrong in an input file, located precisely."""

    sheet: str
    row: int | None
    column: str
    value: object
    message: str

    def __str__(self) -> str:
        where = f"trang tính “{self.sheet}”"
        if self.row is not None:
            where += f", dòng {self.row}"
        if self.column:
            where += f", cột “{self.column}”"
        shown = "" if self.value in (None, "") else f" (giá trị: “{self.value}”)"
        return f"{where}: {self.message}{shown}"


class InputFileError(UserError):
    """An input file refused whole; `problems` lists every reason found."""

    def __init__(self, summary: str, problems: list[Problem] | None = None) -> None:
        self.summary = summary
        self.problems = problems or []
        lines = [summary] + [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


__all__ = ["AppError", "InputFileError", "Problem", "StoreError", "UserError"]
