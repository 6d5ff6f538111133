"""Class lists (CSV or XLSX) → a preview with an outcome per row, then an all-or-nothing enrolment.

A list names each student by personal ID number (mã định danh) or username, optionally with the full name
(checked, to catch a mistyped ID). Every row gets one outcome: ready, already enrolled, or an error —
unknown student, wrong school, duplicate, bad personal ID, name that does not match. Nothing is saved until the
teacher confirms; the confirmation carries the checked student ids signed, and is checked again on commit.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core import signing
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from courses.models import Course, Enrolment, EnrolmentSource
from courses.services import enrol, school_students
from lms.accounts.models import Membership, Role, User
from lms.text import fold, nfc

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 3000
PERSONAL_ID = re.compile(r"\d{12}")
SIGNING_SALT = "courses.enrolment-import"

HEADERS = {
    "personal_id": {
        "ma dinh danh",
        "ma dinh danh ca nhan",
        "so dinh danh",
        "so dinh danh ca nhan",
        "cccd",
        "so cccd",
        "personal id",
        "personal_id",
    },
    "username": {"ten dang nhap", "tai khoan", "username", "login"},
    "full_name": {"ho va ten", "ho ten", "ten hoc sinh", "full name", "full_name", "name"},
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; ``str()`` is a message for the teacher."""


@dataclass
class Row:
    line: int
    personal_id: str = ""
    username: str = ""
    full_name: str = ""
    student: User | None = None
    outcome: str = "ready"  # ready | enrolled | error
    message: str = ""


@dataclass
class Preview:
    rows: list[Row] = field(default_factory=list)

    @property
    def ready(self) -> list[Row]:
        return [r for r in self.rows if r.outcome == "ready"]

    @property
    def errors(self) -> list[Row]:
        return [r for r in self.rows if r.outcome == "error"]

    @property
    def already(self) -> list[Row]:
        return [r for r in self.rows if r.outcome == "enrolled"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value).strip())


def read_table(upload) -> list[tuple[int, list]]:
    """(line number, cells) of every row of the first sheet or of the CSV."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB."))
    data = upload.read()
    name = (upload.name or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith((".xls", ".ods")):
        raise ImportFileError(_("Save the list as .xlsx or .csv first."))
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or fake file
        raise ImportFileError(_("This is not a readable Excel (.xlsx) file.")) from error
    sheet = workbook.worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append((number, list(values)))
        if number > MAX_ROWS + 10:
            break
    workbook.close()
    return rows


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_('The CSV file is not UTF-8 text. Save it as "CSV UTF-8".')) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)]


def _header_map(cells: list) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(cells):
        key = " ".join(fold(_cell(cell)).replace("_", " ").split())
        for name, spellings in HEADERS.items():
            if key in spellings or key.replace(" ", "_") in spellings:
                found.setdefault(name, index)
    return found


def _personal_id(value) -> str:
    text = _cell(value)
    if isinstance(value, (int, float)) and text.isdigit() and len(text) < 12:
        # Excel drops the leading zeros of a number: 001209012345 becomes 1209012345.
        text = text.zfill(12)
    return text.replace(" ", "")


def preview(course: Course, upload) -> Preview:
    table = read_table(upload)
    header_at = next((i for i, (_n, cells) in enumerate(table) if any(_cell(c) for c in cells)), None)
    if header_at is None:
        raise ImportFileError(_("The file is empty."))
    columns = _header_map(table[header_at][1])
    if "personal_id" not in columns and "username" not in columns:
        raise ImportFileError(
            _('The first row must name the columns, with "Mã định danh" or "Tên đăng nhập" (and "Họ và tên").')
        )
    rows: list[Row] = []
    for line, cells in table[header_at + 1 :]:
        if not any(_cell(c) for c in cells):
            continue

        def get(name, cells=cells):
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        rows.append(Row(line, _personal_id(get("personal_id")), _cell(get("username")), _cell(get("full_name"))))
    if not rows:
        raise ImportFileError(_("The list has no students."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("A list may have at most %(n)s students.") % {"n": MAX_ROWS})
    _check(course, rows)
    return Preview(rows)


def _check(course: Course, rows: list[Row]) -> None:
    ids = {r.personal_id for r in rows if r.personal_id}
    names = {r.username.lower() for r in rows if r.username}
    by_id = {u.personal_id: u for u in User.objects.filter(personal_id__in=ids)}
    by_name = {
        u.username.lower(): u for u in User.objects.annotate(lower_name=Lower("username")).filter(lower_name__in=names)
    }
    found = [*by_id.values(), *by_name.values()]
    students_here = set(
        school_students(course.school).filter(pk__in=[u.pk for u in found]).values_list("pk", flat=True)
    )
    staff_here = set(
        Membership.objects.active()
        .filter(organisation=course.school, user__in=found)
        .exclude(role=Role.STUDENT)
        .values_list("user", flat=True)
    )
    enrolled = set(Enrolment.objects.filter(course=course, is_active=True).values_list("student", flat=True))
    seen: dict[int, int] = {}
    for row in rows:
        if row.personal_id and not PERSONAL_ID.fullmatch(row.personal_id):
            row.outcome, row.message = "error", _("The personal ID number must have 12 digits.")
            continue
        student = by_id.get(row.personal_id) if row.personal_id else by_name.get(row.username.lower())
        if student is None and row.personal_id and row.username:
            student = by_name.get(row.username.lower())
        if student is None:
            row.outcome, row.message = "error", _("No student has this personal ID number or username.")
            continue
        row.student = student
        if student.pk not in students_here:
            row.outcome = "error"
            row.message = (
                _("This person is not a student.")
                if student.pk in staff_here
                else _("This student is not at this school.")
            )
            continue
        if row.full_name and fold(row.full_name).split() != fold(student.full_name).split():
            row.outcome = "error"
            row.message = _("The name does not match the account (%(name)s).") % {"name": student.full_name}
            continue
        if student.pk in seen:
            row.outcome, row.message = (
                "error",
                _("Duplicate: the same student is on line %(line)s.") % {"line": seen[student.pk]},
            )
            continue
        seen[student.pk] = row.line
        if student.pk in enrolled:
            row.outcome, row.message = "enrolled", _("Already in the course.")


def sign(course: Course, result: Preview) -> str:
    return signing.dumps(
        {"course": str(course.uid), "students": [r.student.pk for r in result.ready]}, salt=SIGNING_SALT
    )


def commit(*, actor, course: Course, token: str) -> int:
    """Enrol the rows the teacher saw as ready; all or nothing (re-checked by ``enrol``)."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=3600)
    except signing.BadSignature:
        raise ImportFileError(_("This preview has expired. Upload the list again.")) from None
    if data.get("course") != str(course.uid):
        raise ImportFileError(_("This preview has expired. Upload the list again."))
    students = list(User.objects.filter(pk__in=data["students"]))
    return enrol(actor=actor, course=course, students=students, source=EnrolmentSource.CLASS_LIST)
