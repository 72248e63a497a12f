"""How long the web process spends on the largest candidate list it accepts, and on a refused one.

    .venv/bin/python bench/import_bounds.py

1. The largest XLSX the bounds let through: 20,000 rows whose CV and motivation texts make the
   unpacked workbook just under XLSX_MAX_UNCOMPRESSED (40 MB). Read once, at upload.
2. A 406 MB shared-strings workbook (under 2 MB on the wire): refused from the zip directory.
Prints seconds and the growth of the process's peak memory (ru_maxrss).
"""

from __future__ import annotations

import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interviewdesk.settings")


def largest_accepted() -> bytes:
    from openpyxl import Workbook

    from interviewdesk.procedures import importing

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["first_name", "last_name", "email", "phone", "language", "date_of_birth", "cv", "motivation"])
    text = "Analyst in the federal public service, ten years of data work. " * 12  # ~760 characters
    for i in range(importing.MAX_ROWS):
        sheet.append([f"Lotte{i}", "Janssens", f"c{i}@example.net", f"+3247{i:07d}", "nl", "1990-05-17",
                      f"{i} {text}", f"{text} {i}"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def unpacked(data: bytes) -> int:
    return sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())


def measure(label: str, action) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = action()
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{label}: {seconds:.2f} s, peak memory +{grown:.0f} MB, {outcome}")


def main() -> None:
    import django

    django.setup()
    from interviewdesk.procedures import importing
    from tests.procedures.test_import_bounds import shared_strings_bomb

    bomb = shared_strings_bomb(406)
    print(f"refused workbook: {len(bomb) / 1e6:.2f} MB packed, {unpacked(bomb) / 1e6:.0f} MB unpacked")

    def refuse():
        try:
            importing.read_table("bomb.xlsx", bomb)
        except importing.ImportFileError as exc:
            return f"refused: {exc}"
        return "ACCEPTED (bound missing)"

    measure("406 MB shared strings", refuse)

    data = largest_accepted()
    print(f"largest accepted workbook: {len(data) / 1e6:.2f} MB packed, {unpacked(data) / 1e6:.1f} MB unpacked "
          f"(bound {importing.XLSX_MAX_UNCOMPRESSED / 1e6:.1f} MB)")
    measure("20,000 rows read at upload", lambda: f"{len(importing.read_table('big.xlsx', data)) - 1} rows")


if __name__ == "__main__":
    main()
