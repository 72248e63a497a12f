"""Reading a candidate list from CSV or XLSX and checking every row. No request, no database.

The caller passes the file's bytes and the e-mail addresses already in the procedure, and
gets back the normalised rows and a list of row-level errors. Row numbers are the ones a
spreadsheet shows: the header is row 1, the first candidate row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interviewdesk.core.phones import normalize_phone
from interviewdesk.core.spreadsheets import looks_like_formula

from .services import normalize_email

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
# What an XLSX (a zip of XML files) may expand to, checked in the zip's directory before anything
# is decompressed: a 0.86 MB file can hold 406 MB of text. Four times the largest CSV leaves room
# for the XML around the same text. The zip reader never returns more than the declared sizes.
XLSX_MAX_UNCOMPRESSED = 4 * MAX_BYTES
XLSX_MAX_MEMBERS = 200
MAX_CELL_CHARS = 20_000  # a CV or a motivation as text; more is not a cell someone typed
REQUIRED = ("first_name", "last_name", "email", "phone", "language")
OPTIONAL = ("date_of_birth", "cv", "motivation")
MAX_LENGTH = {"first_name": 100, "last_name": 100, "email": 254}

# Header names people use, in English, Dutch, French and German. Compared after _key().
ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "firstname", "given name", "forename", "voornaam", "prénom", "prenom", "vorname"),
    "last_name": ("last name", "lastname", "surname", "family name", "achternaam", "familienaam", "nom",
                  "nom de famille", "nachname", "familienname"),
    "email": ("email", "e-mail", "mail", "email address", "e-mail address", "e-mailadres", "emailadres",
              "courriel", "adresse e-mail", "adresse email", "e-mail-adresse"),
    "phone": ("phone", "phone number", "telephone", "tel", "mobile", "gsm", "telefoon", "telefoonnummer",
              "téléphone", "numéro de téléphone", "telefon", "telefonnummer", "handy"),
    "language": ("language", "lang", "taal", "langue", "sprache"),
    "date_of_birth": ("date of birth", "birth date", "birthdate", "dob", "geboortedatum", "date de naissance",
                      "geburtsdatum"),
    "cv": ("cv", "cv text", "curriculum vitae", "curriculum", "lebenslauf"),
    "motivation": ("motivation", "motivatie", "motivering", "lettre de motivation", "motivationsschreiben"),
}
LANGUAGES: dict[str, str] = {
    "nl": "nl", "dutch": "nl", "nederlands": "nl", "neerlandais": "nl", "niederlandisch": "nl", "vlaams": "nl",
    "fr": "fr", "french": "fr", "francais": "fr", "frans": "fr", "franzosisch": "fr",
    "de": "de", "german": "de", "deutsch": "de", "duits": "de", "allemand": "de",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
COLUMN_LABELS = {
    "first_name": gettext_lazy("first name"), "last_name": gettext_lazy("last name"),
    "email": gettext_lazy("e-mail"), "phone": gettext_lazy("phone"), "language": gettext_lazy("language"),
    "date_of_birth": gettext_lazy("date of birth"), "cv": gettext_lazy("CV"),
    "motivation": gettext_lazy("motivation"),
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, not a spreadsheet, no header, too big)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the canonical column name, or "" for the whole row
    message: str

    @property
    def column_label(self) -> str:
        return str(COLUMN_LABELS.get(self.column, ""))


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)  # normalised; keys are services.CANDIDATE_FIELDS + "row"
    errors: list[RowError] = field(default_factory=list)
    # Values a spreadsheet would run as a formula: imported as text, but the officer is told.
    warnings: list[RowError] = field(default_factory=list)
    total: int = 0  # data rows read (blank rows skipped)

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)


def _key(text: object) -> str:
    """Header or value compared without case, accents, spaces, dashes or underscores."""
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold()
    return re.sub(r"[^0-9a-z]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


_HEADER_KEYS = {_key(alias): name for name, aliases in ALIASES.items() for alias in (name, *aliases)}
_EMAIL = EmailValidator()


def _cell(value: object) -> str:
    """A cell as text. Spreadsheets turn phone numbers into numbers: 32470123456.0 → "32470123456"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """All rows of the file (first row = header) as lists of text cells."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(data)
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    for number, cells in enumerate(rows, start=1):
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise ImportFileError(_("A cell in row %(row)d is longer than %(max)d characters.")
                                  % {"row": number, "max": MAX_CELL_CHARS})
    return rows


def xlsx_unpacked_size(data: bytes) -> int:
    """What a workbook's parts add up to unpacked, from the zip directory (0 if it is no zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(m.file_size for m in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0


