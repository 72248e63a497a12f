"""Writing XLSX files in which text stays text (OWASP "CSV injection", which applies to XLSX too).

Names, notes and other text come from people. openpyxl turns any string that starts with "="
into a formula, and Excel or LibreOffice run a cell that starts with "=", "+", "-", "@", a tab or
a carriage return once somebody edits it. So every string here is written as a text cell, and a
string starting with one of those characters also carries Excel's *quote prefix* — the flag that
typing a leading apostrophe sets — so it stays text even when edited. The text itself is unchanged:
a name reads as it was entered. Every export goes through `workbook_bytes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would treat this text as a formula (the import warns about such values)."""
    return text.startswith(FORMULA_TRIGGERS)


def _cell(sheet, value):
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # never "f", whatever the first character
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell


def workbook_bytes(sheets: Iterable[tuple[str, Sequence, Iterable[Sequence]]]) -> bytes:
    """An XLSX file of (title, header, rows) sheets; strings are text cells, numbers stay numbers."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=str(title)[:31])
        sheet.append([_cell(sheet, str(h)) for h in header])
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
