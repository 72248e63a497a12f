"""Time the candidate import: parse and check a generated 5,000-row file, then create the rows.

    .venv/bin/python bench/import_candidates.py [rows]

Runs against a throw-away SQLite database (or DATABASE_URL if set, in a test database)
and prints rows per second for each step. The requirement: 5,000 rows in under 30 s.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interviewdesk.settings")


def generated_csv(rows: int) -> bytes:
    header = "first_name;last_name;email;phone;language;date_of_birth;cv;motivation"
    languages = ("nl", "fr", "de")
    lines = [header] + [
        f"Lotte{i};Janssens;candidate{i}@example.net;04{70 + i % 30} {i % 100:02d} {i // 100 % 100:02d} "
        f"{i % 97:02d};{languages[i % 3]};{1970 + i % 30}-0{1 + i % 9}-1{i % 9};Analyst;Public service"
        for i in range(rows)
    ]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def generated_xlsx(csv_data: bytes) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for line in csv_data.decode("utf-8-sig").splitlines():
        sheet.append(line.split(";"))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main() -> None:
    from _test_database import in_test_database

    in_test_database(run, int(sys.argv[1]) if len(sys.argv) > 1 else 5000)


def run(rows: int) -> None:
    from interviewdesk.core.models import User
    from interviewdesk.procedures import importing, selectors, services
    from interviewdesk.procedures.models import Candidate, Procedure, RatingScale

    procedure = Procedure.objects.create(reference="BENCH-1", title="Bench", language="nl", contact_name="Bench",
                                         contact_email="bench@example.org",
                                         scale=RatingScale.objects.get(name="six-level"))
    officer = User.objects.create(username="bench-officer")
    data = generated_csv(rows)

    started = time.perf_counter()
    result = importing.parse_candidates("bench.csv", data, selectors.existing_emails(procedure))
    checked = time.perf_counter()
    if not result.is_valid:
        raise SystemExit(f"generated file has errors: {result.errors[:3]}")
    services.candidates_import(actor=officer, procedure=procedure, rows=result.rows)
    done = time.perf_counter()

    assert Candidate.objects.filter(procedure=procedure).count() == rows
    xlsx = generated_xlsx(data)
    xlsx_started = time.perf_counter()
    xlsx_result = importing.parse_candidates("bench.xlsx", xlsx, set())
    xlsx_checked = time.perf_counter()
    assert xlsx_result.is_valid and len(xlsx_result.rows) == rows
    total = done - started
    print(f"import_candidates: {rows} rows")
    print(f"  CSV parse + check  : {checked - started:6.2f} s  {rows / (checked - started):8.0f} rows/s")
    print(f"  XLSX parse + check : {xlsx_checked - xlsx_started:6.2f} s  "
          f"{rows / (xlsx_checked - xlsx_started):8.0f} rows/s")
    print(f"  create             : {done - checked:6.2f} s  {rows / (done - checked):8.0f} rows/s")
    print(f"  total (CSV)        : {total:6.2f} s  {rows / total:8.0f} rows/s  (limit for 5,000 rows: 30 s)")
    if rows >= 5000 and total * 5000 / rows > 30:
        raise SystemExit("too slow: 5,000 rows would take more than 30 s")


if __name__ == "__main__":
    main()