def _check_xlsx_size(data: bytes) -> None:
    """Refuse a workbook that would expand beyond XLSX_MAX_UNCOMPRESSED, before reading it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
    if len(members) > XLSX_MAX_MEMBERS or sum(m.file_size for m in members) > XLSX_MAX_UNCOMPRESSED:
        raise ImportFileError(_("This workbook unpacks to more than %(mb)d MB. Save the candidate list "
                                "alone (one sheet, values only) or as CSV, and upload it again.")
                              % {"mb": XLSX_MAX_UNCOMPRESSED // (1024 * 1024)})


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")  # drops the byte-order mark Excel writes
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: only XLSX uploads need it

    _check_xlsx_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _records(rows: list[list[str]]) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]], list[RowError]]:
    """Map canonical column names to positions; yield (row number, cells) for non-blank data rows."""
    if not rows:
        raise ImportFileError(_("The file is empty."))
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for index, header in enumerate(rows[0]):
        name = _HEADER_KEYS.get(_key(header))
        if name and name not in columns:
            columns[name] = index
        elif name:
            errors.append(RowError(1, name, _("This column appears twice.")))
    for name in REQUIRED:
        if name not in columns:
            errors.append(RowError(1, name, _("Required column “%(name)s” is missing.") % {"name": name}))
    data = ((number, cells) for number, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells))
    return columns, data, errors


def _phone(text: str) -> str:
    try:
        return normalize_phone(text)
    except ValidationError:
        # A spreadsheet number cell loses the "+": 32470123456 is +32 470 12 34 56.
        if text.isdigit() and len(text) >= 10:
            try:
                return normalize_phone("+" + text)
            except ValidationError:
                pass
        raise


def _parse_date(text: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _check_row(number: int, values: dict[str, str], today: dt.date) -> tuple[dict, list[RowError]]:
    errors: list[RowError] = []
    for name in REQUIRED:
        if not values.get(name):
            errors.append(RowError(number, name, _("A value is required.")))
    for name, limit in MAX_LENGTH.items():
        if len(values.get(name, "")) > limit:
            errors.append(RowError(number, name, _("Longer than %(max)d characters.") % {"max": limit}))
    email = normalize_email(values.get("email", ""))
    if email and len(email) <= MAX_LENGTH["email"]:
        try:
            _EMAIL(email)
        except ValidationError:
            errors.append(RowError(number, "email", _("“%(value)s” is not an e-mail address.") % {"value": email}))
    phone = ""
    if values.get("phone"):
        try:
            phone = _phone(values["phone"])
        except ValidationError as exc:
            errors.append(RowError(number, "phone", " ".join(exc.messages)))
    language = ""
    if values.get("language"):
        language = LANGUAGES.get(_key(values["language"]), "")
        if not language:
            errors.append(RowError(number, "language", _("Unknown language “%(value)s”: use nl, fr or de.")
                                   % {"value": values["language"]}))
    birth = None
    if values.get("date_of_birth"):
        try:
            birth = _parse_date(values["date_of_birth"])
        except ValueError:
            errors.append(RowError(number, "date_of_birth", _("“%(value)s” is not a date (use YYYY-MM-DD or "
                                                             "DD/MM/YYYY).") % {"value": values["date_of_birth"]}))
        else:
            if birth >= today:
                errors.append(RowError(number, "date_of_birth", _("The date of birth must be in the past.")))
    row = {"row": number, "first_name": values.get("first_name", ""), "last_name": values.get("last_name", ""),
           "email": email, "phone": phone, "language": language, "date_of_birth": birth,
           "cv_text": values.get("cv", ""), "motivation": values.get("motivation", "")}
    return row, errors


def _formula_warnings(number: int, values: dict[str, str]) -> list[RowError]:
    # Cells are stripped, so a leading tab or CR is gone already; the phone is normalised to "+32…".
    return [RowError(number, name, _("Starts with “%(char)s”: a spreadsheet would run it as a formula. It is "
                                     "imported as text; check that it is what the candidate wrote.")
                     % {"char": value[0]})
            for name, value in values.items() if name != "phone" and looks_like_formula(value)]


def check_rows(rows: list[list[str]], existing_emails: Iterable[str], today: dt.date | None = None) -> ImportResult:
    """Check every row; the import may go ahead only when result.is_valid."""
    today = today or dt.date.today()
    taken = {e.casefold() for e in existing_emails}
    columns, data, errors = _records(rows)
    result = ImportResult(errors=errors)
    first_seen: dict[str, int] = {}
    for number, cells in data:
        result.total += 1
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()}
        row, row_errors = _check_row(number, values, today)
        result.warnings.extend(_formula_warnings(number, values))
        key = row["email"].casefold()
        if key and key in taken:
            row_errors.append(RowError(number, "email", _("A candidate with this e-mail is already in the procedure.")))
        elif key in first_seen:
            row_errors.append(RowError(number, "email", _("Same e-mail as row %(row)d.") % {"row": first_seen[key]}))
        elif key:
            first_seen[key] = number
        result.errors.extend(row_errors)
        if not row_errors:
            result.rows.append(row)
    if result.total == 0 and not result.errors:
        result.errors.append(RowError(1, "", _("The file has no candidate rows.")))
    return result


def parse_candidates(filename: str, data: bytes, existing_emails: Iterable[str],
                     today: dt.date | None = None) -> ImportResult:
    """Read and check a whole upload. Raises ImportFileError when the file itself is unreadable."""
    return check_rows(read_table(filename, data), existing_emails, today)
