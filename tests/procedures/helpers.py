"""Building upload files for the import tests."""

from __future__ import annotations

import io

from openpyxl import Workbook

HEADER = ["first_name", "last_name", "email", "phone", "language", "date_of_birth", "cv", "motivation"]


def csv_bytes(rows: list[list[str]], delimiter: str = ",", bom: bool = False, header=HEADER) -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return ("\ufeff" if bom else "").encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(rows: list[list], header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def person(i: int, **overrides) -> list[str]:
    values = {"first_name": f"Lotte{i}", "last_name": "Janssens", "email": f"lotte{i}@example.net",
              "phone": f"+3247012{i % 10000:04d}", "language": "nl", "date_of_birth": "1990-05-17", "cv": "",
              "motivation": ""}
    values.update(overrides)
    return [values[name] for name in HEADER]
