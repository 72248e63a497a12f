import datetime as dt

import pytest

from interviewdesk.procedures.importing import ImportFileError, parse_candidates
from tests.procedures.helpers import csv_bytes, person, xlsx_bytes

TODAY = dt.date(2026, 11, 28)


def parse(data: bytes, name: str = "list.csv", existing=()):
    return parse_candidates(name, data, existing, today=TODAY)


def errors(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def test_a_comma_csv_gives_normalised_rows_with_their_spreadsheet_row_numbers():
    result = parse(csv_bytes([person(1, phone="0470 12 34 56", language="FR", email="Lotte1@Example.NET"),
                              person(2, date_of_birth="17/05/1990")]))
    assert result.is_valid
    assert [(r["row"], r["email"], r["phone"], r["language"], r["date_of_birth"]) for r in result.rows] == [
        (2, "Lotte1@example.net", "+32470123456", "fr", dt.date(1990, 5, 17)),
        (3, "lotte2@example.net", "+32470120002", "nl", dt.date(1990, 5, 17)),
    ]


def test_a_semicolon_csv_with_a_byte_order_mark_is_read_like_any_other():
    result = parse(csv_bytes([person(1, cv="Analyst, 5 years"), person(2)], delimiter=";", bom=True))
    assert result.is_valid
    assert [r["first_name"] for r in result.rows] == ["Lotte1", "Lotte2"]
    assert result.rows[0]["cv_text"] == "Analyst, 5 years"


def test_an_xlsx_workbook_is_read_including_dates_and_numeric_phone_cells():
    result = parse(xlsx_bytes([
        ["An", "Peeters", "an@example.net", 32470123456, "nl", dt.datetime(1985, 1, 2), "CV", "Motivated"],
        ["Bo", "Maes", "bo@example.net", "0470 11 22 33", "de", None, None, None],
    ]), name="list.xlsx")
    assert errors(result) == []
    assert [(r["phone"], r["date_of_birth"], r["motivation"]) for r in result.rows] == [
        ("+32470123456", dt.date(1985, 1, 2), "Motivated"), ("+32470112233", None, ""),
    ]


def test_headers_are_matched_without_case_and_in_dutch_french_or_german():
    header = ["Voornaam", "NOM", "E-Mail", "Téléphone", "Taal", "Geburtsdatum", "CV", "Motivatie"]
    result = parse(csv_bytes([["Jan", "Claes", "jan@example.net", "+32470123456", "Nederlands", "1990-01-01", "",
                               "Graag"]], header=header))
    assert errors(result) == []
    assert {k: result.rows[0][k] for k in ("first_name", "last_name", "language", "motivation")} == {
        "first_name": "Jan", "last_name": "Claes", "language": "nl", "motivation": "Graag"}


def test_every_bad_value_is_reported_with_its_row_and_column():
    result = parse(csv_bytes([
        person(1, email="not-an-address"),
        person(2, phone="12"),
        person(3, language="es"),
        person(4, date_of_birth="1990-13-45"),
        person(5, first_name=""),
        person(6),
    ]))
    assert errors(result) == [
        (2, "email", "“not-an-address” is not an e-mail address."),
        (3, "phone", "“12” is not a valid phone number."),
        (4, "language", "Unknown language “es”: use nl, fr or de."),
        (5, "date_of_birth", "“1990-13-45” is not a date (use YYYY-MM-DD or DD/MM/YYYY)."),
        (6, "first_name", "A value is required."),
    ]
    assert not result.is_valid
    assert [r["row"] for r in result.rows] == [7]


def test_a_duplicate_within_the_file_names_the_first_row():
    result = parse(csv_bytes([person(1), person(2), person(3, email="LOTTE1@example.net")]))
    assert errors(result) == [(4, "email", "Same e-mail as row 2.")]


def test_an_e_mail_already_in_the_procedure_is_an_error():
    result = parse(csv_bytes([person(1), person(2)]), existing={"Lotte2@Example.net"})
    assert errors(result) == [(3, "email", "A candidate with this e-mail is already in the procedure.")]


def test_a_missing_required_column_is_reported_on_the_header_row():
    header = ["first_name", "last_name", "email", "language"]
    result = parse(csv_bytes([["An", "Peeters", "an@example.net", "nl"]], header=header))
    assert errors(result)[0] == (1, "phone", "Required column “phone” is missing.")
    assert not result.is_valid


def test_blank_rows_are_skipped_and_a_file_without_candidates_is_refused():
    result = parse(csv_bytes([["", "", "", "", "", "", "", ""]]))
    assert errors(result) == [(1, "", "The file has no candidate rows.")]


def test_a_birth_date_in_the_future_is_refused():
    result = parse(csv_bytes([person(1, date_of_birth="2030-01-01")]))
    assert errors(result) == [(2, "date_of_birth", "The date of birth must be in the past.")]


def test_a_file_that_is_not_utf8_is_refused_as_a_whole():
    with pytest.raises(ImportFileError) as info:
        parse(",".join(["first_name", "last_name"]).encode() + b"\nJos\xe9,Claes\n")
    assert "not UTF-8" in str(info.value)


def test_a_broken_xlsx_is_refused_as_a_whole():
    with pytest.raises(ImportFileError) as info:
        parse(b"PK\x03\x04 not really a workbook", name="list.xlsx")
    assert str(info.value) == "The file is not a readable XLSX workbook."
